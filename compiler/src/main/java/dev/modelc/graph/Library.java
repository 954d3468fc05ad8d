package dev.modelc.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * The language's functions and operators built from primitive ops: what lowering makes of a
 * call or an operator once the checker has passed it. Which name calls which builder is in the
 * checker's table of functions.
 */
public final class Library {
    private Library() {
    }

    /** An elementwise op with NumPy broadcasting made explicit. */
    public static Node elementwise(Op op, Node a, Node b) {
        Shape shape = Shape.broadcast(a.shape(), b.shape());
        return Node.of(op, broadcast(a, shape), broadcast(b, shape));
    }

    /** {@code op(a, b, c)} over the shape the three broadcast to. */
    public static Node elementwise(Op op, Node a, Node b, Node c) {
        Shape shape = Shape.broadcast(Shape.broadcast(a.shape(), b.shape()), c.shape());
        return Node.of(op, broadcast(a, shape), broadcast(b, shape), broadcast(c, shape));
    }

    /** The smaller of each pair of elements; on a tie, the first's. */
    public static Node minimum(Node a, Node b) {
        Shape shape = Shape.broadcast(a.shape(), b.shape());
        Node x = broadcast(a, shape);
        Node y = broadcast(b, shape);
        return Node.of(Op.WHERE, Node.of(Op.LE, x, y), x, y);
    }

    /** The larger of each pair of elements; on a tie, the first's. */
    public static Node maximum(Node a, Node b) {
        Shape shape = Shape.broadcast(a.shape(), b.shape());
        Node x = broadcast(a, shape);
        Node y = broadcast(b, shape);
        return Node.of(Op.WHERE, Node.of(Op.GE, x, y), x, y);
    }

    /** x where x > 0, else {@code slope * x}. */
    public static Node leakyRelu(Node x, double slope) {
        return Node.of(Op.WHERE, Node.of(Op.GT, x, Node.constant(0)), x, Node.of(Op.MUL, Node.constant(slope), x));
    }

    /**
     * x where x > 0, else {@code alpha * (e^x - 1)}; the exponential is taken of min(x, 0), so
     * that it cannot overflow where it is not used, nor its derivative multiply a zero by infinity.
     */
    public static Node elu(Node x, double alpha) {
        Node positive = Node.of(Op.GT, x, Node.constant(0));
        Node negativePart = Node.of(Op.WHERE, positive, Node.constant(0), x);
        return Node.of(Op.WHERE, positive, x, Node.of(Op.MUL, Node.constant(alpha), Node.of(Op.EXPM1, negativePart)));
    }

    /** x Φ(x) = x (1 + erf(x / √2)) / 2, as PyTorch's gelu computes it by default. */
    public static Node gelu(Node x) {
        Node cdf = Node.of(Op.ADD, Node.constant(1), Node.of(Op.ERF, Node.of(Op.MUL, Node.constant(Math.sqrt(0.5)), x)));
        return Node.of(Op.MUL, Node.of(Op.MUL, Node.constant(0.5), x), cdf);
    }

