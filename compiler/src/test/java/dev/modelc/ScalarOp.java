package dev.modelc;

import java.util.function.DoubleBinaryOperator;

/**
 * Every scalar operation of the .model language, as the gradient property test sees it:
 * how it is written in a model and what it computes, by plain {@link Math}, independently of
 * the compiler's own evaluator.
 */
enum ScalarOp {
    ADD("+", 2, (a, b) -> a + b),
    SUBTRACT("-", 2, (a, b) -> a - b),
    MULTIPLY("*", 2, (a, b) -> a * b),
    DIVIDE("/", 2, (a, b) -> a / b),
    /** {@code a ^ c} with a literal exponent. */
    POWER_CONSTANT("^", 2, Math::pow),
    /** {@code a ^ b} with an exponent that depends on parameters. */
    POWER("^", 2, Math::pow),
    NEGATE("-", 1, (a, unused) -> -a),
    EXP("exp", 1, (a, unused) -> Math.exp(a)),
    LOG("log", 1, (a, unused) -> Math.log(a)),
    SQRT("sqrt", 1, (a, unused) -> Math.sqrt(a)),
    ABS("abs", 1, (a, unused) -> Math.abs(a)),
    SQUARE("square", 1, (a, unused) -> a * a),
    TANH("tanh", 1, (a, unused) -> Math.tanh(a)),
    SIGMOID("sigmoid", 1, (a, unused) -> 1 / (1 + Math.exp(-a))),
    RELU("relu", 1, (a, unused) -> a > 0 ? a : 0),
    // log(1 + e^a), with e^a kept from overflowing for large a.
    SOFTPLUS("softplus", 1, (a, unused) -> a > 30 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a))),
    SIN("sin", 1, (a, unused) -> Math.sin(a)),
    COS("cos", 1, (a, unused) -> Math.cos(a)),
    LOG1P("log1p", 1, (a, unused) -> Math.log1p(a)),
    EXPM1("expm1", 1, (a, unused) -> Math.expm1(a)),
    ERF("erf", 1, (a, unused) -> ReferenceErf.erf(a)),
    // x Φ(x), Φ the normal distribution function.
    GELU("gelu", 1, (a, unused) -> 0.5 * a * (1 + ReferenceErf.erf(a / Math.sqrt(2)))),
    LEAKY_RELU("leaky_relu", 1, (a, unused) -> a > 0 ? a : 0.01 * a),
    ELU("elu", 1, (a, unused) -> a > 0 ? a : Math.exp(a) - 1),
    MINIMUM("minimum", 2, Math::min),
    MAXIMUM("maximum", 2, Math::max),
    MSE("mse", 2, (a, b) -> (a - b) * (a - b)),
    // The logistic loss of logit a against target b: log(1 + e^a) - a b, written without overflow.
    BCE_WITH_LOGITS("bce_with_logits", 2, (a, b) -> Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a))) - a * b),
    // Reductions of a scalar are the scalar.
    SUM("sum", 1, (a, unused) -> a),
    MEAN("mean", 1, (a, unused) -> a),
    MAX("max", 1, (a, unused) -> a),
    MIN("min", 1, (a, unused) -> a);

    private final String symbol;
    private final int arity;
    private final DoubleBinaryOperator formula;

    ScalarOp(String symbol, int arity, DoubleBinaryOperator formula) {
        this.symbol = symbol;
        this.arity = arity;
        this.formula = formula;
    }

    int arity() {
        return arity;
    }

    /** The operator ({@code +}) or function name ({@code exp}) in .model text. */
    String symbol() {
        return symbol;
    }

    /** Written as {@code name(x)} or {@code name(x, y)} rather than with an operator sign. */
    boolean isCall() {
        return Character.isLetter(symbol.charAt(0));
    }

    double apply(double a, double b) {
        return formula.applyAsDouble(a, b);
    }
}
