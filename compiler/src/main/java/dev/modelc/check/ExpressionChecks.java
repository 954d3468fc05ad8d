package dev.modelc.check;

import dev.modelc.check.ModelChecker.Facts;
import dev.modelc.check.ModelChecker.Symbol;
import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.Suggestions;
import dev.modelc.syntax.Ast;
import dev.modelc.syntax.Ast.Expr;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks one expression against the names declared above it. */
final class ExpressionChecks {
    private static final String STRING_HELP = "strings only name data files, as in `data csv(\"train.csv\")`";
    private final Diagnostics diagnostics;
    private final Map<String, Symbol> scope;
    private final Map<String, Ast.Declaration> allDeclarations;

    ExpressionChecks(Diagnostics diagnostics, Map<String, Symbol> scope, Map<String, Ast.Declaration> allDeclarations) {
        this.diagnostics = diagnostics;
        this.scope = scope;
        this.allDeclarations = allDeclarations;
    }

    Facts check(Expr expr, boolean onLossPath) {
        Facts facts = visit(expr);
        if (facts.isText()) {
            diagnostics.error(expr.span(), "a string cannot be a value", STRING_HELP);
            return Facts.NONE;
        }
        return facts;
    }

    private Facts visit(Expr expr) {
        if (expr instanceof Ast.Number number) {
            Numbers.value(number, diagnostics);
            return Facts.NONE;
        }
        if (expr instanceof Ast.Text) {
            return Facts.TEXT;
        }
        if (expr instanceof Ast.Name name) {
            return name(name);
        }
        if (expr instanceof Ast.Unary unary) {
            return operand(unary.operand());
        }
        if (expr instanceof Ast.Binary binary) {
            return binary(binary);
        }
        return call((Ast.Call) expr);
    }

    private Facts operand(Expr expr) {
        Facts facts = visit(expr);
        if (facts.isText()) {
            diagnostics.error(expr.span(), "a string cannot be used in arithmetic", STRING_HELP);
            return Facts.NONE;
        }
        return facts;
    }

    private Facts binary(Ast.Binary binary) {
        Facts facts = operand(binary.left()).join(operand(binary.right()));
        if (binary.op() == Ast.BinaryOp.MATMUL) {
            diagnostics.error(binary.opSpan(),
                    "`@` (matrix product) needs tensors, which are not supported yet",
                    "for scalars, use `*`");
        }
        if (binary.op().isComparison()) {
            return facts.block(binary.opSpan(), "the comparison `" + binary.op().symbol + "`");
        }
        return facts;
    }

    private Facts name(Ast.Name name) {
        Symbol symbol = scope.get(name.name());
        if (symbol != null) {
            return symbol.declaration() instanceof Ast.Param ? Facts.PARAM : symbol.facts();
        }
        Ast.Declaration later = allDeclarations.get(name.name());
        if (later != null) {
            diagnostics.error(name.span(), "`" + name.name() + "` is used before its "
                            + ModelChecker.kindWord(later) + " on line " + later.span().line(),
                    "values are defined top to bottom; move that line above this one");
        } else if (Builtins.lookup(name.name()) != null) {
            diagnostics.error(name.span(), "`" + name.name() + "` is a function; call it as `" + name.name() + "(...)`");
        } else if (Builtins.INITIALIZERS.containsKey(name.name())) {
            diagnostics.error(name.span(), "`" + name.name() + "` is an initializer, not a value",
                    "initializers only give a param its first value, as in `param w = " + name.name() + "`");
        } else {
            String suggestion = Suggestions.closest(name.name(), scope.keySet());
            diagnostics.error(name.span(), "unknown name `" + name.name() + "`", suggestion == null
                    ? "declare it above this line, e.g. `param " + name.name() + " = 0.0`"
                    : "did you mean `" + suggestion + "`?");
        }
        return Facts.NONE;
    }

    private Facts call(Ast.Call call) {
        String name = call.function().text();
        Builtins.Function function = Builtins.lookup(name);
        if (function == null) {
            unknownFunction(call);
            call.arguments().forEach(a -> operand(a.value()));
            return Facts.NONE;
        }
        if (!function.supported()) {
            diagnostics.error(call.function().span(),
                    "`" + name + "` works on tensors, which are not supported yet");
        }
        Facts facts = Facts.NONE;
        List<Ast.Argument> positional = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Ast.Argument argument : call.arguments()) {
            if (argument.name() == null) {
                positional.add(argument);
                facts = facts.join(operand(argument.value()));
                continue;
            }
            keyword(function, argument, seen);
        }
        int count = positional.size();
        if (count < function.minArgs() || count > function.maxArgs()) {
            diagnostics.error(call.span(), "`" + name + "` takes " + function.arityText() + ", got " + count);
        }
        return function.differentiable() ? facts : facts.block(call.function().span(), "`" + name + "`");
    }

    private void keyword(Builtins.Function function, Ast.Argument argument, Set<String> seen) {
        String key = argument.name().text();
        if (!function.keywords().contains(key)) {
            diagnostics.error(argument.name().span(), "`" + function.name() + "` has no argument named `" + key + "`",
                    keywordHelp(function, key));
            return;
        }
        if (!seen.add(key)) {
            diagnostics.error(argument.name().span(), "argument `" + key + "` is given twice");
            return;
        }
        if ("axis".equals(key)) {
            Long axis = argument.value() instanceof Ast.Number n ? Numbers.integer(n, diagnostics) : null;
            if (axis == null && !(argument.value() instanceof Ast.Number)) {
                diagnostics.error(argument.value().span(), "`axis` must be an integer literal");
            } else if (axis != null && function.supported()) {
                diagnostics.error(argument.value().span(),
                        "axis " + axis + " is out of range: the argument of `" + function.name() + "` is a scalar",
                        "a scalar has no axes; remove `axis = " + axis + "`");
            }
        }
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
