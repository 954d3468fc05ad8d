package dev.modelc.check;

import dev.modelc.check.ModelChecker.Symbol;
import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.Span;
import dev.modelc.graph.Shape;
import dev.modelc.syntax.Ast;
import java.util.List;
import java.util.Map;

/**
 * One call as its function's shape rule sees it: the types of its values, its settings, where
 * each was written, and the means to report an error.
 */
record CallSite(Ast.Call call, List<Type> values, List<Ast.Expr> valueExprs, Settings settings,
                       ShapeChecks shapes, Diagnostics diagnostics, Map<String, Symbol> scope) {

    public String name() {
        return call.function().text();
    }

    public Type value(int i) {
        return values.get(i);
    }

    public Shape shape(int i) {
        return values.get(i).shape();
    }

    public Span span() {
        return call.span();
    }

    public Span valueSpan(int i) {
        return valueExprs.get(i).span();
    }

    /** Reports an error at {@code at}; returns null, the type of a call that has none. */
    public Type error(Span at, String message, String help) {
        diagnostics.error(at, message, help);
        return null;
    }

    /** The setting's axis counted from the front, or null after an error; {@code otherwise} when not given. */
    public Integer axis(Long otherwise, Shape shape) {
        Long axis = settings.integer(Setting.AXIS.name());
        axis = axis == null ? otherwise : axis;
        return shapes.axis(axis, shape, name(), settings.span(Setting.AXIS.name()));
    }
}
