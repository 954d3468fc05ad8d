package dev.modelc.check;

import dev.modelc.check.ModelChecker.Symbol;
import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.graph.Shape;
import dev.modelc.graph.Slice;
import dev.modelc.syntax.Ast;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks indexing: {@code x[:, 0:3]} and {@code x[:, 2]} with whole numbers (ranges keep their
 * axis, positions drop it, the batch dimension takes only {@code :}), and {@code E[ids]}, rows
 * of a table at integer indices of any shape.
 */
public final class IndexChecks {
    private final Diagnostics diagnostics;
    private final ShapeChecks shapes;
    private final Map<String, Symbol> scope;
    private final ExpressionChecks expressions;

    /** What an index of whole numbers selects: the ranges to keep, and the axes the positions drop. */
    public record Selection(List<Slice> ranges, List<Integer> dropped) {
    }

    IndexChecks(Diagnostics diagnostics, ShapeChecks shapes, Map<String, Symbol> scope, ExpressionChecks expressions) {
        this.diagnostics = diagnostics;
        this.shapes = shapes;
        this.scope = scope;
        this.expressions = expressions;
    }

    Facts check(Ast.Index index) {
        Facts target = expressions.operand(index.target());
        if (isGather(index)) {
            Ast.Expr ids = index.slots().get(0).at();
            Facts indices = expressions.operand(ids).withoutGradient();
            Facts facts = target.join(indices);
            if (target.type() == null || indices.type() == null) {
                return facts.withType(null);
            }
            return facts.withType(LayoutShapes.gather(target.type(), indices.type(), ids.span(), ids, index.span(),
                    shapes, diagnostics, scope));
        }
        for (Ast.Slot slot : index.slots()) {
            if (!slot.range() && !isWholeNumber(slot.at())) {
                diagnostics.error(slot.span(), "only a lone index can be a tensor of indices, as in `E[ids]`",
                        "index the other axes with whole numbers, such as `x[:, 2]` or `x[:, 0:3]`");
                return target.withType(null);
            }
        }
        if (target.type() == null) {
            return target;
        }
        Selection selection = select(index, target.type().shape(), diagnostics);
        if (selection == null) {
            return target.withType(null);
        }
        Shape shape = target.type().shape();
        List<Integer> dims = new ArrayList<>(shape.dims());
        for (Slice range : selection.ranges()) {
            dims.set(range.axis(), range.to() - range.from());
        }
        return target.withType(new Type(target.type().integer(), new Shape(dims).removing(selection.dropped())));
    }

    /** Whether the index is one tensor of indices, {@code E[ids]}, rather than whole numbers. */
    public static boolean isGather(Ast.Index index) {
        return index.slots().size() == 1 && !index.slots().get(0).range() && !isWholeNumber(index.slots().get(0).at());
    }

    /** The ranges and dropped axes an index of whole numbers selects from {@code shape}; null after an error. */
    public static Selection select(Ast.Index index, Shape shape, Diagnostics diagnostics) {
        if (index.slots().size() > shape.rank()) {
            diagnostics.error(index.span(), "too many indices for a value of shape " + shape + ": "
                    + index.slots().size() + " given", shape.isScalar() ? "a scalar has no axes" : null);
            return null;
        }
        List<Slice> ranges = new ArrayList<>();
        List<Integer> dropped = new ArrayList<>();
        boolean ok = true;
        for (int axis = 0; axis < index.slots().size(); axis++) {
            Ast.Slot slot = index.slots().get(axis);
            int dim = shape.dim(axis);
            if (slot.isAll()) {
                continue;
            }
            if (dim == Shape.BATCH) {
                diagnostics.error(slot.span(), "the batch dimension can only be indexed with `:`",
                        "select rows in the data instead");
                ok = false;
                continue;
            }
            Slice range = slot.range() ? range(slot, axis, dim, diagnostics) : position(slot, axis, dim, diagnostics);
            if (range == null) {
                ok = false;
            } else {
                ranges.add(range);
                if (!slot.range()) {
                    dropped.add(axis);
                }
            }
        }
        return ok ? new Selection(List.copyOf(ranges), List.copyOf(dropped)) : null;
    }

    private static Slice position(Ast.Slot slot, int axis, int dim, Diagnostics diagnostics) {
        Long at = wholeNumber(slot.at(), diagnostics);
        if (at == null) {
            return null;
        }
        if (at < -dim || at >= dim) {
            diagnostics.error(slot.span(), "index " + at + " is out of range for an axis of size " + dim,
                    "its indices go from 0 to " + (dim - 1) + ", or -" + dim + " to -1 counted from the end");
            return null;
        }
        int from = (int) (at < 0 ? at + dim : at);
        return new Slice(axis, from, from + 1);
    }

    private static Slice range(Ast.Slot slot, int axis, int dim, Diagnostics diagnostics) {
        Long from = slot.from() == null ? Long.valueOf(0) : wholeNumber(slot.from(), diagnostics);
        Long to = slot.to() == null ? Long.valueOf(dim) : wholeNumber(slot.to(), diagnostics);
        if (from == null || to == null) {
            return null;
        }
        long start = from < 0 ? from + dim : from;
        long end = to < 0 ? to + dim : to;
        if (start < 0 || end > dim || start >= end) {
            diagnostics.error(slot.span(), "range " + text(slot) + " selects nothing of an axis of size " + dim,
                    "a range a:b takes the elements from a up to, but not including, b, between 0 and " + dim);
            return null;
        }
        return new Slice(axis, (int) start, (int) end);
    }

    private static String text(Ast.Slot slot) {
        return (slot.from() == null ? "" : number(slot.from())) + ":" + (slot.to() == null ? "" : number(slot.to()));
    }

    private static String number(Ast.Expr expr) {
        return expr instanceof Ast.Unary unary ? "-" + ((Ast.Number) unary.operand()).text() : ((Ast.Number) expr).text();
    }

    private static boolean isWholeNumber(Ast.Expr expr) {
        Ast.Expr literal = expr instanceof Ast.Unary unary ? unary.operand() : expr;
        return literal instanceof Ast.Number;
    }

    /** A literal, possibly negated, as a whole number; null after an error (such as {@code 1.5}). */
    private static Long wholeNumber(Ast.Expr expr, Diagnostics diagnostics) {
        if (!isWholeNumber(expr)) {
            diagnostics.error(expr.span(), "the ends of a range are whole numbers, such as `0:3` or `-2:`");
            return null;
        }
        boolean negative = expr instanceof Ast.Unary;
        Long value = Numbers.integer((Ast.Number) (negative ? ((Ast.Unary) expr).operand() : expr), diagnostics);
        return value == null ? null : negative ? -value : value;
    }
}
