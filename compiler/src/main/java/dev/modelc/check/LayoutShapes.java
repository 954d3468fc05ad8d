package dev.modelc.check;

import dev.modelc.check.ModelChecker.Symbol;
import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.Span;
import dev.modelc.graph.Shape;
import dev.modelc.syntax.Ast;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shape rules of the functions that rearrange elements: reshape, flatten, concat, stack
 * and gather (also written {@code E[ids]}), with the errors a person sees.
 */
final class LayoutShapes {
    private LayoutShapes() {
    }

    static Type reshape(CallSite c) {
        Shape from = c.shape(0);
        Shape to = new Shape(c.settings().shape("shape"));
        Span at = c.settings().span("shape");
        if (to.rank() > Shape.MAX_RANK) {
            return c.error(at, "`reshape` to " + to.rank() + " dimensions, more than the " + Shape.MAX_RANK
                    + " a value may have", null);
        }
        if (to.dims().lastIndexOf(Shape.BATCH) > 0) {
            return c.error(at, "`batch` can only be the first dimension, as in [batch, 1, 8, 8]", null);
        }
        if (from.hasBatch() && from.dim(0) != Shape.BATCH) {
            return c.error(c.span(), "`reshape` needs the batch dimension first, but its value has shape " + from,
                    null);
        }
        if (from.hasBatch() != to.hasBatch()) {
            return c.error(at, "`reshape` keeps the batch dimension: " + (from.hasBatch() ? from + " has it and "
                    + to + " does not" : to + " has it and " + from + " does not"),
                    from.hasBatch() ? "write `batch` first in the new shape" : null);
        }
        if (from.sizeWithoutBatch() != to.sizeWithoutBatch()) {
            return c.error(at, "`reshape` of " + from + " to " + to + ": " + elements(from) + " against "
                    + Limits.count(to.sizeWithoutBatch()), null);
        }
        return new Type(c.value(0).integer(), to);
    }

    private static String elements(Shape s) {
        return Limits.count(s.sizeWithoutBatch()) + (s.hasBatch() ? " elements per row" : " elements");
    }

    /** [d0, d1, d2, ...] to [d0, d1 * d2 * ...], the first dimension (the batch, usually) kept. */
    static Type flatten(CallSite c) {
        Shape from = c.shape(0);
        if (from.rank() < 2) {
            return c.error(c.span(), "`flatten` needs a value with at least two dimensions, got shape " + from,
                    "it keeps the first dimension and joins the others into one");
        }
        if (from.dims().lastIndexOf(Shape.BATCH) > 0) {
            return c.error(c.span(), "`flatten` would join the batch dimension into others: shape " + from, null);
        }
        Shape to = Shape.of(from.dim(0), (int) (from.sizeWithoutBatch() / Math.max(1, from.dim(0))));
        return new Type(c.value(0).integer(), to);
    }

    /** Values of one rank, one after the other along an axis (the last unless given). */
    static Type concat(CallSite c) {
        Shape first = c.shape(0);
        if (first.isScalar()) {
            return c.error(c.valueSpan(0), "`concat` joins values with at least one dimension, got a scalar",
                    "to make a vector of scalars, use `stack`");
        }
        Integer axis = c.axis(-1L, first);
        if (axis == null) {
            return null;
        }
        long total = 0;
        for (int i = 0; i < c.values().size(); i++) {
            Shape s = c.shape(i);
            if (s.rank() != first.rank() || !s.without(axis).equals(first.without(axis))) {
                return c.error(c.valueSpan(i), "`concat` along axis " + axis + " needs values that agree in every"
                        + " other dimension, but " + first + " and " + s + " do not", null);
            }
            if (s.dim(axis) == Shape.BATCH) {
                return c.error(c.valueSpan(i), "`concat` cannot join values along the batch dimension",
                        "join them along another axis, such as `axis = 1`");
            }
            total += s.dim(axis);
        }
        List<Integer> dims = new ArrayList<>(first.dims());
        dims.set(axis, (int) Math.min(total, Integer.MAX_VALUE));
        return sized(c, new Shape(dims), integerIfAll(c));
    }

