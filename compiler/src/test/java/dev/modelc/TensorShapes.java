package dev.modelc;

import dev.modelc.graph.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape rules of the language as the tensor property test reads them: NumPy broadcasting,
 * NumPy's matrix products of vectors and matrices, reductions that drop their axis.
 */
final class TensorShapes {
    private TensorShapes() {
    }

    /** The shape of {@code op} applied to operands of these shapes; throws when they do not fit. */
    static Shape result(TensorOp op, List<Shape> in, Integer axis) {
        Shape x = in.get(0);
        return switch (op.kind()) {
            case ELEMENTWISE, COMPARISON -> in.size() == 1 ? x : broadcast(x, in.get(1));
            case MATMUL -> matmul(x, in.get(1));
            case TRANSPOSE -> {
                require(x.rank() == 2, "transpose of " + x);
                yield Shape.of(x.dim(1), x.dim(0));
            }
            case REDUCTION -> {
                boolean everything = axis == null && op.reducesEverythingWithoutAxis();
                yield everything ? Shape.SCALAR : x.without(normalize(axis == null ? -1 : axis, x));
            }
            case ALONG_AXIS -> {
                normalize(axis == null ? -1 : axis, x);
                yield x;
            }
            case MSE -> {
                broadcast(x, in.get(1));
                yield Shape.SCALAR;
            }
            case CROSS_ENTROPY -> {
                require(x.rank() >= 1, "cross-entropy of scalar logits");
                Shape rows = x.without(x.rank() - 1);
                require(rows.equals(in.get(1)), "labels " + in.get(1) + " for logits " + x);
                yield rows;
            }
        };
    }

    /** NumPy broadcasting: aligned on the right, each pair of dimensions equal or one of them 1. */
    static Shape broadcast(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            int da = fromRight(a, rank - 1 - i);
            int db = fromRight(b, rank - 1 - i);
            require(da == db || da == 1 || db == 1, a + " and " + b + " do not broadcast");
            dims.add(da == 1 ? db : da);
        }
        return new Shape(dims);
    }

    /** Whether {@code from} broadcasts to exactly {@code to}. */
    static boolean broadcastsTo(Shape from, Shape to) {
        if (from.rank() > to.rank()) {
            return false;
        }
        for (int i = 0; i < from.rank(); i++) {
            int d = fromRight(from, i);
            if (d != 1 && d != fromRight(to, i)) {
                return false;
            }
        }
        return true;
    }

    /** Dimension {@code i} counted from the right, 1 beyond the rank. */
    static int fromRight(Shape s, int i) {
        return i < s.rank() ? s.dim(s.rank() - 1 - i) : 1;
    }

    private static Shape matmul(Shape a, Shape b) {
        require(a.rank() >= 1 && a.rank() <= 2 && b.rank() >= 1 && b.rank() <= 2, "matmul of " + a + " and " + b);
        require(a.dim(a.rank() - 1) == b.dim(0), "matmul of " + a + " and " + b);
        List<Integer> dims = new ArrayList<>();
        if (a.rank() == 2) {
            dims.add(a.dim(0));
        }
        if (b.rank() == 2) {
            dims.add(b.dim(1));
        }
        return new Shape(dims);
    }

    private static int normalize(int axis, Shape x) {
        int resolved = axis < 0 ? axis + x.rank() : axis;
        require(resolved >= 0 && resolved < x.rank(), "axis " + axis + " of " + x);
        return resolved;
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalArgumentException("shapes do not fit: " + what);
        }
    }
}
