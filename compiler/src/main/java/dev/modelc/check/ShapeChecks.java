package dev.modelc.check;

import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.Span;
import dev.modelc.graph.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Shape rules as the checker applies them, with the errors a person sees: NumPy broadcasting,
 * matrix products, axes. Each returns null after reporting an error.
 */
final class ShapeChecks {
    private final Diagnostics diagnostics;
    /** Whether a name is a param or an input, whose shape its declaration gives. */
    private final Predicate<String> declared;
    /** The gammas of the model's calls of {@code batch_norm} so far, which name their running statistics. */
    final java.util.Map<String, Span> batchNormGammas = new java.util.HashMap<>();
    /** The param each parameter of a function being checked stands for, when its argument names one. */
    final java.util.Map<ModelChecker.Symbol, String> paramArguments = new java.util.IdentityHashMap<>();

    ShapeChecks(Diagnostics diagnostics, Predicate<String> declared) {
        this.diagnostics = diagnostics;
        this.declared = declared;
    }

    Shape broadcast(String what, Shape a, Shape b, Span at) {
        Shape result = Shape.broadcast(a, b);
        if (result == null) {
            diagnostics.error(at, what + " " + a + " and " + b + ": shapes do not broadcast (" + clash(a, b) + ")",
                    "aligned from the right, dimensions must be equal or one of them 1");
            return null;
        }
        return withinLimit(result, what + " " + a + " and " + b, at);
    }

    /**
     * The shape, or null after an error when it holds more elements (apart from the batch) than
     * one value may: broadcasting and matrix products make values larger than any operand.
     */
    Shape withinLimit(Shape result, String what, Span at) {
        if (result.sizeWithoutBatch() <= Limits.MAX_ELEMENTS) {
            return result;
        }
        diagnostics.error(at, what + " gives " + result + ", " + Limits.count(result.sizeWithoutBatch())
                + " elements" + (result.hasBatch() ? " per batch row" : "") + ", more than the "
                + Limits.count(Limits.MAX_ELEMENTS) + " modelc supports in one value");
        return null;
    }

    /** The first pair of dimensions, from the right, that neither match nor broadcast. */
    private static String clash(Shape a, Shape b) {
        for (int i = 0; i < Math.min(a.rank(), b.rank()); i++) {
            int da = a.fromRight(i);
            int db = b.fromRight(i);
            if (da != db && da != 1 && db != 1) {
                return Shape.dimText(da) + " against " + Shape.dimText(db);
            }
        }
        throw new IllegalStateException(a + " and " + b + " broadcast");
    }

    /** The shape of {@code a @ b} for vectors and matrices, or null after an error with a hint. */
    Shape matmul(Shape a, Shape b, Span at, String leftText, String rightText) {
        if (a.rank() == 0 || b.rank() == 0) {
            diagnostics.error(at, "matmul " + a + " @ " + b + ": `@` takes vectors and matrices",
                    "to scale by a scalar, use `*`");
            return null;
        }
        if (a.rank() > 2 || b.rank() > 2) {
            boolean left = a.rank() > 2;
            Shape high = left ? a : b;
            String operand = left ? leftText : rightText;
            diagnostics.error(at, "matmul " + a + " @ " + b + ": `@` takes vectors and matrices, but the "
                    + (left ? "left" : "right") + " operand has " + high.rank() + " dimensions",
                    declared.test(operand) ? "`@` has no batched form; declare `" + operand
                            + "` with its last dimensions flattened, e.g. as `" + flattened(high) + "`" : null);
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
        return withinLimit(new Shape(dims), "matmul " + a + " @ " + b, at);
    }

    /** The shape with every dimension after the first multiplied into one. */
    private static Shape flattened(Shape s) {
        long rest = s.sizeWithoutBatch() / (s.dim(0) == Shape.BATCH ? 1 : s.dim(0));
        return rest > Integer.MAX_VALUE ? s : Shape.of(s.dim(0), (int) rest);
    }

    /** The product that fits, if swapping the operands or transposing a matrix makes one. */
    private static String matmulHint(Shape a, Shape b, String left, String right) {
        if (b.dim(b.rank() - 1) == a.dim(0)) {
            return "did you mean `" + right + " @ " + left + "`?";
        }
        if (b.rank() == 2 && a.dim(a.rank() - 1) == b.dim(1)) {
            return "did you mean `" + left + " @ transpose(" + right + ")`?";
        }
        if (a.rank() == 2 && a.dim(0) == b.dim(0)) {
            return "did you mean `transpose(" + left + ") @ " + right + "`?";
        }
        return null;
    }

    /** The axis, counted from the end when negative, or null after an error. */
    Integer axis(long axis, Shape shape, String function, Span at) {
        long normalized = axis < 0 ? axis + shape.rank() : axis;
        if (normalized < 0 || normalized >= shape.rank()) {
            diagnostics.error(at, "axis " + axis + " is out of range for `" + function + "` of shape " + shape,
                    shape.isScalar() ? "a scalar has no axes" : axesHelp(shape.rank()));
            return null;
        }
        return (int) normalized;
    }

    private static String axesHelp(int rank) {
        if (rank == 1) {
            return "a vector has one axis: 0, or -1 counted from the end";
        }
        return "its axes are 0 to " + (rank - 1) + ", or -" + rank + " to -1 counted from the end";
    }
}
