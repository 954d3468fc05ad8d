package dev.modelc.check;

import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.Span;
import dev.modelc.graph.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Shape rules as the checker applies them, with the errors a person sees: NumPy broadcasting,
 * matrix products, axes. Each returns null after reporting an error.
 */
final class ShapeChecks {
    private final Diagnostics diagnostics;

    ShapeChecks(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** NumPy broadcasting: align on the right; equal dimensions, or one of them 1. */
    static Shape broadcast(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            int da = dimFromRight(a, rank - 1 - i);
            int db = dimFromRight(b, rank - 1 - i);
            if (da == db || db == 1) {
                dims.add(da);
            } else if (da == 1) {
                dims.add(db);
            } else {
                return null;
            }
        }
        return new Shape(dims);
    }

    private static int dimFromRight(Shape s, int fromRight) {
        int index = s.rank() - 1 - fromRight;
        return index >= 0 ? s.dim(index) : 1;
    }

    Shape broadcast(String what, Shape a, Shape b, Span at) {
        Shape result = broadcast(a, b);
        if (result == null) {
            diagnostics.error(at, what + " " + a + " and " + b + ": shapes do not broadcast",
                    "dimensions must be equal or 1 when aligned from the right");
        }
        return result;
    }

    /** The shape of {@code a @ b} for vectors and matrices, or null after an error with a hint. */
    Shape matmul(Shape a, Shape b, Span at, String leftText, String rightText) {
        if (a.rank() == 0 || b.rank() == 0 || a.rank() > 2 || b.rank() > 2) {
            diagnostics.error(at, "matmul " + a + " @ " + b + ": `@` takes vectors and matrices",
                    a.rank() == 0 || b.rank() == 0 ? "to scale by a scalar, use `*`" : null);
            return null;
        }
        int inner = a.dim(a.rank() - 1);
        int other = b.dim(0);
        if (inner != other) {
            diagnostics.error(at, "matmul " + a + " @ " + b + ": inner dimensions " + Shape.dimText(inner)
                    + " and " + Shape.dimText(other) + " differ", matmulHint(a, b, leftText, rightText));
            return null;
        }
        List<Integer> dims = new ArrayList<>();
        if (a.rank() == 2) {
            dims.add(a.dim(0));
        }
        if (b.rank() == 2) {
            dims.add(b.dim(1));
        }
        return new Shape(dims);
    }

    private static String matmulHint(Shape a, Shape b, String left, String right) {
        if (a.rank() != 2 || b.rank() != 2) {
            return null;
        }
        if (b.dim(1) == a.dim(0)) {
            return "did you mean `" + right + " @ " + left + "`?";
        }
        if (a.dim(1) == b.dim(1)) {
            return "did you mean `" + left + " @ transpose(" + right + ")`?";
        }
        if (a.dim(0) == b.dim(0)) {
            return "did you mean `transpose(" + left + ") @ " + right + "`?";
        }
        return null;
    }

    /** The axis, counted from the end when negative, or null after an error. */
    Integer axis(long axis, Shape shape, String function, Span at) {
        long normalized = axis < 0 ? axis + shape.rank() : axis;
        if (normalized < 0 || normalized >= shape.rank()) {
            diagnostics.error(at, "axis " + axis + " is out of range for `" + function + "` of shape " + shape,
                    shape.isScalar() ? "a scalar has no axes" : "axes go from 0 to " + (shape.rank() - 1)
                            + ", or -1 for the last");
            return null;
        }
        return (int) normalized;
    }
}
