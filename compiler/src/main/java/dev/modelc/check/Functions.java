package dev.modelc.check;

import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.Suggestions;
import dev.modelc.syntax.Ast;
import dev.modelc.syntax.ModelSyntax;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The model's functions ({@code def}), checked as declarations: a name of their own, distinct
 * parameters, every other name in the body declared in the model, no recursion. A function with
 * such an error is broken: its calls are not checked again through it. A call is inlined, so its
 * size counts the bodies it calls; {@link #tooLarge} refuses one that would grow past what one
 * declaration may hold.
 */
final class Functions {
    /**
     * The most nodes one call may hold once inlined, calls in its body too: about as many as a
     * declaration of {@link ModelSyntax#MAX_OPERATORS} operators written out by hand.
     */
    static final int MAX_INLINED_NODES = 4 * ModelSyntax.MAX_OPERATORS;
    /** The deepest one declaration may nest once inlined, as deep as one declaration may be written. */
    static final int MAX_INLINED_DEPTH = ModelSyntax.MAX_NESTING + ModelSyntax.MAX_OPERATORS;

    private final Diagnostics diagnostics;
    private final Map<String, Ast.Function> byName = new LinkedHashMap<>();
    private final Set<String> broken = new HashSet<>();
    private final Set<String> unreadable;
    /** Nodes and depth of each function's body once inlined. */
    private final Map<String, long[]> measures = new HashMap<>();

    Functions(Ast.Program program, Map<String, Ast.Declaration> declarations, Set<String> unreadable,
              Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.unreadable = unreadable;
        for (Ast.Function function : program.functions()) {
            declare(function, declarations);
        }
        for (Ast.Function function : byName.values()) {
            checkNames(function, declarations);
        }
        Set<String> done = new HashSet<>();
        for (Ast.Function function : byName.values()) {
            if (!done.contains(function.name().text())) {
                visit(function, new ArrayList<>(), done);
            }
        }
    }

    java.util.Collection<String> names() {
        return byName.keySet();
    }

    Ast.Function lookup(String name) {
        return byName.get(name);
    }

    /** Whether {@code name} is a function with an error of its own, or one that was set aside unread. */
    boolean isBroken(String name) {
        return broken.contains(name) || !byName.containsKey(name) && unreadable.contains(name);
    }

    private void declare(Ast.Function function, Map<String, Ast.Declaration> declarations) {
        String name = function.name().text();
        Ast.Function earlier = byName.get(name);
        Ast.Declaration value = declarations.get(name);
        if (earlier != null) {
            diagnostics.error(function.name().span(), "function `" + name + "` is already defined on line "
                    + earlier.span().line(), "give this function another name");
            return;
        }
        byName.put(name, function);
        if (Builtins.lookup(name) != null) {
            broken.add(name);
            diagnostics.error(function.name().span(), "`" + name + "` is a built-in function; a def cannot replace it",
                    "give this function another name, such as `my_" + name + "`");
        } else if (value != null) {
            broken.add(name);
            diagnostics.error(function.name().span(), "`" + name + "` is already declared on line "
                    + value.span().line() + " as " + ModelChecker.kindWord(value), "give this function another name");
        }
        Set<String> seen = new HashSet<>();
        for (Ast.Ident parameter : function.parameters()) {
            if (!seen.add(parameter.text())) {
                broken.add(name);
                diagnostics.error(parameter.span(), "parameter `" + parameter.text() + "` of `" + name
                        + "` is listed twice", "give each parameter its own name");
            }
        }
    }

    /** Every name in the body is a parameter, a declaration of the model, or a function called. */
    private void checkNames(Ast.Function function, Map<String, Ast.Declaration> declarations) {
        Set<String> parameters = new HashSet<>(function.parameterNames());
        for (Ast.Name name : Expressions.names(function.body())) {
            String text = name.name();
            if (parameters.contains(text) || declarations.containsKey(text) || unreadable.contains(text)
                    || Builtins.lookup(text) != null || byName.containsKey(text)
                    || Builtins.INITIALIZERS.containsKey(text)) {
                continue;
            }
            broken.add(function.name().text());
            List<String> known = new ArrayList<>(function.parameterNames());
            known.addAll(declarations.keySet());
            String suggestion = Suggestions.closest(text, known);
            diagnostics.error(name.span(), "unknown name `" + text + "` in function `" + function.name().text() + "`",
                    suggestion != null ? "did you mean `" + suggestion + "`?"
                            : "a function sees its parameters and the model's declarations; add `" + text
                            + "` to its parameters: `def " + function.name().text() + "("
                            + String.join(", ", function.parameterNames()) + (parameters.isEmpty() ? "" : ", ")
                            + text + ")`");
        }
    }

    /**
     * Walks the calls from {@code function} depth first: a call of a function still on the way
     * closes a cycle and is reported. Each function is done once its callees are, so its body's
     * measure can be taken from theirs without walking them again.
     */
    private void visit(Ast.Function function, List<String> path, Set<String> done) {
        String name = function.name().text();
        path.add(name);
        for (Ast.Call call : Expressions.calls(function.body())) {
            String callee = call.function().text();
            Ast.Function target = byName.get(callee);
            int start = path.indexOf(callee);
            if (target == null) {
                continue;
            }
            if (start >= 0) {
                reportCycle(call, path.subList(start, path.size()));
            } else if (!done.contains(callee)) {
                visit(target, path, done);
            }
        }
        path.remove(path.size() - 1);
        done.add(name);
        measures.put(name, measure(function.body()));
    }

    private void reportCycle(Ast.Call call, List<String> cycle) {
        broken.addAll(cycle);
        String caller = cycle.get(cycle.size() - 1);
        String callee = call.function().text();
        String through = cycle.size() == 1 ? "`" + caller + "` calls itself"
                : "`" + caller + "` calls `" + callee + "`, which calls `" + caller + "`"
                + (cycle.size() > 2 ? " through `" + String.join("`, `", cycle.subList(1, cycle.size() - 1)) + "`" : "");
        diagnostics.error(call.function().span(), through + ": a function cannot be recursive",
                "a call is replaced by the function's body, so the calls must end; "
                        + "unroll a loop by hand, as in `h2 = step(h1)`, `h3 = step(h2)`");
    }

    /**
     * Whether {@code call}, inlined with every call in its function's body, holds more nodes or
     * nests deeper than one declaration may; reports it at the call.
     */
    boolean tooLarge(Ast.Call call) {
        long[] measure = measure(call);
        if (measure[0] <= MAX_INLINED_NODES && measure[1] <= MAX_INLINED_DEPTH) {
            return false;
        }
        String what = measure[0] > MAX_INLINED_NODES
                ? "holds " + measure[0] + " operations once inlined (the most is " + MAX_INLINED_NODES
                : "nests " + measure[1] + " levels deep once inlined (the most is " + MAX_INLINED_DEPTH;
        diagnostics.error(call.span(), "this call of `" + call.function().text() + "` " + what + ")",
                "functions calling functions multiply their bodies; compute a repeated value once, in a "
                        + "definition of its own, and pass it on");
        return true;
    }

    /**
     * Nodes and depth of {@code expr} with every call of a sound function replaced by its body,
     * from the measures of the functions' bodies taken already.
     */
    private long[] measure(Ast.Expr expr) {
        long[] own = {1, 1};
        for (Ast.Expr child : Expressions.children(expr)) {
            long[] c = measure(child);
            own[0] = Math.min(Long.MAX_VALUE / 4, own[0] + c[0]);
            own[1] = Math.max(own[1], c[1] + 1);
        }
        if (expr instanceof Ast.Call call && byName.containsKey(call.function().text())
                && !isBroken(call.function().text())) {
            long[] body = measures.getOrDefault(call.function().text(), new long[] {0, 0});
            own[0] = Math.min(Long.MAX_VALUE / 4, own[0] + body[0]);
            own[1] = Math.max(own[1], body[1] + 1);
        }
        return own;
    }
}
