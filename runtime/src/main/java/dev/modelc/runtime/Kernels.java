package dev.modelc.runtime;

/**
 * Numerically stable scalar functions that generated code calls, in double and float, and the
 * loops of a training step that the JIT leaves scalar: {@link #addToRows} (a bias added to every
 * row), {@link #maskByStep} (ReLU's derivative applied), {@link #sumRows} (a bias gradient),
 * {@link #biasAndWeightGradient} (a bias's and a single-column weight's gradients in one pass) and
 * {@link #momentumStep} (SGD with momentum). With the Vector API they run as vector operations
 * that round as the scalar ones do, so the bits are the same either way.
 */
public final class Kernels {
    private static final double SQRT_PI = Math.sqrt(Math.PI);
    private static final double TWO_OVER_SQRT_PI = 2 / SQRT_PI;
    /** The coefficients of erf(x) / x as a series in x²: 2/√π (-1)^n / (n! (2n + 1)). */
    private static final double[] ERF_MACLAURIN = new double[20];
    /** 1 / (2n + 1). */
    private static final double[] INVERSE_ODD = new double[100];

    static {
        double factorial = 1;
        for (int n = 0; n < ERF_MACLAURIN.length; n++) {
            factorial *= Math.max(n, 1);
            ERF_MACLAURIN[n] = TWO_OVER_SQRT_PI * (n % 2 == 0 ? 1 : -1) / (factorial * (2 * n + 1));
        }
        for (int n = 0; n < INVERSE_ODD.length; n++) {
            INVERSE_ODD[n] = 1.0 / (2 * n + 1);
        }
    }

    private Kernels() {
    }

    /**
     * {@code c[i * n + j] += b[j]} for every row {@code i < rows} and column {@code j < n}: a
     * row vector (a layer's bias) added to each row of c. The JIT does not vectorize this loop
     * itself (c and b may be one array), so with the Vector API it runs as vector adds, which
     * round each sum as the scalar addition does: the bits are the same either way.
     */
    public static void addToRows(float[] c, float[] b, int rows, int n) {
        if (Matmul.vectorized()) {
            VectorRow.addToRows(c, b, rows, n);
            return;
        }
        for (int i = 0; i < rows; i++) {
            int ci = i * n;
            for (int j = 0; j < n; j++) {
                c[ci + j] += b[j];
            }
        }
    }

    /** {@link #addToRows(float[], float[], int, int)} in double. */
    public static void addToRows(double[] c, double[] b, int rows, int n) {
        if (Matmul.vectorized()) {
            VectorRow.addToRows(c, b, rows, n);
            return;
        }
        for (int i = 0; i < rows; i++) {
            int ci = i * n;
            for (int j = 0; j < n; j++) {
                c[ci + j] += b[j];
            }
        }
    }

