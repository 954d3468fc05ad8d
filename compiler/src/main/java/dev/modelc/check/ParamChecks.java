package dev.modelc.check;

import dev.modelc.check.ModelChecker.Facts;
import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.graph.Initializer;
import dev.modelc.syntax.Ast;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** Checks param declarations: their type and their initializer. */
final class ParamChecks {
    private static final String INITIALIZER_HELP =
            "use a number, or one of zeros, ones, normal(mean, std), uniform(low, high)";
    private final Diagnostics diagnostics;
    private final Map<String, Initializer> initializers = new LinkedHashMap<>();

    ParamChecks(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    Map<String, Initializer> initializers() {
        return initializers;
    }

    Facts check(Ast.Param param) {
        if (param.type() != null) {
            if (param.type().element() == Ast.TypeRef.ElementType.INT) {
                diagnostics.error(param.type().span(), "a param holds floating-point values; it cannot be `int`");
            }
            if (!param.type().dims().isEmpty()) {
                diagnostics.error(param.type().span(),
                        "tensor params are not supported yet: this version of modelc compiles scalar params",
                        "declare a scalar, `param " + param.name().text() + " = 0.5`");
            }
        }
        Initializer init = param.init() == null ? new Initializer.Constant(0) : initializer(param);
        if (init != null) {
            initializers.put(param.name().text(), init);
        }
        return Facts.PARAM;
    }

    private Initializer initializer(Ast.Param param) {
        Ast.Expr expr = param.init();
        String name = param.name().text();
        if (expr instanceof Ast.Name bare && Builtins.INITIALIZERS.containsKey(bare.name())) {
            return named(name, bare.name(), List.of(), bare);
        }
        if (expr instanceof Ast.Call call && Builtins.INITIALIZERS.containsKey(call.function().text())) {
            return named(name, call.function().text(), call.arguments(), call);
        }
        int errorsBefore = diagnostics.errorCount();
        OptionalDouble value = ConstantExpressions.evaluate(expr, diagnostics);
        if (value.isEmpty()) {
            diagnostics.error(expr.span(), "the initial value of `" + name + "` must be a constant", INITIALIZER_HELP);
            return null;
        }
        if (!Double.isFinite(value.getAsDouble())) {
            // A literal out of range is already reported and makes the value NaN; say nothing twice.
            if (diagnostics.errorCount() == errorsBefore) {
                diagnostics.error(expr.span(), "the initial value of `" + name + "` is not a finite number");
            }
            return null;
        }
        return new Initializer.Constant(value.getAsDouble());
    }

    private Initializer named(String param, String initializer, List<Ast.Argument> arguments, Ast.Expr at) {
        int expected = Builtins.INITIALIZERS.get(initializer);
        if (arguments.size() != expected) {
            diagnostics.error(at.span(), "`" + initializer + "` takes " + expected
                    + (expected == 1 ? " argument" : " arguments") + ", got " + arguments.size());
            return null;
        }
        double[] values = new double[expected];
        for (int i = 0; i < expected; i++) {
            Ast.Argument argument = arguments.get(i);
            OptionalDouble value = ConstantExpressions.evaluate(argument.value(), diagnostics);
            if (argument.name() != null || value.isEmpty()) {
                diagnostics.error(argument.span(), "arguments of `" + initializer + "` are plain numbers");
                return null;
            }
            values[i] = value.getAsDouble();
        }
        return switch (initializer) {
            case "zeros" -> new Initializer.Constant(0);
            case "ones" -> new Initializer.Constant(1);
            case "normal" -> values[1] < 0 ? invalid(at, "the standard deviation of `normal` cannot be negative")
                    : new Initializer.Normal(values[0], values[1]);
            case "uniform" -> values[1] < values[0] ? invalid(at, "`uniform(low, high)` needs low <= high")
                    : new Initializer.Uniform(values[0], values[1]);
            default -> invalid(at, "`" + initializer + "` needs a matrix shape to find its fan-in and fan-out; `"
                    + param + "` is a scalar");
        };
    }

    private Initializer invalid(Ast.Expr at, String message) {
        diagnostics.error(at.span(), message);
        return null;
    }
}
