package dev.modelc.check;

import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.Span;
import dev.modelc.syntax.Ast;
import dev.modelc.graph.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The settings of one call as written, each with where it was written: what a function's shape
 * rule and its lowering read besides the call's values.
 */
final class Settings {
    /** What a reader returns for a value whose error it has reported already. */
    private static final Object REPORTED = new Object();
    private final Map<String, Object> values = new HashMap<>();
    private final Map<String, Span> spans = new HashMap<>();
    /** Where the last keyword argument was written, for errors about the keywords together. */
    private Span lastKeyword;
    private int positional;
    /** Which call of the model this is, in the order lowering reaches them: a dropout's site. */
    int site;

    Settings(Span call) {
        this.lastKeyword = call;
    }

    int site() {
        return site;
    }

    /** A whole-number setting, or null when the call does not give it. */
    public Long integer(String name) {
        return (Long) values.get(name);
    }

    /** The {@code axis} setting as an int, or null when not given; the checker has put it in range. */
    public Integer axis() {
        Long axis = integer(Setting.AXIS.name());
        return axis == null ? null : axis.intValue();
    }

    public boolean flag(String name) {
        return Boolean.TRUE.equals(values.get(name));
    }

    /** A number setting, or {@code otherwise} when the call does not give it. */
    public double number(String name, double otherwise) {
        Object value = values.get(name);
        return value == null ? otherwise : (Double) value;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** Where the setting was written; the last keyword argument's place, or the call's, when not given. */
    public Span span(String name) {
        return spans.getOrDefault(name, lastKeyword);
    }

    /** Reads one setting's value from its argument; false after reporting why it cannot be read. */
    boolean read(Setting setting, Ast.Argument argument, Diagnostics diagnostics) {
        if (argument.name() != null) {
            lastKeyword = argument.span();
        } else {
            positional++;
        }
        Ast.Expr value = argument.value();
        Object read = switch (setting.kind()) {
            case INTEGER -> integer(value, diagnostics);
            case FLAG -> flag(value);
            case NUMBER -> number(value, diagnostics);
            case SHAPE -> shape(value, diagnostics);
        };
        if (read == null) {
            diagnostics.error(value.span(), setting.expected());
        }
        if (read == null || read == REPORTED) {
            return false;
        }
        values.put(setting.name(), read);
        spans.put(setting.name(), argument.span());
        return true;
    }

    /** How many settings were given by position. */
    int positionalCount() {
        return positional;
    }

    private static Object integer(Ast.Expr value, Diagnostics diagnostics) {
        boolean negative = value instanceof Ast.Unary unary && unary.operand() instanceof Ast.Number;
        Ast.Expr literal = negative ? ((Ast.Unary) value).operand() : value;
        if (!(literal instanceof Ast.Number number)) {
            return null;
        }
        Long whole = Numbers.integer(number, diagnostics);
        if (whole == null) {
            return REPORTED;
        }
        return negative ? -whole : whole;
    }

    /** The dimensions of a list such as {@code [batch, 64]}, {@link Shape#BATCH} for {@code batch}. */
    @SuppressWarnings("unchecked")
    public List<Integer> shape(String name) {
        return (List<Integer>) values.get(name);
    }

    private static Object shape(Ast.Expr value, Diagnostics diagnostics) {
        if (!(value instanceof Ast.ListLiteral list)) {
            return null;
        }
        List<Integer> dims = new ArrayList<>();
        boolean ok = true;
        for (Ast.Expr element : list.elements()) {
            if (element instanceof Ast.Name name && name.name().equals("batch")) {
                dims.add(Shape.BATCH);
                continue;
            }
            Long dim = element instanceof Ast.Number number ? Numbers.integer(number, diagnostics) : null;
            if (element instanceof Ast.Number && dim == null) {
                ok = false;
            } else if (dim == null || dim < 1 || dim > Limits.MAX_DIM) {
                diagnostics.error(element.span(), "a dimension is a whole number from 1 to "
                        + Limits.count(Limits.MAX_DIM) + ", or `batch`");
                ok = false;
            } else {
                dims.add(dim.intValue());
            }
        }
        return ok ? List.copyOf(dims) : REPORTED;
    }

    private static Boolean flag(Ast.Expr value) {
        if (value instanceof Ast.Name name && (name.name().equals("true") || name.name().equals("false"))) {
            return name.name().equals("true");
        }
        return null;
    }

    private static Object number(Ast.Expr value, Diagnostics diagnostics) {
        OptionalDouble constant = ConstantExpressions.evaluate(value, diagnostics);
        if (constant.isEmpty()) {
            return null;
        }
        if (Double.isNaN(constant.getAsDouble())) {
            return REPORTED;
        }
        return constant.getAsDouble();
    }
}