    /** The node as {@code shape}: scalars stay scalars, since elementwise ops take them as they are. */
    public static Node broadcast(Node node, Shape shape) {
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

    /** The same elements in row-major order as {@code shape}. */
    public static Node reshape(Node x, Shape shape) {
        return x.shape().equals(shape) ? x : Node.of(Op.RESHAPE, shape, x);
    }

    /** The first dimension kept, the others joined into one. */
    public static Node flatten(Node x) {
        Shape s = x.shape();
        return reshape(x, Shape.of(s.dim(0), (int) (s.sizeWithoutBatch() / Math.max(1, s.dim(0)))));
    }

    /** The values one after the other along {@code axis}, the last unless given. */
    public static Node concat(List<Node> values, Integer axis) {
        int resolved = last(values.get(0), axis);
        Node result = values.get(0);
        for (Node next : values.subList(1, values.size())) {
            result = Node.of(Op.CONCAT, List.of(resolved), result, next);
        }
        return result;
    }

    /** The values along a new axis, the last unless given. */
    public static Node stack(List<Node> values, Integer axis) {
        int rank = values.get(0).shape().rank();
        int resolved = axis == null ? rank : axis < 0 ? axis + rank + 1 : axis;
        List<Integer> dims = new ArrayList<>(values.get(0).shape().dims());
        dims.add(resolved, 1);
        Shape single = new Shape(dims);
        return concat(values.stream().map(v -> Node.of(Op.RESHAPE, single, v)).toList(), resolved);
    }

    /** {@code x[...]}: ranges and positions along the leading axes, positions dropping their axis. */
    public static Node index(Node x, List<Slice> ranges, List<Integer> dropped) {
        Node result = x;
        for (Slice range : ranges) {
            if (range.from() != 0 || range.to() != result.shape().dim(range.axis())) {
                result = Node.of(Op.SLICE, range, result);
            }
        }
        return dropped.isEmpty() ? result : reshape(result, result.shape().removing(dropped));
    }

    /** Vector and matrix products through the one primitive, [m, k] @ [k, n]. */
    public static Node matmul(Node a, Node b) {
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

    /**
     * Windows of {@code size} x {@code size} over the last two axes of x [n, c, h, w], side by
     * side, reduced by {@code op} (MAX for the largest element, SUM for the mean): the rows and
     * columns past the last whole window are dropped, the rest reshaped to
     * [n, c, h / size, size, w / size, size] and reduced over the two window axes. Windows of
     * one element leave x as it is. The largest elements take an op of their own,
     * {@link Op#MAX_POOL2D}, which reads x in place.
     */
    public static Node pool2d(Op op, Node x, int size) {
        if (size == 1) {
            return x;
        }
        if (op == Op.MAX) {
            return Node.of(Op.MAX_POOL2D, size, x);
        }
        Shape s = x.shape();
        int height = s.dim(2) / size;
        int width = s.dim(3) / size;
        Node whole = index(x, List.of(new Slice(2, 0, height * size), new Slice(3, 0, width * size)), List.of());
        Node windows = reshape(whole, Shape.of(s.dim(0), s.dim(1), height, size, width, size));
        Node reduced = Node.of(op, List.of(3, 5), windows);
        return op == Op.SUM ? Node.of(Op.MUL, reduced, Node.constant(1.0 / (size * size))) : reduced;
    }

    /** Over one axis, or over everything when {@code axis} is null. */
    public static Node reduce(Op op, Node x, Integer axis) {
        if (x.shape().isScalar()) {
            return x;
        }
        return Node.of(op, axes(x.shape(), axis), x);
    }

    /** The same, the reduced axes kept with size 1 when {@code keep} is true. */
    public static Node reduce(Op op, Node x, Integer axis, boolean keep) {
        return kept(reduce(op, x, axis), x, axis, keep);
    }

    /** The smallest element, over one axis or everything: -max(-x). */
    public static Node min(Node x, Integer axis, boolean keep) {
        return kept(Node.of(Op.NEG, reduce(Op.MAX, Node.of(Op.NEG, x), axis)), x, axis, keep);
    }

    /** The reduction {@code r} of {@code x} reshaped to keep its reduced axes with size 1, if asked. */
    private static Node kept(Node r, Node x, Integer axis, boolean keep) {
        if (!keep || x.shape().isScalar()) {
            return r;
        }
        return Node.of(Op.RESHAPE, x.shape().keeping(axes(x.shape(), axis)), r);
    }

    public static Node mean(Node x, Integer axis, boolean keep) {
        return kept(mean(x, axis), x, axis, keep);
    }

    public static Node mean(Node x, Integer axis) {
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

    /** The mean of the squared differences: a scalar. */
    public static Node mse(Node prediction, Node target) {
        Node diff = elementwise(Op.ADD, prediction, Node.of(Op.NEG, target));
        return mean(Node.of(Op.POW, diff, Node.constant(2)), null);
    }

    /** softplus(z) - target * z, the logistic loss; softplus is computed stably, so this is its stable form. */
    public static Node bceWithLogits(Node z, Node target) {
        return elementwise(Op.ADD, Node.of(Op.SOFTPLUS, z), Node.of(Op.NEG, elementwise(Op.MUL, target, z)));
    }

    /** Over one axis, the last unless given. */
    public static Node logsumexp(Node x, Integer axis, boolean keep) {
        return kept(logsumexpAt(x, last(x, axis)), x, last(x, axis), keep);
    }

    public static Node softmax(Node x, Integer axis) {
        return Node.of(Op.EXP, logSoftmaxAt(x, last(x, axis)));
    }

    /**
     * The logsumexp a softmax {@code exp(x - logsumexp(x))} subtracts, or null for any other
     * node: the form {@link #softmax} builds and the logsumexp's derivative rule reads.
     */
    public static Node softmaxOver(Node exp) {
        if (exp.op() != Op.EXP || exp.input(0).op() != Op.ADD || exp.input(0).input(1).op() != Op.NEG) {
            return null;
        }
        Node spread = exp.input(0).input(1).input(0);
        while (spread.op() == Op.EXPAND || spread.op() == Op.RESHAPE) {
            spread = spread.input(0);
        }
        boolean softmax = spread.op() == Op.LOGSUMEXP && !spread.shape().isScalar()
                && spread.input(0) == exp.input(0).input(0) && exp.shape().equals(spread.input(0).shape());
        return softmax ? spread : null;
    }

    public static Node logSoftmax(Node x, Integer axis) {
        return logSoftmaxAt(x, last(x, axis));
    }

    public static Node argmax(Node x, Integer axis, boolean keep) {
        return kept(Node.of(Op.ARGMAX, List.of(last(x, axis)), x), x, last(x, axis), keep);
    }

    /** The index of the first smallest element along one axis, the last unless given: argmax(-x). */
    public static Node argmin(Node x, Integer axis, boolean keep) {
        return argmax(Node.of(Op.NEG, x), last(x, axis), keep);
    }

    private static Node logsumexpAt(Node x, int axis) {
        return Node.of(Op.LOGSUMEXP, List.of(axis), x);
    }

    /** x - logsumexp(x), the stable form of log(softmax(x)). */
    private static Node logSoftmaxAt(Node x, int axis) {
        Node lse = logsumexpAt(x, axis);
        Node spread = Node.of(Op.EXPAND, x.shape(), Node.of(Op.RESHAPE, x.shape().keeping(List.of(axis)), lse));
        return Node.of(Op.ADD, x, Node.of(Op.NEG, spread));
    }

    /** Per row: logsumexp(logits) - logits[label], computed stably. */
    public static Node softmaxCrossEntropy(Node logits, Node labels) {
        int axis = logits.shape().rank() - 1;
        int classes = logits.shape().dim(axis);
        Node picked = Node.of(Op.SUM, List.of(axis), Node.of(Op.MUL, logits, Node.of(Op.ONEHOT, classes, labels)));
        return Node.of(Op.ADD, logsumexpAt(logits, axis), Node.of(Op.NEG, picked));
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