    /**
     * {@code x[(i * channels + c) * plane + p] += b[c]} for every row i, channel c and pixel p: a
     * bias per channel added to images {@code [rows, channels, h, w]}, {@code plane = h * w}. The
     * bias is read into a local for each image, so the JIT vectorizes the loop over its pixels,
     * which it does not when the bias stays in its array (x and b may be one array).
     */
    public static void addToChannels(float[] x, float[] b, int rows, int channels, int plane) {
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < channels; c++) {
                float v = b[c];
                int at = (i * channels + c) * plane;
                for (int p = at; p < at + plane; p++) {
                    x[p] += v;
                }
            }
        }
    }

    /** {@link #addToChannels(float[], float[], int, int, int)} in double. */
    public static void addToChannels(double[] x, double[] b, int rows, int channels, int plane) {
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < channels; c++) {
                double v = b[c];
                int at = (i * channels + c) * plane;
                for (int p = at; p < at + plane; p++) {
                    x[p] += v;
                }
            }
        }
    }

    /**
     * {@code sum[c] = x[c's first element] + ...}, from zero, over the pixels of channel c of
     * every row in row-major order ({@code [rows, channels, h, w]} summed over axes 0, 2 and 3,
     * {@code plane = h * w}): a convolution's bias gradient. Each sum is one chain of additions in
     * that order, as the generated loop adds them, but four channels' chains run side by side
     * instead of one, each in a local rather than read and written in the array at every
     * element. sum is not x.
     */
    public static void sumChannels(float[] sum, float[] x, int rows, int channels, int plane) {
        int c = 0;
        for (; c + 4 <= channels; c += 4) {
            float s0 = 0.0f;
            float s1 = 0.0f;
            float s2 = 0.0f;
            float s3 = 0.0f;
            for (int i = 0; i < rows; i++) {
                int a = (i * channels + c) * plane;
                for (int p = 0; p < plane; p++) {
                    s0 = s0 + x[a + p];
                    s1 = s1 + x[a + plane + p];
                    s2 = s2 + x[a + 2 * plane + p];
                    s3 = s3 + x[a + 3 * plane + p];
                }
            }
            sum[c] = s0;
            sum[c + 1] = s1;
            sum[c + 2] = s2;
            sum[c + 3] = s3;
        }
        for (; c + 2 <= channels; c += 2) {
            float s0 = 0.0f;
            float s1 = 0.0f;
            for (int i = 0; i < rows; i++) {
                int a = (i * channels + c) * plane;
                for (int p = 0; p < plane; p++) {
                    s0 = s0 + x[a + p];
                    s1 = s1 + x[a + plane + p];
                }
            }
            sum[c] = s0;
            sum[c + 1] = s1;
        }
        for (; c < channels; c++) {
            float s0 = 0.0f;
            for (int i = 0; i < rows; i++) {
                int a = (i * channels + c) * plane;
                for (int p = 0; p < plane; p++) {
                    s0 = s0 + x[a + p];
                }
            }
            sum[c] = s0;
        }
    }

    /** {@link #sumChannels(float[], float[], int, int, int)} in double. */
    public static void sumChannels(double[] sum, double[] x, int rows, int channels, int plane) {
        int c = 0;
        for (; c + 4 <= channels; c += 4) {
            double s0 = 0.0;
            double s1 = 0.0;
            double s2 = 0.0;
            double s3 = 0.0;
            for (int i = 0; i < rows; i++) {
                int a = (i * channels + c) * plane;
                for (int p = 0; p < plane; p++) {
                    s0 = s0 + x[a + p];
                    s1 = s1 + x[a + plane + p];
                    s2 = s2 + x[a + 2 * plane + p];
                    s3 = s3 + x[a + 3 * plane + p];
                }
            }
            sum[c] = s0;
            sum[c + 1] = s1;
            sum[c + 2] = s2;
            sum[c + 3] = s3;
        }
        for (; c < channels; c++) {
            double s0 = 0.0;
            for (int i = 0; i < rows; i++) {
                int a = (i * channels + c) * plane;
                for (int p = 0; p < plane; p++) {
                    s0 = s0 + x[a + p];
                }
            }
            sum[c] = s0;
        }
    }

    /**
     * {@code out[i] = g[i] * step(x[i])} for {@code i < count}: a cotangent through a ReLU. The
     * JIT leaves the loop scalar ({@link #step} works on the float's bits); out may be g or x.
     */
    public static void maskByStep(float[] out, float[] g, float[] x, int count) {
        int i = Matmul.vectorized() ? VectorLoops.maskByStep(out, g, x, count) : 0;
        for (; i < count; i++) {
            out[i] = g[i] * step(x[i]);
        }
    }

    /** {@link #maskByStep(float[], float[], float[], int)} in double. */
    public static void maskByStep(double[] out, double[] g, double[] x, int count) {
        int i = Matmul.vectorized() ? VectorLoops.maskByStep(out, g, x, count) : 0;
        for (; i < count; i++) {
            out[i] = g[i] * step(x[i]);
        }
    }

    /**
     * {@code sum[j] = c[0 * n + j] + c[1 * n + j] + ...}, from zero and in row order, for each
     * column {@code j < n} of the {@code rows} rows of c: a bias's gradient. The scalar loop reads
     * and writes sum at every element (sum and c may be one array as far as the JIT knows); the
     * vector loop keeps a vector of columns' sums in a register down the rows. sum is not c.
     */
    public static void sumRows(float[] sum, float[] c, int rows, int n) {
        int j = Matmul.vectorized() ? VectorLoops.sumRows(sum, c, rows, n) : 0;
        for (; j < n; j++) {
            float s = 0.0f;
            for (int i = 0; i < rows; i++) {
                s = s + c[i * n + j];
            }
            sum[j] = s;
        }
    }

    /** {@link #sumRows(float[], float[], int, int)} in double. */
    public static void sumRows(double[] sum, double[] c, int rows, int n) {
        int j = Matmul.vectorized() ? VectorLoops.sumRows(sum, c, rows, n) : 0;
        for (; j < n; j++) {
            double s = 0.0;
            for (int i = 0; i < rows; i++) {
                s = s + c[i * n + j];
            }
            sum[j] = s;
        }
    }

    /**
     * {@code db[0] = dY[0] + dY[1] + ...} and {@code dW = xᵀ @ dY}, for x of {@code rows x k}
     * (row-major) and dY of one column: the gradients of a bias and of a single-column weight,
     * in one pass over the rows. Each sum starts from zero and adds the rows in order, the
     * weight's as products rounded then added, as {@link #sumRows} and {@link Matmul#multiply}
     * add them, so the bits are theirs; in one pass the bias's chain of additions runs beside the
     * weight's instead of after it. db and dW are not dY or x.
     */
    public static void biasAndWeightGradient(float[] dY, float[] x, int rows, int k, float[] db, float[] dW) {
        int i = Matmul.vectorized()
                ? VectorLoops.biasAndWeightGradient(dY, x, rows, k, db, dW, MatmulWorkspace.current().tile32()) : 0;
        if (i == 0) {
            db[0] = 0.0f;
            java.util.Arrays.fill(dW, 0, k, 0.0f);
        }
        float sb = db[0];
        for (; i < rows; i++) {
            float d = dY[i];
            int row = i * k;
            sb = sb + d;
            for (int p = 0; p < k; p++) {
                dW[p] = dW[p] + x[row + p] * d;
            }
        }
        db[0] = sb;
    }

    /**
     * SGD with momentum, PyTorch's form: {@code buffer[i] = momentum * buffer[i] + g[i]}, then
     * {@code param[i] -= rate * buffer[i]}, for {@code i < count}; three distinct arrays.
     */
    public static void momentumStep(float[] param, float[] buffer, float[] g, float momentum, float rate, int count) {
        int i = Matmul.vectorized() ? VectorLoops.momentumStep(param, buffer, g, momentum, rate, count) : 0;
        for (; i < count; i++) {
            buffer[i] = momentum * buffer[i] + g[i];
            param[i] -= rate * buffer[i];
        }
    }

    /** {@link #momentumStep(float[], float[], float[], float, float, int)} in double. */
    public static void momentumStep(double[] param, double[] buffer, double[] g, double momentum, double rate,
                                    int count) {
        int i = Matmul.vectorized() ? VectorLoops.momentumStep(param, buffer, g, momentum, rate, count) : 0;
        for (; i < count; i++) {
            buffer[i] = momentum * buffer[i] + g[i];
            param[i] -= rate * buffer[i];
        }
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

    /**
     * The error function, to within a few units in the last place: below 1 its Maclaurin series;
     * below 2.5 the series {@code 2/√π e^(-x²) Σ 2^n x^(2n+1) / (1·3···(2n+1))}, whose terms are
     * all positive; below 6 one minus the continued fraction of erfc; beyond, ±1.
     */
    public static double erf(double x) {
        double a = Math.abs(x);
        if (Double.isNaN(x)) {
            return x;
        }
        double r = a < 1 ? erfMaclaurin(a) : a < 2.5 ? erfSeries(a) : a < 6 ? 1 - erfcFraction(a) : 1;
        return Math.copySign(r, x);
    }

    public static float erf(float x) {
        return (float) erf((double) x);
    }

    private static double erfMaclaurin(double x) {
        double x2 = x * x;
        double p = ERF_MACLAURIN[ERF_MACLAURIN.length - 1];
        for (int n = ERF_MACLAURIN.length - 2; n >= 0; n--) {
            p = p * x2 + ERF_MACLAURIN[n];
        }
        return x * p;
    }

    private static double erfSeries(double x) {
        double twoX2 = 2 * x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < INVERSE_ODD.length && term > sum * 1e-17; n++) {
            term *= twoX2 * INVERSE_ODD[n];
            sum += term;
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
    }

    /** erfc(x) = e^(-x²) / √π / (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...)))), evaluated by Lentz's method. */
    private static double erfcFraction(double x) {
        double f = x;
        double c = x;
        double d = 0;
        for (int n = 1; n < 200; n++) {
            double an = n / 2.0;
            d = 1 / (x + an * d);
            c = x + an / c;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x * x) / (SQRT_PI * f);
    }
}
