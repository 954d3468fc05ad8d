package dev.modelc.autodiff;

import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Shape;
import dev.modelc.graph.Slice;
import dev.modelc.graph.Window;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode derivative rules, one per differentiable op: given a node {@code y = op(x...)}
 * and the cotangent {@code g} of y, the cotangent contributed to each input. Rules may reuse
 * y itself (sigmoid, tanh, exp, sqrt), which is why forward values are kept for the backward
 * pass.
 */
public final class DerivativeRules {
    /** A vector-Jacobian product: one cotangent per input, null where none flows. */
    @FunctionalInterface
    public interface Rule {
        Node[] vjp(Node y, Node g);
    }

    private static final Map<Op, Rule> RULES = new EnumMap<>(Op.class);

    static {
        RULES.put(Op.ADD, (y, g) -> new Node[] {g, g});
        RULES.put(Op.MUL, (y, g) -> new Node[] {mul(g, y.input(1)), mul(g, y.input(0))});
        RULES.put(Op.NEG, (y, g) -> new Node[] {neg(g)});
        // d(1/x) = -1/x^2 = -y*y
        RULES.put(Op.RECIP, (y, g) -> new Node[] {neg(mul(g, mul(y, y)))});
        RULES.put(Op.POW, DerivativeRules::pow);
        RULES.put(Op.EXP, (y, g) -> new Node[] {mul(g, y)});
        RULES.put(Op.LOG, (y, g) -> new Node[] {mul(g, recip(y.input(0)))});
        // d sqrt(x) = 1 / (2 sqrt(x))
        RULES.put(Op.SQRT, (y, g) -> new Node[] {mul(g, recip(mul(Node.constant(2), y)))});
        RULES.put(Op.ABS, (y, g) -> new Node[] {mul(g, Node.of(Op.SIGN, y.input(0)))});
        // d tanh = 1 - tanh^2
        RULES.put(Op.TANH, (y, g) -> new Node[] {mul(g, add(Node.constant(1), neg(mul(y, y))))});
        // d sigmoid = s (1 - s)
        RULES.put(Op.SIGMOID, (y, g) -> new Node[] {mul(g, mul(y, add(Node.constant(1), neg(y))))});
        RULES.put(Op.SOFTPLUS, (y, g) -> new Node[] {mul(g, Node.of(Op.SIGMOID, y.input(0)))});
        // x read through inputs(): relu(x) > 0 exactly when x > 0, so step(y) would be the same
        // gradient, and a rule that read y by mistake could never be told apart from this one.
        RULES.put(Op.RELU, (y, g) -> new Node[] {mul(g, Node.of(Op.STEP, y.inputs().get(0)))});
        RULES.put(Op.SIN, (y, g) -> new Node[] {mul(g, Node.of(Op.COS, y.input(0)))});
        RULES.put(Op.COS, (y, g) -> new Node[] {neg(mul(g, Node.of(Op.SIN, y.input(0))))});
        // d log(1 + x) = 1 / (1 + x)
        RULES.put(Op.LOG1P, (y, g) -> new Node[] {mul(g, recip(add(y.input(0), Node.constant(1))))});
        // d (e^x - 1) = e^x = y + 1
        RULES.put(Op.EXPM1, (y, g) -> new Node[] {mul(g, add(y, Node.constant(1)))});
        // d erf(x) = 2/√π e^(-x²)
        RULES.put(Op.ERF, (y, g) -> new Node[] {mul(g, mul(Node.constant(2 / Math.sqrt(Math.PI)),
                Node.of(Op.EXP, neg(mul(y.input(0), y.input(0))))))});
        RULES.put(Op.STOP_GRADIENT, (y, g) -> new Node[] {null});
        // x times a mask: the cotangent times the same mask, the same site drawing it again.
        RULES.put(Op.DROPOUT, (y, g) -> new Node[] {Node.of(Op.DROPOUT, y.attribute(), g)});
        // Gradients are taken in training, which chooses the batch statistic.
        RULES.put(Op.TRAINING, (y, g) -> new Node[] {g, null});
        // The cotangent goes to the branch taken, none to the condition.
        RULES.put(Op.WHERE, (y, g) -> {
            Node[] cotangents = new Node[3];
            cotangents[1] = Node.of(Op.WHERE, y.input(0), g, Node.constant(0));
            cotangents[2] = Node.of(Op.WHERE, y.input(0), Node.constant(0), g);
            return cotangents;
        });
        // Piecewise constant: zero almost everywhere.
        RULES.put(Op.SIGN, (y, g) -> new Node[] {null});
        RULES.put(Op.STEP, (y, g) -> new Node[] {null});
        RULES.put(Op.EXPAND, (y, g) -> new Node[] {Broadcasts.sumTo(g, y.input(0).shape())});
        RULES.put(Op.RESHAPE, (y, g) -> new Node[] {Node.of(Op.RESHAPE, y.input(0).shape(), g)});
        RULES.put(Op.TRANSPOSE, (y, g) -> new Node[] {Node.of(Op.TRANSPOSE, g)});
        RULES.put(Op.SLICE, (y, g) -> new Node[] {Indexes.unslice(g, y.input(0).shape(), (Slice) y.attribute())});
        RULES.put(Op.CONCAT, (y, g) -> {
            int axis = y.axes().get(0);
            int first = y.input(0).shape().dim(axis);
            return new Node[] {Node.of(Op.SLICE, new Slice(axis, 0, first), g),
                Node.of(Op.SLICE, new Slice(axis, first, y.shape().dim(axis)), g)};
        });
        // Rows read more than once get the sum of their cotangents.
        RULES.put(Op.GATHER, (y, g) -> new Node[] {Node.of(Op.SCATTER_ADD, y.input(0).shape(), g, y.input(1)), null});
        RULES.put(Op.SCATTER_ADD, (y, g) -> new Node[] {Node.of(Op.GATHER, g, y.input(1)), null});
        RULES.put(Op.SUM, (y, g) -> new Node[] {Broadcasts.unreduce(g, y.input(0).shape(), y.axes())});
        // The gradient goes to the first largest element of each group, as PyTorch's max(dim)
        // and max_pool2d send it: ties do not share it, nor get it twice.
        RULES.put(Op.MAX, (y, g) -> {
            Node x = y.input(0);
            Node first = Node.of(Op.FIRST_MAX, y.axes(), x);
            return new Node[] {mul(Broadcasts.unreduce(g, x.shape(), y.axes()), first)};
        });
        // Each window's cotangent to the first of its largest elements, as for MAX.
        RULES.put(Op.MAX_POOL2D, (y, g) -> new Node[] {Node.of(Op.MAX_POOL2D_GRAD, y.attribute(), y.input(0), g)});
        // Linear in the cotangent g: each window's element that got g gives back its own cotangent.
        // Piecewise constant in x.
        RULES.put(Op.MAX_POOL2D_GRAD, (y, g) -> {
            Node[] cotangents = new Node[2];
            cotangents[1] = firstOfWindows(y.input(0), g, (Integer) y.attribute());
            return cotangents;
        });
        // d logsumexp(x) = softmax(x) = exp(x - logsumexp(x))
        RULES.put(Op.LOGSUMEXP, (y, g) -> {
            Node x = y.input(0);
            Node softmax = Node.of(Op.EXP, add(x, neg(Broadcasts.unreduce(y, x.shape(), y.axes()))));
            return new Node[] {mul(Broadcasts.unreduce(g, x.shape(), y.axes()), softmax)};
        });
        // y = a @ b: da = g @ b^T, db = a^T @ g
        RULES.put(Op.MATMUL, (y, g) -> new Node[] {
            Node.of(Op.MATMUL, g, Node.of(Op.TRANSPOSE, y.input(1))),
            Node.of(Op.MATMUL, Node.of(Op.TRANSPOSE, y.input(0)), g)});
        // The three convolution ops are the partial derivatives of one trilinear form in x, the
        // kernel and the cotangent, so each one's adjoints are the other two.
        RULES.put(Op.CONV2D, (y, g) -> {
            Window w = (Window) y.attribute();
            return new Node[] {Node.of(Op.CONV2D_INPUT, w.to(y.input(0).shape()), g, y.input(1)),
                Node.of(Op.CONV2D_KERNEL, w.to(y.input(1).shape()), y.input(0), g)};
        });
        RULES.put(Op.CONV2D_INPUT, (y, g) -> {
            Window w = (Window) y.attribute();
            return new Node[] {Node.of(Op.CONV2D, Window.of(w.stride(), w.padding()), g, y.input(1)),
                Node.of(Op.CONV2D_KERNEL, w.to(y.input(1).shape()), g, y.input(0))};
        });
        RULES.put(Op.CONV2D_KERNEL, (y, g) -> {
            Window w = (Window) y.attribute();
            return new Node[] {Node.of(Op.CONV2D_INPUT, w.to(y.input(0).shape()), y.input(1), g),
                Node.of(Op.CONV2D, Window.of(w.stride(), w.padding()), y.input(0), g)};
        });
        RULES.put(Op.ONEHOT, (y, g) -> new Node[] {null});
        RULES.put(Op.ARGMAX, (y, g) -> new Node[] {null});
        RULES.put(Op.FIRST_MAX, (y, g) -> new Node[] {null});
        // Comparisons pass no cotangent; the checker refuses them between a param and the loss.
        for (Op comparison : new Op[] {Op.LT, Op.LE, Op.GT, Op.GE, Op.EQ, Op.NE}) {
            RULES.put(comparison, (y, g) -> new Node[2]);
        }
    }

