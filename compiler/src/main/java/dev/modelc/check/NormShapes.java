package dev.modelc.check;

import dev.modelc.diagnostics.Span;
import dev.modelc.graph.Shape;
import dev.modelc.syntax.Ast;
import java.util.Map;

/**
 * The shape rules of normalization and dropout, with the errors a person sees: each gives the
 * type of a call's result, or null after reporting why it has none.
 */
final class NormShapes {
    /** What is added to the variance before its square root unless {@code eps} says otherwise, as PyTorch's. */
    static final double EPS = 1e-5;

    /** How far a running statistic moves toward each batch's unless {@code momentum} says otherwise, as PyTorch's. */
    static final double MOMENTUM = 0.1;

    private NormShapes() {
    }

    /**
     * {@code batch_norm(x, gamma, beta)}: x's shape, {@code [batch, features]} normalized over the
     * batch for each feature, or {@code [batch, channels, height, width]} for each channel over
     * the batch and the pixels; gamma a param of shape {@code [features]} or {@code [channels, 1,
     * 1]} (which broadcasts over the pixels, as a convolution's bias does), whose name names the
     * running statistics, and not given to another batch_norm; beta fits like gamma, the same at
     * every pixel of a channel.
     */
    static Type batchNorm(CallSite c) {
        Shape x = c.shape(0);
        boolean images = x.rank() == 4;
        if (!(x.rank() == 2 || images) || x.dim(0) != Shape.BATCH || x.dims().lastIndexOf(Shape.BATCH) != 0) {
            return c.error(c.valueSpan(0), "`batch_norm` normalizes each feature over the rows of a batch, or each "
                    + "channel of images over the rows and the pixels, so it takes `[batch, features]` or "
                    + "`[batch, channels, height, width]`, but its value has shape " + x,
                    "give it rows of features, such as the `[batch, 64]` of a dense layer, or images, such as "
                    + "the `[batch, 16, 8, 8]` of a convolution");
        }
        Shape features = images ? Shape.of(x.dim(1), 1, 1) : Shape.of(x.dim(1));
        String each = images ? " channels" : " features";
        String gamma = paramName(c.scope(), c.shapes().paramArguments, c.valueExprs().get(1));
        if (gamma == null) {
            return c.error(c.valueSpan(1), "`batch_norm` keeps its running mean and variance under the name of its "
                    + "gamma, which must be a param", "declare one and give it by name: `param gamma : " + features
                    + " = 1`, then `batch_norm(h, gamma, beta)`");
        }
        if (!c.shape(1).equals(features)) {
            return c.error(c.valueSpan(1), "`batch_norm` of " + x + ": its gamma has shape " + c.shape(1)
                    + ", but it scales each of the " + x.dim(1) + each, "declare it as " + features
                    + ": `param " + gamma + " : " + features + " = 1`");
        }
        if (images && !samePerPixel(c.shape(2))) {
            return c.error(c.valueSpan(2), "`batch_norm` of " + x + ": its beta has shape " + c.shape(2)
                    + ", which would shift the pixels of a channel differently, but it shifts each channel",
                    "declare it as " + features + ", one shift per channel: `param beta : " + features + " = 0`");
        }
        double momentum = c.settings().number("momentum", MOMENTUM);
        if (!(momentum >= 0 && momentum <= 1)) {
            return c.error(c.settings().span("momentum"), "`momentum` is how far the running statistics move "
                    + "toward each batch's, from 0 to 1, got " + momentum, "leave it out for PyTorch's 0.1");
        }
        Type type = positiveEps(c) ? scaled(c, x, features) : null;
        Span first = type == null ? null : c.shapes().batchNormGammas.putIfAbsent(gamma, c.span());
        if (first != null) {
            return c.error(c.valueSpan(1), "`" + gamma + "` is the gamma of another `batch_norm` (line " + first.line()
                    + "), and each keeps running statistics of its own under its gamma's name",
                    "give this one a gamma and beta of its own");
        }
        return type;
    }

    /** Whether a shape broadcast to images has size 1 along their height and width. */
    private static boolean samePerPixel(Shape s) {
        for (int axis = Math.max(0, s.rank() - 2); axis < s.rank(); axis++) {
            if (s.dim(axis) != 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code layer_norm(x, gamma, beta)}: x's shape, normalized over its last axis, which must be
     * a feature axis; gamma and beta broadcast to x's shape without growing it.
     */
    static Type layerNorm(CallSite c) {
        Shape x = c.shape(0);
        if (x.isScalar() || x.dim(x.rank() - 1) == Shape.BATCH) {
            return c.error(c.valueSpan(0), "`layer_norm` normalizes over the last axis of the features, but its "
                    + "value has shape " + x, "give it rows of features, such as `[batch, 64]`");
        }
        return positiveEps(c) ? scaled(c, x, Shape.of(x.dim(x.rank() - 1))) : null;
    }

    /**
     * The param an argument names, through the model's definitions and a function's parameters
     * that stand for one (as the lowering stage resolves them); null when it names none.
     */
    static String paramName(Map<String, ModelChecker.Symbol> scope, Map<ModelChecker.Symbol, String> parameters,
            Ast.Expr expr) {
        for (int depth = 0; depth < 64 && expr instanceof Ast.Name name; depth++) {
            ModelChecker.Symbol symbol = scope.get(name.name());
            if (symbol == null || parameters.containsKey(symbol)) {
                return symbol == null ? null : parameters.get(symbol);
            }
            if (symbol.declaration() instanceof Ast.Param) {
                return name.name();
            }
            if (!(symbol.declaration() instanceof Ast.Definition definition)) {
                return null;
            }
            expr = definition.value();
        }
        return null;
    }

    private static boolean positiveEps(CallSite c) {
        double eps = c.settings().number("eps", EPS);
        if (eps > 0 && eps < Double.POSITIVE_INFINITY) {
            return true;
        }
        c.error(c.settings().span("eps"), "`eps` must be above 0, so that the square root of the variance "
                + "plus `eps` is never 0", "leave it out for PyTorch's 1e-5");
        return false;
    }

    /** {@code dropout(x, p)}: x's shape; p, the fraction dropped, at least 0 and below 1. */
    static Type dropout(CallSite c) {
        double p = c.settings().number("p", 0.5);
        if (!(p >= 0 && p < 1)) {
            return c.error(c.settings().span("p"), "`dropout` drops a fraction `p` of the elements, at least 0 "
                    + "and below 1, got " + p, "0.5 drops half the elements, 0.1 one in ten");
        }
        return c.value(0).asFloat();
    }

    /** The value's type once gamma and beta fit it; {@code example} is the shape they usually have. */
    private static Type scaled(CallSite c, Shape x, Shape example) {
        boolean ok = true;
        for (int i = 1; i <= 2; i++) {
            Shape s = c.shape(i);
            if (!x.equals(Shape.broadcast(x, s)) || s.hasBatch()) {
                String role = i == 1 ? "gamma" : "beta";
                c.error(c.valueSpan(i), "`" + c.name() + "` of " + x + ": its " + role + " has shape " + s
                        + (s.hasBatch() ? ", but it is the same for every row" : ", which does not fit " + x),
                        "declare it as " + example + ", one "
                        + (i == 1 ? "scale" : "shift") + " per feature: `param " + role + " : " + example
                        + " = " + (i == 1 ? "1" : "0") + "`");
                ok = false;
            }
        }
        return ok ? Type.floating(x) : null;
    }
}
