package dev.modelc.rewrite;

import dev.modelc.graph.Evaluator;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import java.util.List;

/**
 * The rule sets of the simplify stage. Constants are kept on the left of products and on the
 * right of sums, so that constants meet and fold: {@code 2 * (2 * y)} becomes {@code 4 * y}.
 */
public final class Rules {
    private Rules() {
    }

    /** Constant folding through the reference interpreter. */
    public static final List<Rule> FOLD = List.of(
            new Rule("op(c...) -> c", Rules::foldConstants));

    /** Identities that remove work. */
    public static final List<Rule> IDENTITIES = List.of(
            new Rule("x+0 -> x", n -> n.op() == Op.ADD && n.input(1).isConstant(0) ? n.input(0) : null),
            new Rule("0+x -> x", n -> n.op() == Op.ADD && n.input(0).isConstant(0) ? n.input(1) : null),
            new Rule("x*1 -> x", n -> n.op() == Op.MUL && n.input(1).isConstant(1) ? n.input(0) : null),
            new Rule("1*x -> x", n -> n.op() == Op.MUL && n.input(0).isConstant(1) ? n.input(1) : null),
            new Rule("0*x -> 0", n -> n.op() == Op.MUL && (isFill(n.input(0), 0) || isFill(n.input(1), 0))
                    ? Node.fill(0, n.shape()) : null),
            new Rule("x+0 -> x (broadcast 0)", n -> n.op() == Op.ADD && isFill(n.input(1), 0)
                    && n.input(0).shape().equals(n.shape()) ? n.input(0) : null),
            new Rule("0+x -> x (broadcast 0)", n -> n.op() == Op.ADD && isFill(n.input(0), 0)
                    && n.input(1).shape().equals(n.shape()) ? n.input(1) : null),
            new Rule("-1*x -> -x", n -> n.op() == Op.MUL && n.input(0).isConstant(-1) ? neg(n.input(1)) : null),
            new Rule("--x -> x", n -> n.op() == Op.NEG && n.input(0).op() == Op.NEG ? n.input(0).input(0) : null),
            new Rule("1/(1/x) -> x", n -> n.op() == Op.RECIP && n.input(0).op() == Op.RECIP ? n.input(0).input(0) : null),
            new Rule("x^1 -> x", n -> n.op() == Op.POW && n.input(1).isConstant(1) ? n.input(0) : null),
            new Rule("x^0 -> 1", n -> n.op() == Op.POW && n.input(1).isConstant(0) ? Node.fill(1, n.shape()) : null),
            new Rule("x+-x -> 0", n -> n.op() == Op.ADD && n.input(1).op() == Op.NEG && n.input(1).input(0) == n.input(0)
                    ? Node.fill(0, n.shape()) : null));

    /** Views that cancel or merge. */
    public static final List<Rule> VIEWS = List.of(
            new Rule("reshape(x) -> x when shapes agree", n -> (n.op() == Op.RESHAPE || n.op() == Op.EXPAND)
                    && n.input(0).shape().equals(n.shape()) ? n.input(0) : null),
            new Rule("reshape(reshape(x)) -> reshape(x)", n -> n.op() == Op.RESHAPE && n.input(0).op() == Op.RESHAPE
                    ? Node.of(Op.RESHAPE, n.shape(), n.input(0).input(0)) : null),
            new Rule("transpose(transpose(x)) -> x", n -> n.op() == Op.TRANSPOSE && n.input(0).op() == Op.TRANSPOSE
                    ? n.input(0).input(0) : null),
            new Rule("reshape(c) -> expand(c)", n -> n.op() == Op.RESHAPE && n.input(0).shape().isScalar()
                    ? Node.of(Op.EXPAND, n.shape(), n.input(0)) : null),
            new Rule("view(fill(c)) -> fill(c)", n -> (n.op() == Op.RESHAPE || n.op() == Op.EXPAND)
                    && n.input(0).op() == Op.EXPAND && n.input(0).input(0).shape().isScalar()
                    ? Node.of(Op.EXPAND, n.shape(), n.input(0).input(0)) : null),
            new Rule("expand(scalar) op x -> scalar op x", Rules::scalarOperand),
            // Not dropout: each element of a broadcast value has a mask of its own.
            new Rule("f(expand(s)) -> expand(f(s))", n -> n.op().isElementwise() && n.inputs().size() == 1
                    && n.op() != Op.DROPOUT
                    && n.input(0).op() == Op.EXPAND && n.input(0).input(0).shape().isScalar()
                    ? Node.of(Op.EXPAND, n.shape(), n.withInputs(List.of(n.input(0).input(0)))) : null));

