package dev.modelc;

import java.util.function.DoubleBinaryOperator;

/**
 * Every tensor operation of the .model language, as the tensor gradient property test sees
 * it: how it is written and what kind of shape rule it follows. What the elementwise ones
 * compute is taken from {@link ScalarOp}, written independently of the compiler; comparisons
 * and argmax, which only metrics may use, are here too.
 */
enum TensorOp {
    ADD(ScalarOp.ADD),
    SUBTRACT(ScalarOp.SUBTRACT),
    MULTIPLY(ScalarOp.MULTIPLY),
    DIVIDE(ScalarOp.DIVIDE),
    POWER(ScalarOp.POWER),
    NEGATE(ScalarOp.NEGATE),
    EXP(ScalarOp.EXP),
    LOG(ScalarOp.LOG),
    SQRT(ScalarOp.SQRT),
    ABS(ScalarOp.ABS),
    SQUARE(ScalarOp.SQUARE),
    TANH(ScalarOp.TANH),
    SIGMOID(ScalarOp.SIGMOID),
    RELU(ScalarOp.RELU),
    SOFTPLUS(ScalarOp.SOFTPLUS),
    SIN(ScalarOp.SIN),
    COS(ScalarOp.COS),
    BCE_WITH_LOGITS(ScalarOp.BCE_WITH_LOGITS),
    LOG1P(ScalarOp.LOG1P),
    EXPM1(ScalarOp.EXPM1),
    ERF(ScalarOp.ERF),
    GELU(ScalarOp.GELU),
    LEAKY_RELU(ScalarOp.LEAKY_RELU),
    ELU(ScalarOp.ELU),
    MINIMUM(ScalarOp.MINIMUM),
    MAXIMUM(ScalarOp.MAXIMUM),
    MATMUL("@", Kind.MATMUL, 2, null),
    TRANSPOSE("transpose", Kind.TRANSPOSE, 1, null),
    /** Over everything without an axis, else over that axis. */
    SUM("sum", Kind.REDUCTION, 1, null),
    MEAN("mean", Kind.REDUCTION, 1, null),
    MAX("max", Kind.REDUCTION, 1, null),
    MIN("min", Kind.REDUCTION, 1, null),
    /** Over one axis, the last unless given; always drops it. */
    LOGSUMEXP("logsumexp", Kind.REDUCTION, 1, null),
    SOFTMAX("softmax", Kind.ALONG_AXIS, 1, null),
    LOG_SOFTMAX("log_softmax", Kind.ALONG_AXIS, 1, null),
    MSE("mse", Kind.MSE, 2, null),
    /** Logits [.., classes] and integer labels [..]. */
    SOFTMAX_CROSS_ENTROPY("softmax_cross_entropy", Kind.CROSS_ENTROPY, 2, null),
    // For metrics only: 1 where the comparison holds, else 0, and the index of a maximum.
    LESS("<", Kind.COMPARISON, 2, (a, b) -> a < b ? 1 : 0),
    LESS_EQUAL("<=", Kind.COMPARISON, 2, (a, b) -> a <= b ? 1 : 0),
    GREATER(">", Kind.COMPARISON, 2, (a, b) -> a > b ? 1 : 0),
    GREATER_EQUAL(">=", Kind.COMPARISON, 2, (a, b) -> a >= b ? 1 : 0),
    EQUAL("==", Kind.COMPARISON, 2, (a, b) -> a == b ? 1 : 0),
    NOT_EQUAL("!=", Kind.COMPARISON, 2, (a, b) -> a != b ? 1 : 0),
    /** Over one axis, the last unless given, like logsumexp. */
    ARGMAX("argmax", Kind.REDUCTION, 1, null);

    /** Which shape rule an operation follows. */
    enum Kind {
        /** NumPy broadcasting of the operands. */
        ELEMENTWISE,
        MATMUL,
        TRANSPOSE,
        /** Drops the axis, or everything when there is none. */
        REDUCTION,
        /** Keeps the shape, working along one axis. */
        ALONG_AXIS,
        /** A scalar from two broadcast operands. */
        MSE,
        CROSS_ENTROPY,
        /** Broadcasts like an elementwise operation; not differentiable. */
        COMPARISON
    }

    private final String symbol;
    private final Kind kind;
    private final int arity;
    private final DoubleBinaryOperator formula;

    TensorOp(ScalarOp scalar) {
        this(scalar.symbol(), Kind.ELEMENTWISE, scalar.arity(), scalar::apply);
    }

    TensorOp(String symbol, Kind kind, int arity, DoubleBinaryOperator formula) {
        this.symbol = symbol;
        this.kind = kind;
        this.arity = arity;
        this.formula = formula;
    }

    String symbol() {
        return symbol;
    }

    Kind kind() {
        return kind;
    }

    /** What an elementwise operation or comparison computes on one element of each operand. */
    DoubleBinaryOperator formula() {
        return formula;
    }

    int arity() {
        return arity;
    }

    /** Whether a loss may depend on a param through it; the others are for metrics. */
    boolean differentiable() {
        return kind != Kind.COMPARISON && this != ARGMAX;
    }

    /** Whether it works along one axis, given as {@code axis = k} or by default. */
    boolean takesAxis() {
        return kind == Kind.REDUCTION || kind == Kind.ALONG_AXIS;
    }

    /** Written as {@code name(x)} rather than with an operator sign. */
    boolean isCall() {
        return Character.isLetter(symbol.charAt(0));
    }

    /** Sum, mean and max default to everything; logsumexp, argmax and the rest to the last axis. */
    boolean reducesEverythingWithoutAxis() {
        return this == SUM || this == MEAN || this == MAX || this == MIN;
    }
}