    private DerivativeRules() {
    }

    /**
     * Per window of size x size over x [n, c, h, w], the element of h (x's shape) at the first
     * of x's largest elements: [n, c, h / size, w / size].
     */
    private static Node firstOfWindows(Node x, Node h, int size) {
        Shape s = x.shape();
        int height = s.dim(2) / size;
        int width = s.dim(3) / size;
        Shape windows = Shape.of(s.dim(0), s.dim(1), height, size, width, size);
        List<Integer> axes = List.of(3, 5);
        Node first = Node.of(Op.FIRST_MAX, axes, Node.of(Op.RESHAPE, windows, whole(x, height * size, width * size)));
        Node picked = mul(Node.of(Op.RESHAPE, windows, whole(h, height * size, width * size)), first);
        return Node.of(Op.SUM, axes, picked);
    }

    /**
     * x [n, c, h, w] without the rows and columns past {@code height} and {@code width}; a slice
     * of a whole axis is the axis itself, so windows that tile x need no case of their own.
     */
    private static Node whole(Node x, int height, int width) {
        return Node.of(Op.SLICE, new Slice(3, 0, width), Node.of(Op.SLICE, new Slice(2, 0, height), x));
    }

    /** The rule for {@code op}, or null when the op is not differentiable. */
    public static Rule rule(Op op) {
        return RULES.get(op);
    }

