package dev.modelc.check;

import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.graph.Initializer;
import dev.modelc.graph.Shape;
import dev.modelc.syntax.Ast;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** Checks param declarations: their type and their initializer. */
final class ParamChecks {
    private static final String INITIALIZER_HELP = "use a number, or one of zeros, ones, normal(mean, std), "
            + "uniform(low, high), glorot_uniform, he_normal";
    private final Diagnostics diagnostics;
    private final DeclaredTypes declaredTypes;
    private final Map<String, Initializer> initializers = new LinkedHashMap<>();
    /** Elements of the params checked so far; each also has a gradient and optimizer state as large. */
    private long totalElements;

    ParamChecks(Diagnostics diagnostics, DeclaredTypes declaredTypes) {
        this.diagnostics = diagnostics;
        this.declaredTypes = declaredTypes;
    }

    Map<String, Initializer> initializers() {
        return initializers;
    }

    Facts check(Ast.Param param) {
        Type type = Type.SCALAR;
        if (param.type() != null) {
            if (param.type().element() == Ast.TypeRef.ElementType.INT) {
                diagnostics.error(param.type().span(), "a param holds floating-point values; it cannot be `int`");
            }
            type = declaredTypes.resolve(param.type(), param.name().text(), false);
            if (type != null) {
                countElements(param, type.shape());
            }
        }
        Shape shape = type == null ? null : type.shape();
        Initializer init = param.init() == null ? new Initializer.Constant(0) : initializer(param, shape);
        if (init != null) {
            initializers.put(param.name().text(), init);
        }
        return Facts.param(type == null ? null : type.asFloat());
    }

    /** Reports the param with which all params together first hold more elements than one value may. */
    private void countElements(Ast.Param param, Shape shape) {
        long before = totalElements;
        totalElements += shape.sizeWithoutBatch();
        if (before <= Limits.MAX_ELEMENTS && totalElements > Limits.MAX_ELEMENTS) {
            diagnostics.error(param.type().span(), "with `" + param.name().text() + "`, the params together would "
                    + "have " + Limits.count(totalElements) + " elements, more than the "
                    + Limits.count(Limits.MAX_ELEMENTS) + " modelc supports",
                    "each param also has a gradient and optimizer state of its size");
        }
    }

    private Initializer initializer(Ast.Param param, Shape shape) {
        Ast.Expr expr = param.init();
        String name = param.name().text();
        if (expr instanceof Ast.Name bare && Builtins.INITIALIZERS.containsKey(bare.name())) {
            return named(name, shape, bare.name(), List.of(), bare);
        }
        if (expr instanceof Ast.Call call && Builtins.INITIALIZERS.containsKey(call.function().text())) {
            return named(name, shape, call.function().text(), call.arguments(), call);
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

    private Initializer named(String param, Shape shape, String initializer, List<Ast.Argument> arguments, Ast.Expr at) {
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
            if (argument.name() != null || value.isEmpty() || !Double.isFinite(value.getAsDouble())) {
                diagnostics.error(argument.span(), "arguments of `" + initializer + "` are plain numbers");
                return null;
            }
            values[i] = value.getAsDouble();
        }
        switch (initializer) {
            case "zeros":
                return new Initializer.Constant(0);
            case "ones":
                return new Initializer.Constant(1);
            case "normal":
                return values[1] < 0 ? invalid(at, "the standard deviation of `normal` cannot be negative")
                        : new Initializer.Normal(values[0], values[1]);
            case "uniform":
                return values[1] < values[0] ? invalid(at, "`uniform(low, high)` needs low <= high")
                        : new Initializer.Uniform(values[0], values[1]);
            default:
                if (shape != null && shape.isScalar()) {
                    return invalid(at, "`" + initializer + "` needs a shape to find its fan-in and fan-out; `"
                            + param + "` is a scalar");
                }
                return initializer.equals("glorot_uniform") ? new Initializer.GlorotUniform() : new Initializer.HeNormal();
        }
    }

    private Initializer invalid(Ast.Expr at, String message) {
        diagnostics.error(at.span(), message);
        return null;
    }
}
