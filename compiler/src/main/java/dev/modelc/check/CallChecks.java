package dev.modelc.check;

import dev.modelc.check.ModelChecker.Symbol;
import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.Suggestions;
import dev.modelc.graph.Shape;
import dev.modelc.syntax.Ast;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks calls of library functions: arity, keyword arguments, and the type of the result. */
final class CallChecks {
    private final Diagnostics diagnostics;
    private final ShapeChecks shapes;
    private final Map<String, Symbol> scope;
    private final ExpressionChecks expressions;

    CallChecks(Diagnostics diagnostics, ShapeChecks shapes, Map<String, Symbol> scope, ExpressionChecks expressions) {
        this.diagnostics = diagnostics;
        this.shapes = shapes;
        this.scope = scope;
        this.expressions = expressions;
    }

    Facts check(Ast.Call call) {
        String name = call.function().text();
        Builtins.Function function = Builtins.lookup(name);
        if (function == null) {
            unknownFunction(call);
            call.arguments().forEach(a -> expressions.operand(a.value()));
            return Facts.UNKNOWN;
        }
        Facts facts = Facts.of(null);
        List<Facts> positional = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Long axis = null;
        dev.modelc.diagnostics.Span axisSpan = call.span();
        boolean ok = true;
        for (Ast.Argument argument : call.arguments()) {
            if (argument.name() == null) {
                Facts f = expressions.operand(argument.value());
                positional.add(f);
                facts = facts.join(f);
                ok &= f.type() != null;
            } else {
                Long value = keyword(function, argument, seen);
                ok &= value != null;
                axis = value != null ? value : axis;
                axisSpan = argument.span();
            }
        }
        int count = positional.size();
        if (count < function.minArgs() || count > function.maxArgs()) {
            diagnostics.error(call.span(), "`" + name + "` takes " + function.arityText() + ", got " + count);
            return facts.withType(null);
        }
        Type type = ok ? resultType(call, positional.stream().map(Facts::type).toList(), axis, axisSpan) : null;
        facts = facts.withType(type);
        return function.differentiable() ? facts : facts.block(call.function().span(), "`" + name + "`");
    }

    /** The keyword's value (only `axis` exists: an integer literal), or null after an error. */
    private Long keyword(Builtins.Function function, Ast.Argument argument, Set<String> seen) {
        String key = argument.name().text();
        if (!function.keywords().contains(key)) {
            diagnostics.error(argument.name().span(), "`" + function.name() + "` has no argument named `" + key + "`",
                    keywordHelp(function, key));
            return null;
        }
        if (!seen.add(key)) {
            diagnostics.error(argument.name().span(), "argument `" + key + "` is given twice");
            return null;
        }
        Ast.Expr value = argument.value();
        boolean negative = value instanceof Ast.Unary unary && unary.operand() instanceof Ast.Number;
        Ast.Expr literal = negative ? ((Ast.Unary) value).operand() : value;
        if (!(literal instanceof Ast.Number number)) {
            diagnostics.error(value.span(), "`axis` must be a whole number, such as 1 or -1");
            return null;
        }
        Long axis = Numbers.integer(number, diagnostics);
        return axis == null ? null : negative ? -axis : axis;
    }

    private Type resultType(Ast.Call call, List<Type> args, Long axis, dev.modelc.diagnostics.Span axisSpan) {
        String name = call.function().text();
        Type x = args.get(0);
        Shape shape = x.shape();
        switch (name) {
            case "mse":
                return shapes.broadcast("`mse` of", shape, args.get(1).shape(), call.span()) == null ? null : Type.SCALAR;
            case "bce_with_logits": {
                Shape result = shapes.broadcast("`bce_with_logits` of", shape, args.get(1).shape(), call.span());
                return result == null ? null : Type.floating(result);
            }
            case "sum":
            case "mean":
            case "max":
                return reduce(name, shape, axis, call, false, axisSpan);
            case "logsumexp":
                return reduce(name, shape, axis == null ? -1L : axis, call, true, axisSpan);
            case "argmax": {
                Type reduced = reduce(name, shape, axis == null ? -1L : axis, call, true, axisSpan);
                return reduced == null ? null : new Type(true, reduced.shape());
            }
            case "softmax":
            case "log_softmax":
                return reduce(name, shape, axis == null ? -1L : axis, call, true, axisSpan) == null ? null : x.asFloat();
            case "transpose":
                if (shape.rank() != 2) {
                    diagnostics.error(call.span(), "`transpose` needs a matrix, but its argument has shape " + shape,
                            shape.rank() == 1 ? "`@` reads a vector as a row on its left and as a column on its right,"
                                    + " so a vector needs no transpose" : null);
                    return null;
                }
                return Type.floating(Shape.of(shape.dim(1), shape.dim(0)));
            case "softmax_cross_entropy":
                return crossEntropy(call, x, args.get(1));
            default:
                return x.asFloat();
        }
    }