    /** Canonical order and reassociation, so constants gather and fold. */
    public static final List<Rule> CANONICAL = List.of(
            new Rule("x*c -> c*x", n -> n.op() == Op.MUL && n.input(1).isConstant() && !n.input(0).isConstant()
                    ? mul(n.input(1), n.input(0)) : null),
            new Rule("c+x -> x+c", n -> n.op() == Op.ADD && n.input(0).isConstant() && !n.input(1).isConstant()
                    ? add(n.input(1), n.input(0)) : null),
            // Only when c1*c2 folds: else "(c*x)*a -> c*(x*a)" takes the product apart again, forever.
            new Rule("c1*(c2*x) -> (c1*c2)*x", n -> n.op() == Op.MUL && n.input(0).isConstant()
                    && n.input(1).op() == Op.MUL && n.input(1).input(0).isConstant()
                    && Double.isFinite(n.input(0).constantValue() * n.input(1).input(0).constantValue())
                    ? mul(mul(n.input(0), n.input(1).input(0)), n.input(1).input(1)) : null),
            new Rule("a*(c*x) -> c*(a*x)", n -> n.op() == Op.MUL && !n.input(0).isConstant()
                    && n.input(1).op() == Op.MUL && n.input(1).input(0).isConstant()
                    ? mul(n.input(1).input(0), mul(n.input(0), n.input(1).input(1))) : null),
            new Rule("(c*x)*a -> c*(x*a)", n -> n.op() == Op.MUL && n.input(0).op() == Op.MUL
                    && n.input(0).input(0).isConstant() && !n.input(1).isConstant()
                    ? mul(n.input(0).input(0), mul(n.input(0).input(1), n.input(1))) : null),
            new Rule("(x+c1)+c2 -> x+(c1+c2)", n -> n.op() == Op.ADD && n.input(1).isConstant()
                    && n.input(0).op() == Op.ADD && n.input(0).input(1).isConstant()
                    ? add(n.input(0).input(0), add(n.input(0).input(1), n.input(1))) : null),
            new Rule("-(c*x) -> (-c)*x", n -> n.op() == Op.NEG && n.input(0).op() == Op.MUL
                    && n.input(0).input(0).isConstant() ? mul(neg(n.input(0).input(0)), n.input(0).input(1)) : null),
            new Rule("c*(-x) -> (-c)*x", n -> n.op() == Op.MUL && n.input(0).isConstant()
                    && n.input(1).op() == Op.NEG ? mul(neg(n.input(0)), n.input(1).input(0)) : null),
            new Rule("(-a)*x -> -(a*x)", n -> n.op() == Op.MUL && n.input(0).op() == Op.NEG
                    && !n.input(0).input(0).isConstant() ? neg(mul(n.input(0).input(0), n.input(1))) : null),
            new Rule("a*x + a*y -> a*(x + y)", n -> n.op() == Op.ADD && sameFactor(n.input(0), n.input(1))
                    ? mul(n.input(0).input(0), add(n.input(0).input(1), n.input(1).input(1))) : null),
            new Rule("-(a*x) + a*y -> a*(y - x)", n -> n.op() == Op.ADD && n.input(0).op() == Op.NEG
                    && sameFactor(n.input(0).input(0), n.input(1))
                    ? mul(n.input(1).input(0), add(n.input(1).input(1), neg(n.input(0).input(0).input(1)))) : null),
            new Rule("a*x + -(a*y) -> a*(x - y)", n -> n.op() == Op.ADD && n.input(1).op() == Op.NEG
                    && sameFactor(n.input(0), n.input(1).input(0))
                    ? mul(n.input(0).input(0), add(n.input(0).input(1), neg(n.input(1).input(0).input(1)))) : null));

    /**
     * Numerically stable forms, applied to the forward graph before differentiation so that
     * gradients are stable too.
     */
    public static final List<Rule> STABILITY = List.of(
            new Rule("log(exp(x)) -> x", n -> n.op() == Op.LOG && n.input(0).op() == Op.EXP ? n.input(0).input(0) : null),
            new Rule("log(sigmoid(x)) -> -softplus(-x)", n -> n.op() == Op.LOG && n.input(0).op() == Op.SIGMOID
                    ? neg(Node.of(Op.SOFTPLUS, neg(n.input(0).input(0)))) : null),
            new Rule("log(1 - sigmoid(x)) -> -softplus(x)", n -> n.op() == Op.LOG && isOneMinus(n.input(0), Op.SIGMOID)
                    ? neg(Node.of(Op.SOFTPLUS, n.input(0).input(1).input(0).input(0))) : null),
            new Rule("log(1 + exp(x)) -> softplus(x)", n -> n.op() == Op.LOG && n.input(0).op() == Op.ADD
                    && n.input(0).input(0).isConstant(1) && n.input(0).input(1).op() == Op.EXP
                    ? Node.of(Op.SOFTPLUS, n.input(0).input(1).input(0)) : null),
            new Rule("log(exp(x) + 1) -> softplus(x)", n -> n.op() == Op.LOG && n.input(0).op() == Op.ADD
                    && n.input(0).input(1).isConstant(1) && n.input(0).input(0).op() == Op.EXP
                    ? Node.of(Op.SOFTPLUS, n.input(0).input(0).input(0)) : null),
            new Rule("1 / (1 + exp(-x)) -> sigmoid(x)", n -> n.op() == Op.RECIP && n.input(0).op() == Op.ADD
                    && n.input(0).input(0).isConstant(1) && n.input(0).input(1).op() == Op.EXP
                    && n.input(0).input(1).input(0).op() == Op.NEG
                    ? Node.of(Op.SIGMOID, n.input(0).input(1).input(0).input(0)) : null),
            new Rule("sqrt(x^2) -> abs(x)", n -> n.op() == Op.SQRT && n.input(0).op() == Op.POW
                    && n.input(0).input(1).isConstant(2) ? Node.of(Op.ABS, n.input(0).input(0)) : null));

