package dev.modelc.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.modelc.graph.DropoutSite;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How each op is written in Java, one entry per op: operands come in already rendered, and
 * the result carries its precedence so that parentheses appear only where Java needs them.
 */
final class JavaExpressions {
    static final int TERNARY = 0;
    static final int COMPARE = 1;
    static final int ADD = 2;
    static final int MUL = 3;
    static final int UNARY = 4;
    static final int ATOM = 5;

    private static final ClassName MATH = ClassName.get(Math.class);
    /** The runtime class of the functions and loops generated code calls. */
    static final ClassName KERNELS = ClassName.get("dev.modelc.runtime", "Kernels");
    private static final ClassName DROPOUT = ClassName.get("dev.modelc.runtime", "Dropout");
    /** The field of the generated class holding the key of this step's dropout masks, {@code OFF} unless training. */
    static final String DROPOUT_KEY = "dropoutKey";

    /** Java text with its precedence. */
    record Java(CodeBlock code, int precedence) {
        CodeBlock at(int context) {
            return precedence < context ? CodeBlock.of("($L)", code) : code;
        }

        /** For a unary minus: never let two minus signs touch. */
        CodeBlock asNegationOperand() {
            String text = code.toString();
            return precedence < UNARY || text.startsWith("-") ? CodeBlock.of("($L)", code) : code;
        }
    }

    /** What a renderer may ask about the operands of the node it renders. */
    interface Operands {
        /** The operand as Java: its variable if it has one, else its expression inline. */
        Java java(Node operand);

        /** Whether the operand is written inline rather than through a variable. */
        boolean isInline(Node operand);

        /** The flat position, in the batch's row-major order, of the element of {@code node} being rendered. */
        CodeBlock flatIndex(Node node);
    }

    /** Renders one op from its node and its rendered operands. */
    @FunctionalInterface
    interface Renderer {
        Java render(Node node, List<Java> in, Dtype dtype, Operands operands);
    }

    private static final Map<Op, Renderer> RENDERERS = new EnumMap<>(Op.class);

    static {
        RENDERERS.put(Op.ADD, JavaExpressions::add);
        RENDERERS.put(Op.MUL, JavaExpressions::mul);
        RENDERERS.put(Op.NEG, (n, in, t, o) -> new Java(CodeBlock.of("-$L", in.get(0).asNegationOperand()), UNARY));
        RENDERERS.put(Op.RECIP, (n, in, t, o) -> new Java(CodeBlock.of("$L / $L", t.literal(1), in.get(0).at(MUL + 1)), MUL));
        RENDERERS.put(Op.POW, JavaExpressions::pow);
        mathCall(Op.EXP, "exp", true);
        mathCall(Op.LOG, "log", true);
        mathCall(Op.SQRT, "sqrt", true);
        mathCall(Op.ABS, "abs", false);
        mathCall(Op.TANH, "tanh", true);
        mathCall(Op.SIN, "sin", true);
        mathCall(Op.COS, "cos", true);
        mathCall(Op.SIGN, "signum", false);
        mathCall(Op.LOG1P, "log1p", true);
        mathCall(Op.EXPM1, "expm1", true);
        RENDERERS.put(Op.ERF, (n, in, t, o) -> call(KERNELS, "erf", in.get(0)));
        RENDERERS.put(Op.STOP_GRADIENT, (n, in, t, o) -> in.get(0));
        RENDERERS.put(Op.WHERE, JavaExpressions::where);
        RENDERERS.put(Op.DROPOUT, JavaExpressions::dropout);
        RENDERERS.put(Op.TRAINING, (n, in, t, o) -> new Java(CodeBlock.of("$N != $T.OFF ? $L : $L", DROPOUT_KEY,
                DROPOUT, in.get(0).at(TERNARY + 1), in.get(1).at(TERNARY)), TERNARY));
        RENDERERS.put(Op.SIGMOID, (n, in, t, o) -> call(KERNELS, "sigmoid", in.get(0)));
        RENDERERS.put(Op.SOFTPLUS, (n, in, t, o) -> call(KERNELS, "softplus", in.get(0)));
        RENDERERS.put(Op.RELU, (n, in, t, o) -> new Java(CodeBlock.of("$T.max($L, $L)", MATH, in.get(0).code(),
                t.literal(0)), ATOM));
        RENDERERS.put(Op.STEP, (n, in, t, o) -> call(KERNELS, "step", in.get(0)));
        for (Op op : Op.values()) {
            if (op.kind() == Op.Kind.COMPARISON) {
                // Java writes comparisons with the model language's signs.
                comparison(op, op.symbol());
            }
        }
    }

    private JavaExpressions() {
    }

    static Java render(Node node, Dtype dtype, Operands operands) {
        Renderer renderer = RENDERERS.get(node.op());
        if (renderer == null) {
            throw new IllegalStateException("no Java renderer for " + node.op());
        }
        List<Java> inputs = node.inputs().stream().map(operands::java).toList();
        return renderer.render(node, inputs, dtype, operands);
    }

    static Java constant(double value, Dtype dtype) {
        CodeBlock literal = dtype.literal(value);
        return new Java(literal, literal.toString().startsWith("-") ? UNARY : ATOM);
    }

