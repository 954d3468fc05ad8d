package dev.modelc.runtime;

/** Numerically stable scalar functions that generated code calls, in double and float. */
public final class Kernels {
    private Kernels() {
    }

    /** 1 / (1 + e^-x), without overflow for large |x|. */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    public static float sigmoid(float x) {
        return (float) sigmoid((double) x);
    }

    /** log(1 + e^x), as max(x, 0) + log1p(e^-|x|). */
    public static double softplus(double x) {
        return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    public static float softplus(float x) {
        return (float) softplus((double) x);
    }
}