    /** A reduction over one axis, or over everything when {@code axis} is null. */
    private Type reduce(String name, Shape shape, Long axis, Ast.Call call, boolean needsAxis,
                        dev.modelc.diagnostics.Span axisSpan) {
        if (axis == null) {
            return Type.SCALAR;
        }
        if (needsAxis && shape.isScalar()) {
            diagnostics.error(call.span(), "`" + name + "` needs a value with at least one dimension, got a scalar");
            return null;
        }
        Integer resolved = shapes.axis(axis, shape, name, axisSpan);
        return resolved == null ? null : Type.floating(shape.without(resolved));
    }

    private Type crossEntropy(Ast.Call call, Type logits, Type labels) {
        Shape s = logits.shape();
        if (s.isScalar()) {
            diagnostics.error(call.span(), "`softmax_cross_entropy` needs logits with a class dimension, got a scalar");
            return null;
        }
        Ast.Expr labelsArgument = call.arguments().get(1).value();
        if (!labels.integer()) {
            diagnostics.error(labelsArgument.span(), "`softmax_cross_entropy` needs integer class labels, but its "
                    + "labels are floats of shape " + labels.shape(), integerLabelsHelp(labelsArgument, labels));
            return null;
        }
        Shape expected = s.without(s.rank() - 1);
        if (!labels.shape().equals(expected)) {
            diagnostics.error(labelsArgument.span(), "`softmax_cross_entropy` of logits " + s + " needs labels "
                    + expected + ", one class index per row, but they have shape " + labels.shape(),
                    labels.shape().equals(s) ? "labels are class indices, not one-hot rows" : null);
            return null;
        }
        return Type.floating(expected);
    }

    /** How to make labels integers: for an input by name, its declaration as it should read. */
    private String integerLabelsHelp(Ast.Expr argument, Type labels) {
        Symbol symbol = argument instanceof Ast.Name name ? scope.get(name.name()) : null;
        if (symbol != null && symbol.declaration() instanceof Ast.Input input) {
            return "declare `" + input.name().text() + "` with integer elements: `input " + input.name().text()
                    + " : int" + labels.shape() + "`";
        }
        return "labels come from an integer input, e.g. `input y : int[batch]`";
    }

    private void unknownFunction(Ast.Call call) {
        String name = call.function().text();
        if (Builtins.INITIALIZERS.containsKey(name)) {
            diagnostics.error(call.function().span(), "`" + name + "` is an initializer, not a function",
                    "initializers only give a param its first value, as in `param w = " + name
                            + (Builtins.INITIALIZERS.get(name) > 0 ? "(...)`" : "`"));
            return;
        }
        if (scope.containsKey(name)) {
            diagnostics.error(call.function().span(), "`" + name + "` is a value, not a function",
                    "to multiply, write `" + name + " * (...)`");
            return;
        }
        String suggestion = Suggestions.closest(name, Builtins.names());
        diagnostics.error(call.function().span(), "unknown function `" + name + "`",
                suggestion == null ? null : "did you mean `" + suggestion + "`?");
    }

    private static String keywordHelp(Builtins.Function function, String key) {
        List<String> keywords = function.keywords().stream().sorted().toList();
        String suggestion = Suggestions.closest(key, keywords);
        if (suggestion != null) {
            return "did you mean `" + suggestion + "`?";
        }
        return keywords.isEmpty() ? "it takes positional arguments only"
                : "its named arguments are `" + String.join("`, `", keywords) + "`";
    }
}