    static Set<Op> covered() {
        return RENDERERS.keySet();
    }

    private static void mathCall(Op op, String method, boolean returnsDouble) {
        RENDERERS.put(op, (n, in, t, o) -> {
            CodeBlock call = CodeBlock.of("$T.$L($L)", MATH, method, in.get(0).code());
            return returnsDouble && t == Dtype.F32 ? new Java(t.fromDouble(call), UNARY) : new Java(call, ATOM);
        });
    }

    private static Java call(ClassName owner, String method, Java argument) {
        return new Java(CodeBlock.of("$T.$L($L)", owner, method, argument.code()), ATOM);
    }

    private static void comparison(Op op, String symbol) {
        RENDERERS.put(op, (n, in, t, o) -> new Java(CodeBlock.of("$L $L $L ? $L : $L", in.get(0).at(ADD),
                symbol, in.get(1).at(ADD), t.literal(1), t.literal(0)), TERNARY));
    }

    /** {@code x * Dropout.mask(dropoutKey, site, i0 * 16 + i1, 0.5)}: the mask drawn for this element. */
    private static Java dropout(Node node, List<Java> in, Dtype t, Operands operands) {
        DropoutSite site = (DropoutSite) node.attribute();
        CodeBlock mask = CodeBlock.of("$T.mask($N, $L, $L, $L)", DROPOUT, DROPOUT_KEY, site.site(),
                operands.flatIndex(node), site.rate());
        // The mask is a call, or a cast of one in f32: either binds tighter than the product.
        return new Java(CodeBlock.of("$L * $L", in.get(0).at(MUL), t.fromDouble(mask)), MUL);
    }

    /** {@code c != 0 ? a : b}, written {@code x < y ? a : b} when the condition is an inline comparison. */
    private static Java where(Node node, List<Java> in, Dtype t, Operands operands) {
        Node condition = node.input(0);
        CodeBlock test;
        if (condition.op().kind() == Op.Kind.COMPARISON && operands.isInline(condition)) {
            test = CodeBlock.of("$L $L $L", operands.java(condition.input(0)).at(ADD), condition.op().symbol(),
                    operands.java(condition.input(1)).at(ADD));
        } else {
            test = CodeBlock.of("$L != $L", in.get(0).at(ADD), t.literal(0));
        }
        return new Java(CodeBlock.of("$L ? $L : $L", test, in.get(1).at(TERNARY + 1), in.get(2).at(TERNARY)),
                TERNARY);
    }

    /** {@code a + b}, written {@code a - b} when b is an inline negation or a negative constant. */
    private static Java add(Node node, List<Java> in, Dtype t, Operands operands) {
        Node right = node.input(1);
        if (right.op() == Op.NEG && operands.isInline(right)) {
            Java subtrahend = operands.java(right.input(0));
            return new Java(CodeBlock.of("$L - $L", in.get(0).at(ADD), subtrahend.at(ADD + 1)), ADD);
        }
        if (right.isConstant() && right.constantValue() < 0) {
            return new Java(CodeBlock.of("$L - $L", in.get(0).at(ADD), t.literal(-right.constantValue())), ADD);
        }
        if (right.op() == Op.MUL && right.input(0).isConstant() && right.input(0).constantValue() < 0
                && operands.isInline(right)) {
            Java factor = operands.java(right.input(1));
            return new Java(CodeBlock.of("$L - $L * $L", in.get(0).at(ADD), t.literal(-right.input(0).constantValue()),
                    factor.at(MUL + 1)), ADD);
        }
        return new Java(CodeBlock.of("$L + $L", in.get(0).at(ADD), in.get(1).at(ADD + 1)), ADD);
    }

    /** {@code a * b}, written {@code a / b} when b is an inline reciprocal. */
    private static Java mul(Node node, List<Java> in, Dtype t, Operands operands) {
        Node right = node.input(1);
        if (right.op() == Op.RECIP && operands.isInline(right)) {
            Java divisor = operands.java(right.input(0));
            return new Java(CodeBlock.of("$L / $L", in.get(0).at(MUL), divisor.at(MUL + 1)), MUL);
        }
        return new Java(CodeBlock.of("$L * $L", in.get(0).at(MUL), in.get(1).at(MUL + 1)), MUL);
    }

    private static Java pow(Node node, List<Java> in, Dtype t, Operands operands) {
        Java base = in.get(0);
        Node exponent = node.input(1);
        if (exponent.isConstant(2) && !operands.isInline(node.input(0))) {
            return new Java(CodeBlock.of("$L * $L", base.code(), base.code()), MUL);
        }
        if (exponent.isConstant(0.5)) {
            return new Java(t.fromDouble(CodeBlock.of("$T.sqrt($L)", MATH, base.code())), t == Dtype.F32 ? UNARY : ATOM);
        }
        if (exponent.isConstant(-1)) {
            return new Java(CodeBlock.of("$L / $L", t.literal(1), base.at(MUL + 1)), MUL);
        }
        CodeBlock call = CodeBlock.of("$T.pow($L, $L)", MATH, base.code(), in.get(1).code());
        return new Java(t.fromDouble(call), t == Dtype.F32 ? UNARY : ATOM);
    }
}
