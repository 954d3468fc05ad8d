package dev.modelc.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The language's functions and operators, each built from primitive ops. */
public final class Library {
    /** One function: its positional arguments and its {@code axis} (null when not given). */
    @FunctionalInterface
    interface Builder {
        Node build(List<Node> args, Integer axis);
    }

    private static final Map<String, Builder> FUNCTIONS = new LinkedHashMap<>();

    static {
        unary("exp", Op.EXP);
        unary("log", Op.LOG);
        unary("sqrt", Op.SQRT);
        unary("abs", Op.ABS);
        unary("tanh", Op.TANH);
        unary("sigmoid", Op.SIGMOID);
        unary("softplus", Op.SOFTPLUS);
        unary("relu", Op.RELU);
        unary("sin", Op.SIN);
        unary("cos", Op.COS);
        FUNCTIONS.put("square", (a, axis) -> Node.of(Op.POW, a.get(0), Node.constant(2)));
        FUNCTIONS.put("mse", (a, axis) -> {
            Node diff = elementwise(Op.ADD, a.get(0), Node.of(Op.NEG, a.get(1)));
            return mean(Node.of(Op.POW, diff, Node.constant(2)), null);
        });
        // softplus is computed stably, so this is the stable form of the logistic loss.
        FUNCTIONS.put("bce_with_logits", (a, axis) -> elementwise(Op.ADD, Node.of(Op.SOFTPLUS, a.get(0)),
                Node.of(Op.NEG, elementwise(Op.MUL, a.get(1), a.get(0)))));
        FUNCTIONS.put("sum", (a, axis) -> reduce(Op.SUM, a.get(0), axis));
        FUNCTIONS.put("mean", (a, axis) -> mean(a.get(0), axis));
        FUNCTIONS.put("max", (a, axis) -> reduce(Op.MAX, a.get(0), axis));
        FUNCTIONS.put("logsumexp", (a, axis) -> logsumexp(a.get(0), last(a.get(0), axis)));
        FUNCTIONS.put("log_softmax", (a, axis) -> logSoftmax(a.get(0), last(a.get(0), axis)));
        FUNCTIONS.put("softmax", (a, axis) -> Node.of(Op.EXP, logSoftmax(a.get(0), last(a.get(0), axis))));
        FUNCTIONS.put("transpose", (a, axis) -> Node.of(Op.TRANSPOSE, a.get(0)));
        FUNCTIONS.put("argmax", (a, axis) -> Node.of(Op.ARGMAX, List.of(last(a.get(0), axis)), a.get(0)));
        FUNCTIONS.put("softmax_cross_entropy", (a, axis) -> softmaxCrossEntropy(a.get(0), a.get(1)));
    }

    private Library() {
    }

    private static void unary(String name, Op op) {
        FUNCTIONS.put(name, (a, axis) -> Node.of(op, a.get(0)));
    }

    /** Functions the library builds; a test checks the checker's list against it. */
    public static Set<String> functions() {
        return FUNCTIONS.keySet();
    }

    static Node call(String function, List<Node> args, Integer axis) {
        return FUNCTIONS.get(function).build(args, axis);
    }

    /** An elementwise op with NumPy broadcasting made explicit. */
    static Node elementwise(Op op, Node a, Node b) {
        Shape shape = broadcastShape(a.shape(), b.shape());
        return Node.of(op, broadcast(a, shape), broadcast(b, shape));
    }

    /** The node as {@code shape}: scalars stay scalars, since elementwise ops take them as they are. */
    static Node broadcast(Node node, Shape shape) {
        Shape from = node.shape();
        if (from.equals(shape) || from.isScalar()) {
            return node;
        }
        Node padded = node;
        if (from.rank() < shape.rank()) {
            List<Integer> dims = new ArrayList<>();
            for (int i = from.rank(); i < shape.rank(); i++) {
                dims.add(1);
            }
            dims.addAll(from.dims());
            padded = Node.of(Op.RESHAPE, new Shape(dims), node);
        }
        return padded.shape().equals(shape) ? padded : Node.of(Op.EXPAND, shape, padded);
    }

