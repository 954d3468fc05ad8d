package dev.modelc.check;

import dev.modelc.check.ModelChecker.Symbol;
import dev.modelc.graph.Shape;
import dev.modelc.syntax.Ast;

/**
 * The shape rules of the functions in {@link Builtins}, with the errors a person sees: each
 * gives the type of a call's result, or null after reporting why it has none.
 */
final class CallShapes {
    private CallShapes() {
    }

    /** Elementwise: the value's shape, in floating point. */
    static Type sameShape(CallSite c) {
        return c.value(0).asFloat();
    }

    /** A scalar from two values that broadcast together. */
    static Type mse(CallSite c) {
        return c.shapes().broadcast("`" + c.name() + "` of", c.shape(0), c.shape(1), c.span()) == null
                ? null : Type.SCALAR;
    }

    /** Elementwise over values that broadcast together. */
    static Type broadcastFloat(CallSite c) {
        Shape result = c.shape(0);
        for (int i = 1; i < c.values().size() && result != null; i++) {
            result = c.shapes().broadcast("`" + c.name() + "` of", result, c.shape(i), c.span());
        }
        return result == null ? null : Type.floating(result);
    }

    /** Over one axis, or over everything when none is given; {@code keepdims} keeps them with size 1. */
    static Type reduceEverything(CallSite c) {
        Shape x = c.shape(0);
        if (c.settings().axis() == null) {
            return Type.floating(kept(c) ? x.keeping(allAxes(x)) : Shape.SCALAR);
        }
        Integer axis = c.axis(null, x);
        return axis == null ? null : Type.floating(reduced(c, x, axis));
    }

    /** Over one axis, the last unless given. */
    static Type reduceOneAxis(CallSite c) {
        Integer axis = lastAxisUnlessGiven(c);
        return axis == null ? null : Type.floating(reduced(c, c.shape(0), axis));
    }

    private static Shape reduced(CallSite c, Shape x, int axis) {
        return kept(c) ? x.keeping(java.util.List.of(axis)) : x.without(axis);
    }

    private static boolean kept(CallSite c) {
        return c.settings().flag(Setting.KEEPDIMS.name());
    }

    private static java.util.List<Integer> allAxes(Shape x) {
        return java.util.stream.IntStream.range(0, x.rank()).boxed().toList();
    }

    /** The index along one axis, the last unless given: integers. */
    static Type argIndex(CallSite c) {
        Type reduced = reduceOneAxis(c);
        return reduced == null ? null : new Type(true, reduced.shape());
    }

    /** Along one axis, the last unless given, keeping the shape. */
    static Type alongAxis(CallSite c) {
        return lastAxisUnlessGiven(c) == null ? null : c.value(0).asFloat();
    }

    private static Integer lastAxisUnlessGiven(CallSite c) {
        if (c.shape(0).isScalar()) {
            c.error(c.span(), "`" + c.name() + "` needs a value with at least one dimension, got a scalar", null);
            return null;
        }
        return c.axis(-1L, c.shape(0));
    }

    static Type transpose(CallSite c) {
        Shape shape = c.shape(0);
        if (shape.rank() != 2) {
            return c.error(c.span(), "`transpose` needs a matrix, but its argument has shape " + shape,
                    shape.rank() == 1 ? "`@` reads a vector as a row on its left and as a column on its right,"
                            + " so a vector needs no transpose" : null);
        }
        return Type.floating(Shape.of(shape.dim(1), shape.dim(0)));
    }

    /** Logits [.., classes] and integer labels [..]: one loss per row. */
    static Type crossEntropy(CallSite c) {
        Shape s = c.shape(0);
        Type labels = c.value(1);
        if (s.isScalar()) {
            return c.error(c.span(), "`softmax_cross_entropy` needs logits with a class dimension, got a scalar", null);
        }
        if (!labels.integer()) {
            return c.error(c.valueSpan(1), "`softmax_cross_entropy` needs integer class labels, but its "
                    + "labels are floats of shape " + labels.shape(), integerLabelsHelp(c, 1));
        }
        Shape expected = s.without(s.rank() - 1);
        if (!labels.shape().equals(expected)) {
            return c.error(c.valueSpan(1), "`softmax_cross_entropy` of logits " + s + " needs labels "
                    + expected + ", one class index per row, but they have shape " + labels.shape(),
                    labels.shape().equals(s) ? "labels are class indices, not one-hot rows" : null);
        }
        return Type.floating(expected);
    }

    /** Integer labels [..] to rows of 0 and 1 [.., classes]. */
    static Type onehot(CallSite c) {
        Type labels = c.value(0);
        if (!labels.integer()) {
            return c.error(c.valueSpan(0), "`onehot` needs integer class labels, but its labels are floats of shape "
                    + labels.shape(), integerLabelsHelp(c, 0));
        }
        long classes = c.settings().integer("classes");
        if (classes < 1 || classes > Limits.MAX_DIM) {
            return c.error(c.settings().span("classes"), "`onehot` needs from 1 to " + Limits.count(Limits.MAX_DIM)
                    + " classes, got " + classes, null);
        }
        java.util.List<Integer> dims = new java.util.ArrayList<>(labels.shape().dims());
        dims.add((int) classes);
        Shape result = c.shapes().withinLimit(new Shape(dims), "`onehot` of " + labels.shape(), c.span());
        return result == null ? null : Type.floating(result);
    }

    /** How to make a value integers: for an input by name, its declaration as it should read. */
    private static String integerLabelsHelp(CallSite c, int value) {
        Ast.Expr argument = c.valueExprs().get(value);
        Symbol symbol = argument instanceof Ast.Name name ? c.scope().get(name.name()) : null;
        if (symbol != null && symbol.declaration() instanceof Ast.Input input) {
            return "declare `" + input.name().text() + "` with integer elements: `input " + input.name().text()
                    + " : int" + c.shape(value) + "`";
        }
        return "labels come from an integer input, e.g. `input y : int[batch]`";
    }
}
