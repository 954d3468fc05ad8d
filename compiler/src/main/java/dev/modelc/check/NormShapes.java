package dev.modelc.check;

import dev.modelc.graph.Shape;

/**
 * The shape rules of normalization and dropout, with the errors a person sees: each gives the
 * type of a call's result, or null after reporting why it has none.
 */
final class NormShapes {
    /** What is added to the variance before its square root unless {@code eps} says otherwise, as PyTorch's. */
    static final double EPS = 1e-5;

    private NormShapes() {
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