    /** Ops with a rule; a test checks every differentiable non-leaf op is here. */
    public static Set<Op> covered() {
        return RULES.keySet();
    }

    /**
     * Test hook: runs {@code body} with {@code op}'s rule replaced by {@code rule}, then puts the
     * real rule back. A mutation test uses it to show that gradient checks catch a wrong rule.
     * Not thread-safe, and never called outside tests.
     */
    static void withOverride(Op op, Rule rule, Runnable body) {
        Rule original = RULES.put(op, rule);
        try {
            body.run();
        } finally {
            RULES.put(op, original);
        }
    }

    /**
     * {@code y = a^b}: da = g b a^(b-1); db = g y log(a). With a constant exponent the
     * second is never asked for, and the first folds to the familiar {@code c * a^(c-1)}.
     */
    private static Node[] pow(Node y, Node g) {
        Node a = y.input(0);
        Node b = y.input(1);
        Node da = mul(g, mul(b, Node.of(Op.POW, a, add(b, Node.constant(-1)))));
        Node db = b.isConstant() ? null : mul(g, mul(y, Node.of(Op.LOG, a)));
        return new Node[] {da, db};
    }

    static Node add(Node a, Node b) {
        return Node.of(Op.ADD, a, b);
    }

    static Node mul(Node a, Node b) {
        return Node.of(Op.MUL, a, b);
    }

    static Node neg(Node a) {
        return Node.of(Op.NEG, a);
    }

    static Node recip(Node a) {
        return Node.of(Op.RECIP, a);
    }
}
