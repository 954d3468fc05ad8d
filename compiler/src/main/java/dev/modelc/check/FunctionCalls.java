package dev.modelc.check;

import dev.modelc.check.ModelChecker.Symbol;
import dev.modelc.diagnostics.Diagnostic;
import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.Suggestions;
import dev.modelc.syntax.Ast;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a call of a model's function as the lowering stage inlines it: the arguments in the
 * caller's scope, then the body with each parameter standing for its argument, where the body
 * also sees the model's names declared above the call (never the caller's own parameters). Every
 * error found in the body names the call, and each call around it, in a note.
 */
final class FunctionCalls {
    private final Diagnostics diagnostics;
    private final Functions functions;
    private final Map<String, Symbol> scope;
    private final ExpressionChecks expressions;
    /** The parameters of the functions being checked, innermost first, and the model's symbols they hide. */
    private final Deque<Frame> frames = new ArrayDeque<>();

    private record Frame(Map<String, Symbol> parameters, Map<String, Symbol> hidden) {
    }

    FunctionCalls(Diagnostics diagnostics, Functions functions, Map<String, Symbol> scope,
                  ExpressionChecks expressions) {
        this.diagnostics = diagnostics;
        this.functions = functions;
        this.scope = scope;
        this.expressions = expressions;
    }

    boolean isFunction(String name) {
        return functions.lookup(name) != null || functions.isBroken(name);
    }

    /** The built-in functions' names and the model's own. */
    List<String> names() {
        List<String> names = new java.util.ArrayList<>(Builtins.names());
        names.addAll(functions.names());
        return names;
    }

    Facts check(Ast.Call call) {
        String name = call.function().text();
        Ast.Function function = functions.lookup(name);
        List<Ast.Expr> bound = function == null ? null : bind(function, call);
        if (bound == null) {
            call.arguments().forEach(a -> expressions.operand(a.value()));
            return Facts.UNKNOWN.withErrorInside();
        }
        Facts joined = Facts.of(null);
        Map<String, Symbol> parameters = new HashMap<>();
        boolean known = true;
        for (int i = 0; i < bound.size(); i++) {
            Facts facts = expressions.operand(bound.get(i));
            Ast.Ident parameter = function.parameters().get(i);
            joined = joined.join(facts);
            known &= facts.type() != null;
            Symbol symbol = new Symbol(new Ast.Definition(Ast.Definition.Kind.VALUE, parameter, bound.get(i),
                    bound.get(i).span()), facts);
            parameters.put(parameter.text(), symbol);
            // Resolved in the caller's scope, where the argument is written: batch_norm names its
            // running statistics after the param its gamma is.
            String param = NormShapes.paramName(scope, expressions.shapes().paramArguments, bound.get(i));
            if (param != null) {
                expressions.shapes().paramArguments.put(symbol, param);
            }
        }
        if (!known || functions.isBroken(name) || frames.isEmpty() && functions.tooLarge(call)) {
            return joined.withType(null).withErrorInside();
        }
        return body(function, call, parameters);
    }

    /** The body's facts, checked with {@code parameters} in scope and a note naming the call. */
    private Facts body(Ast.Function function, Ast.Call call, Map<String, Symbol> parameters) {
        Frame outer = frames.peek();
        if (outer != null) {
            hide(outer);
        }
        Frame frame = new Frame(parameters, new HashMap<>());
        show(frame);
        frames.push(frame);
        diagnostics.enter(new Diagnostic.Note(call.span(), "in this call of `" + function.name().text()
                + "`, defined on line " + function.span().line()));
        try {
            return expressions.check(function.body());
        } finally {
            diagnostics.leave();
            frames.pop();
            hide(frame);
            if (outer != null) {
                show(outer);
            }
        }
    }

    private void show(Frame frame) {
        frame.parameters().forEach((name, symbol) -> {
            Symbol previous = scope.put(name, symbol);
            if (previous != null) {
                frame.hidden().put(name, previous);
            }
        });
    }

    /** Takes the frame's parameters out of scope, giving back the model's names they hid, in place. */
    private void hide(Frame frame) {
        for (String name : frame.parameters().keySet()) {
            Symbol hidden = frame.hidden().remove(name);
            if (hidden == null) {
                scope.remove(name);
            } else {
                scope.put(name, hidden);
            }
        }
    }

    /**
     * The argument of each parameter, in order: positional ones first, then by name; null after
     * reporting a call that does not give each parameter exactly one argument.
     */
    private List<Ast.Expr> bind(Ast.Function function, Ast.Call call) {
        List<String> names = function.parameterNames();
        Ast.Expr[] bound = new Ast.Expr[names.size()];
        int positional = 0;
        boolean ok = true;
        for (Ast.Argument argument : call.arguments()) {
            if (argument.name() == null) {
                if (positional < bound.length) {
                    bound[positional] = argument.value();
                }
                positional++;
                continue;
            }
            int at = names.indexOf(argument.name().text());
            if (at < 0) {
                String suggestion = Suggestions.closest(argument.name().text(), names);
                diagnostics.error(argument.name().span(), "function `" + function.name().text()
                        + "` has no parameter named `" + argument.name().text() + "`", suggestion != null
                        ? "did you mean `" + suggestion + "`?" : "its parameters are " + parameterList(function));
                ok = false;
            } else if (bound[at] != null) {
                diagnostics.error(argument.name().span(), "argument `" + argument.name().text() + "` is given twice");
                ok = false;
            } else {
                bound[at] = argument.value();
            }
        }
        long given = call.arguments().size();
        boolean missing = java.util.Arrays.stream(bound).anyMatch(java.util.Objects::isNull);
        if (ok && (positional > bound.length || missing)) {
            diagnostics.error(call.span(), "`" + function.name().text() + "` takes " + count(bound.length) + " "
                    + parameterList(function) + ", got " + given, "its definition is `"
                    + header(function) + "` on line " + function.span().line());
            ok = false;
        }
        return ok ? List.of(bound) : null;
    }

    private static String count(int n) {
        return n == 1 ? "1 argument" : n + " arguments";
    }

    private static String parameterList(Ast.Function function) {
        return "(" + String.join(", ", function.parameterNames()) + ")";
    }

    private static String header(Ast.Function function) {
        return "def " + function.name().text() + parameterList(function);
    }
}