    static Shape broadcastShape(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            int da = i - (rank - a.rank()) >= 0 ? a.dim(i - (rank - a.rank())) : 1;
            int db = i - (rank - b.rank()) >= 0 ? b.dim(i - (rank - b.rank())) : 1;
            dims.add(da == 1 ? db : da);
        }
        return new Shape(dims);
    }

    /** Vector and matrix products through the one primitive, [m, k] @ [k, n]. */
    static Node matmul(Node a, Node b) {
        Shape sa = a.shape();
        Shape sb = b.shape();
        Node left = sa.rank() == 1 ? Node.of(Op.RESHAPE, Shape.of(1, sa.dim(0)), a) : a;
        Node right = sb.rank() == 1 ? Node.of(Op.RESHAPE, Shape.of(sb.dim(0), 1), b) : b;
        Node product = Node.of(Op.MATMUL, left, right);
        List<Integer> dims = new ArrayList<>();
        if (sa.rank() == 2) {
            dims.add(sa.dim(0));
        }
        if (sb.rank() == 2) {
            dims.add(sb.dim(1));
        }
        Shape shape = new Shape(dims);
        return product.shape().equals(shape) ? product : Node.of(Op.RESHAPE, shape, product);
    }

    /** Over one axis, or over everything when {@code axis} is null. */
    private static Node reduce(Op op, Node x, Integer axis) {
        if (x.shape().isScalar()) {
            return x;
        }
        return Node.of(op, axes(x.shape(), axis), x);
    }

    private static Node mean(Node x, Integer axis) {
        if (x.shape().isScalar()) {
            return x;
        }
        List<Integer> axes = axes(x.shape(), axis);
        Node sum = Node.of(Op.SUM, axes, x);
        long count = 1;
        boolean batch = false;
        for (int a : axes) {
            int dim = x.shape().dim(a);
            batch |= dim == Shape.BATCH;
            count *= dim == Shape.BATCH ? 1 : dim;
        }
        Node n = batch ? Node.of(Op.MUL, Node.constant(count), Node.batchSize()) : Node.constant(count);
        return Node.of(Op.MUL, sum, Node.of(Op.RECIP, n));
    }

    private static Node logsumexp(Node x, int axis) {
        return Node.of(Op.LOGSUMEXP, List.of(axis), x);
    }

    /** x - logsumexp(x), the stable form of log(softmax(x)). */
    private static Node logSoftmax(Node x, int axis) {
        Node lse = logsumexp(x, axis);
        Node spread = Node.of(Op.EXPAND, x.shape(), Node.of(Op.RESHAPE, x.shape().keeping(List.of(axis)), lse));
        return Node.of(Op.ADD, x, Node.of(Op.NEG, spread));
    }

    /** Per row: logsumexp(logits) - logits[label], computed stably. */
    private static Node softmaxCrossEntropy(Node logits, Node labels) {
        int axis = logits.shape().rank() - 1;
        int classes = logits.shape().dim(axis);
        Node picked = Node.of(Op.SUM, List.of(axis), Node.of(Op.MUL, logits, Node.of(Op.ONEHOT, classes, labels)));
        return Node.of(Op.ADD, logsumexp(logits, axis), Node.of(Op.NEG, picked));
    }

    private static int last(Node x, Integer axis) {
        int rank = x.shape().rank();
        if (axis == null) {
            return rank - 1;
        }
        return axis < 0 ? axis + rank : axis;
    }

    private static List<Integer> axes(Shape shape, Integer axis) {
        List<Integer> axes = new ArrayList<>();
        if (axis != null) {
            axes.add(axis < 0 ? axis + shape.rank() : axis);
        } else {
            for (int i = 0; i < shape.rank(); i++) {
                axes.add(i);
            }
        }
        return List.copyOf(axes);
    }
}