    /** Values of one shape along a new axis (the last unless given). */
    static Type stack(CallSite c) {
        Shape first = c.shape(0);
        for (int i = 1; i < c.values().size(); i++) {
            if (!c.shape(i).equals(first)) {
                return c.error(c.valueSpan(i), "`stack` needs values of one shape, but " + first + " and "
                        + c.shape(i) + " differ", null);
            }
        }
        Long written = c.settings().integer(Setting.AXIS.name());
        long axis = written == null ? first.rank() : written < 0 ? written + first.rank() + 1 : written;
        if (axis < 0 || axis > first.rank()) {
            return c.error(c.settings().span(Setting.AXIS.name()), "axis " + written + " is out of range for `stack`"
                    + " of values of shape " + first, "the new axis goes from 0 to " + first.rank() + ", or -"
                    + (first.rank() + 1) + " to -1 counted from the end");
        }
        List<Integer> dims = new ArrayList<>(first.dims());
        dims.add((int) axis, c.values().size());
        return sized(c, new Shape(dims), integerIfAll(c));
    }

    static Type gather(CallSite c) {
        return gather(c.value(0), c.value(1), c.valueSpan(1), c.valueExprs().get(1), c.span(), c.shapes(),
                c.diagnostics(), c.scope());
    }

    /**
     * Rows of a table at integer indices of any shape: {@code [n, d]} at {@code [batch, 3]} gives
     * {@code [batch, 3, d]}. Also the rule of {@code E[ids]}.
     */
    static Type gather(Type table, Type ids, Span idsSpan, Ast.Expr idsExpr, Span at, ShapeChecks shapes,
                       Diagnostics diagnostics, Map<String, Symbol> scope) {
        if (!ids.integer()) {
            diagnostics.error(idsSpan, "indices must be whole numbers, but these are floats of shape " + ids.shape(),
                    integerHelp(idsExpr, ids.shape(), scope));
            return null;
        }
        Shape t = table.shape();
        if (t.isScalar()) {
            diagnostics.error(at, "a scalar has no rows to gather", null);
            return null;
        }
        if (t.hasBatch()) {
            diagnostics.error(at, "rows are gathered from a table without the batch dimension, but this one has "
                    + "shape " + t, "gather from a param, such as `param E : [1000, 16]`");
            return null;
        }
        List<Integer> dims = new ArrayList<>(ids.shape().dims());
        dims.addAll(t.dims().subList(1, t.rank()));
        if (dims.size() > Shape.MAX_RANK) {
            diagnostics.error(at, "gathering gives " + dims.size() + " dimensions, more than the " + Shape.MAX_RANK
                    + " a value may have", null);
            return null;
        }
        Shape result = shapes.withinLimit(new Shape(dims), "gathering rows of " + t + " at " + ids.shape(), at);
        return result == null ? null : new Type(table.integer(), result);
    }

    private static String integerHelp(Ast.Expr expr, Shape shape, Map<String, Symbol> scope) {
        Symbol symbol = expr instanceof Ast.Name name ? scope.get(name.name()) : null;
        if (symbol != null && symbol.declaration() instanceof Ast.Input input) {
            return "declare `" + input.name().text() + "` with integer elements: `input " + input.name().text()
                    + " : int" + shape + "`";
        }
        return "index with an integer input, such as `input ids : int[batch, 3]`, or with numbers, such as `x[:, 2]`";
    }

    private static Type sized(CallSite c, Shape shape, boolean integer) {
        Shape result = c.shapes().withinLimit(shape, "`" + c.name() + "`", c.span());
        return result == null ? null : new Type(integer, result);
    }

    private static boolean integerIfAll(CallSite c) {
        return c.values().stream().allMatch(Type::integer);
    }
}
