package dev.modelc.check;

import dev.modelc.check.ModelChecker.Symbol;
import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.Suggestions;
import dev.modelc.syntax.Ast;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks calls of library functions: arity, settings and which values reach the gradient here,
 * for every function alike; the function's own shape rule gives the result's type. Calls of the
 * model's own functions go to {@link FunctionCalls}.
 */
final class CallChecks {
    private final Diagnostics diagnostics;
    private final ShapeChecks shapes;
    private final Map<String, Symbol> scope;
    private final ExpressionChecks expressions;
    private final FunctionCalls functions;

    CallChecks(Diagnostics diagnostics, ShapeChecks shapes, Map<String, Symbol> scope, ExpressionChecks expressions,
               FunctionCalls functions) {
        this.diagnostics = diagnostics;
        this.shapes = shapes;
        this.scope = scope;
        this.expressions = expressions;
        this.functions = functions;
    }

    Facts check(Ast.Call call) {
        String name = call.function().text();
        if (functions.isFunction(name)) {
            return functions.check(call);
        }
        Builtins.Function function = Builtins.lookup(name);
        if (function == null) {
            unknownFunction(call);
            call.arguments().forEach(a -> expressions.operand(a.value()));
            return Facts.UNKNOWN;
        }
        Facts facts = Facts.of(null);
        List<Type> types = new ArrayList<>();
        List<Ast.Expr> values = new ArrayList<>();
        Settings settings = new Settings(call.span());
        Set<String> seen = new HashSet<>();
        int count = 0;
        boolean ok = true;
        for (Ast.Argument argument : call.arguments()) {
            Setting setting = argument.name() != null ? keyword(function, argument, seen)
                    : positionalSetting(function, count++, argument, seen);
            if (setting != null) {
                ok &= settings.read(setting, argument, diagnostics);
            } else if (argument.name() != null) {
                ok = false;
            } else {
                Facts f = expressions.operand(argument.value());
                if (!function.gradient().flowsTo(values.size())) {
                    f = f.withoutGradient();
                }
                facts = facts.join(f);
                types.add(f.type());
                values.add(argument.value());
                ok &= f.type() != null;
            }
        }
        boolean missing = function.positional().stream().anyMatch(p -> p.required() && !seen.contains(p.name()));
        if (count < function.minValues() || count > function.maxArguments() || missing) {
            diagnostics.error(call.span(), "`" + name + "` takes " + function.arityText() + ", got " + count);
            return facts.withType(null);
        }
        Type type = ok ? function.shape().apply(new CallSite(call, types, values, settings, shapes, diagnostics,
                scope)) : null;
        facts = facts.withType(type);
        return function.gradient() == Builtins.Gradient.NONE ? facts.block(call.function().span(), "`" + name + "`")
                : facts;
    }

    /** The setting the {@code index}-th positional argument gives, or null when it is a value. */
    private Setting positionalSetting(Builtins.Function function, int index, Ast.Argument argument, Set<String> seen) {
        int k = index - function.maxValues();
        if (k < 0 || k >= function.positional().size()) {
            return null;
        }
        Setting setting = function.positional().get(k);
        if (!seen.add(setting.name())) {
            diagnostics.error(argument.span(), "argument `" + setting.name() + "` is given twice");
        }
        return setting;
    }

    /** The setting a keyword argument names, or null after an error. */
    private Setting keyword(Builtins.Function function, Ast.Argument argument, Set<String> seen) {
        String key = argument.name().text();
        Setting setting = function.setting(key);
        if (setting == null) {
            diagnostics.error(argument.name().span(), "`" + function.name() + "` has no argument named `" + key + "`",
                    keywordHelp(function, key));
            return null;
        }
        if (!seen.add(key)) {
            diagnostics.error(argument.name().span(), "argument `" + key + "` is given twice");
            return null;
        }
        return setting;
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
        String suggestion = Suggestions.closest(name, functions.names());
        diagnostics.error(call.function().span(), "unknown function `" + name + "`",
                suggestion == null ? null : "did you mean `" + suggestion + "`?");
    }

    private static String keywordHelp(Builtins.Function function, String key) {
        List<String> keywords = function.keywordNames().stream().sorted().toList();
        String suggestion = Suggestions.closest(key, keywords);
        if (suggestion != null) {
            return "did you mean `" + suggestion + "`?";
        }
        return keywords.isEmpty() ? "it takes positional arguments only"
                : "its named arguments are `" + String.join("`, `", keywords) + "`";
    }
}
