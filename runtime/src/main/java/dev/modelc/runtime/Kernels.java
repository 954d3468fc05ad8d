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

    /**
     * 1 where x > 0, else 0 (for NaN too): ReLU's derivative. Computed from x's bits without a
     * branch, since the signs of a layer's pre-activations are a coin toss to a branch
     * predictor: x > 0 exactly when its bits less one lie in [0, bits of +infinity).
     */
    public static double step(double x) {
        long b = Double.doubleToRawLongBits(x) - 1;
        return (double) ((~b & (b - 0x7ff0000000000000L)) >>> 63);
    }

    public static float step(float x) {
        int b = Float.floatToRawIntBits(x) - 1;
        return (float) ((~b & (b - 0x7f800000)) >>> 31);
    }
}