    /**
     * Orders of work that give the same values for less, applied to the forward graph before
     * differentiation so that the backward pass follows them. A ReLU after max pooling runs on a
     * quarter of the elements (both are maxima, so they commute exactly), and the pooling's
     * gradient then reads the pre-activation: the ReLU's output over the whole image is neither
     * stored nor masked in the backward pass. Its gradient is the same: each window's cotangent
     * goes to the first of its largest elements when that is positive, nowhere otherwise.
     */
    public static final List<Rule> ORDERS = List.of(
            new Rule("max_pool2d(relu(x)) -> relu(max_pool2d(x))", n -> n.op() == Op.MAX_POOL2D
                    && n.input(0).op() == Op.RELU
                    ? Node.of(Op.RELU, n.withInputs(List.of(n.input(0).input(0)))) : null));

    /** Whether both are products with the same left factor, a scalar, so that it can be factored out. */
    private static boolean sameFactor(Node a, Node b) {
        return a.op() == Op.MUL && b.op() == Op.MUL && a.input(0) == b.input(0) && a.input(0).shape().isScalar()
                && a.input(1).shape().equals(b.input(1).shape());
    }

    /** Whether {@code node} is {@code 1 - op(x)}, as {@code 1 + neg(op(x))}. */
    private static boolean isOneMinus(Node node, Op op) {
        return node.op() == Op.ADD && node.input(0).isConstant(1) && node.input(1).op() == Op.NEG
                && node.input(1).input(0).op() == op;
    }

    /** The stabilize stage's rules: stable forms and cheaper orders, with folding so that patterns show. */
    public static final List<Rule> STABILIZE = concat(STABILITY, ORDERS, FOLD, VIEWS);

    /** Every rule the simplify stage runs, in the order tried. */
    public static final List<Rule> SIMPLIFY = concat(FOLD, IDENTITIES, VIEWS, STABILITY, CANONICAL);

    /** Whether the node is {@code value} everywhere: the constant, or the constant expanded. */
    static boolean isFill(Node node, double value) {
        return node.isConstant(value)
                || (node.op() == Op.EXPAND && node.input(0).isConstant(value));
    }

    /** An elementwise op keeps a scalar operand as is; the other operand gives the shape. */
    private static Node scalarOperand(Node n) {
        if (!n.op().isElementwise() || n.inputs().size() != 2) {
            return null;
        }
        for (int k = 0; k < 2; k++) {
            Node operand = n.input(k);
            Node other = n.input(1 - k);
            if (operand.op() == Op.EXPAND && operand.input(0).shape().isScalar() && other.shape().equals(n.shape())) {
                Node[] inputs = {n.input(0), n.input(1)};
                inputs[k] = operand.input(0);
                return n.withInputs(List.of(inputs));
            }
        }
        return null;
    }

    private static Node foldConstants(Node n) {
        if (!n.op().isElementwise() || n.op() == Op.DROPOUT || n.op() == Op.TRAINING) {
            return null;
        }
        double[] values = new double[n.inputs().size()];
        for (int i = 0; i < values.length; i++) {
            if (!n.input(i).isConstant()) {
                return null;
            }
            values[i] = n.input(i).constantValue();
        }
        double value = Evaluator.apply(n.op(), values);
        return Double.isFinite(value) ? Node.constant(value) : null;
    }

    @SafeVarargs
    private static List<Rule> concat(List<Rule>... sets) {
        return java.util.Arrays.stream(sets).flatMap(List::stream).toList();
    }

    private static Node add(Node a, Node b) {
        return Node.of(Op.ADD, a, b);
    }

    private static Node mul(Node a, Node b) {
        return Node.of(Op.MUL, a, b);
    }

    private static Node neg(Node a) {
        return Node.of(Op.NEG, a);
    }
}
