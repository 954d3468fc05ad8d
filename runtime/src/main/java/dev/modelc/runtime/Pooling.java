package dev.modelc.runtime;

/**
 * Max pooling for generated code, as PyTorch's {@code max_pool2d(x, size)} computes it: x
 * {@code [rows, channels, height, width]} in windows of {@code size x size} side by side, each
 * window's largest element in y {@code [rows, channels, height / size, width / size]}; the rows
 * and columns past the last whole window are not read.
 *
 * <p>The gradient sends each window's cotangent to the first of its largest elements in
 * row-major order over the window (PyTorch's choice: ties do not share it) and 0 to every other
 * element of x, including those past the last whole window. Each is one pass over x, allocating
 * nothing; a maximum is exact, so the results do not depend on the order of the comparisons.
 */
public final class Pooling {
    private Pooling() {
    }

    /** {@code y = max_pool2d(x, size)}; y is overwritten. */
    public static void maxPool2d(double[] x, double[] y, int rows, int channels, int height, int width, int size) {
        int oh = height / size;
        int ow = width / size;
        int planes = rows * channels;
        for (int p = 0; p < planes; p++) {
            int in = p * height * width;
            int out = p * oh * ow;
            for (int i = 0; i < oh; i++) {
                int top = in + i * size * width;
                for (int j = 0; j < ow; j++) {
                    int corner = top + j * size;
                    double best = Double.NEGATIVE_INFINITY;
                    for (int u = 0; u < size; u++) {
                        int at = corner + u * width;
                        for (int v = 0; v < size; v++) {
                            best = Math.max(best, x[at + v]);
                        }
                    }
                    y[out + i * ow + j] = best;
                }
            }
        }
    }

    /** The same in float; windows of 2x2 take a loop of their own. */
    public static void maxPool2d(float[] x, float[] y, int rows, int channels, int height, int width, int size) {
        int oh = height / size;
        int ow = width / size;
        int planes = rows * channels;
        if (size == 2) {
            boolean vector = Matmul.vectorized();
            for (int p = 0; p < planes; p++) {
                int in = p * height * width;
                int out = p * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int a = in + 2 * i * width;
                    int b = a + width;
                    int o = out + i * ow;
                    int first = vector ? VectorPooling.maxRow(x, a, b, y, o, 2 * ow, planes * oh * ow) / 2 : 0;
                    for (int j = first; j < ow; j++) {
                        int c = 2 * j;
                        y[o + j] = Math.max(Math.max(x[a + c], x[a + c + 1]), Math.max(x[b + c], x[b + c + 1]));
                    }
                }
            }
            return;
        }
        for (int p = 0; p < planes; p++) {
            int in = p * height * width;
            int out = p * oh * ow;
            for (int i = 0; i < oh; i++) {
                int top = in + i * size * width;
                for (int j = 0; j < ow; j++) {
                    int corner = top + j * size;
                    float best = Float.NEGATIVE_INFINITY;
                    for (int u = 0; u < size; u++) {
                        int at = corner + u * width;
                        for (int v = 0; v < size; v++) {
                            best = Math.max(best, x[at + v]);
                        }
                    }
                    y[out + i * ow + j] = best;
                }
            }
        }
    }

    /**
     * The gradient of a loss with respect to x from its gradient {@code g} with respect to
     * {@code max_pool2d(x, size)}; dx is overwritten.
     */
    public static void maxPool2dGradient(double[] x, double[] g, double[] dx, int rows, int channels, int height,
                                         int width, int size) {
        int oh = height / size;
        int ow = width / size;
        int planes = rows * channels;
        java.util.Arrays.fill(dx, 0, planes * height * width, 0.0);
        for (int p = 0; p < planes; p++) {
            int in = p * height * width;
            int out = p * oh * ow;
            for (int i = 0; i < oh; i++) {
                int top = in + i * size * width;
                for (int j = 0; j < ow; j++) {
                    int corner = top + j * size;
                    int first = corner;
                    double best = x[corner];
                    for (int u = 0; u < size; u++) {
                        int at = corner + u * width;
                        for (int v = 0; v < size; v++) {
                            if (x[at + v] > best) {
                                best = x[at + v];
                                first = at + v;
                            }
                        }
                    }
                    dx[first] = g[out + i * ow + j];
                }
            }
        }
    }

    /** The same in float; windows of 2x2, which tile x exactly, write each element once. */
    public static void maxPool2dGradient(float[] x, float[] g, float[] dx, int rows, int channels, int height,
                                         int width, int size) {
        int oh = height / size;
        int ow = width / size;
        int planes = rows * channels;
        if (size == 2 && height % 2 == 0 && width % 2 == 0) {
            boolean vector = Matmul.vectorized();
            for (int p = 0; p < planes; p++) {
                int in = p * height * width;
                int out = p * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int a = in + 2 * i * width;
                    int b = a + width;
                    int o = out + i * ow;
                    int first = vector ? VectorPooling.gradientRow(x, g, dx, a, b, o, width, planes * oh * ow) / 2 : 0;
                    for (int j = first; j < ow; j++) {
                        int c = 2 * j;
                        float x0 = x[a + c];
                        float x1 = x[a + c + 1];
                        float x2 = x[b + c];
                        float x3 = x[b + c + 1];
                        // The first largest in the order x0, x1, x2, x3: each one taken when it exceeds the best
                        // so far. Without branches, which the data would mispredict: the comparisons give 0 or -1,
                        // the best so far and the cotangent are chosen by masking their bits.
                        int c1 = -((x1 > x0) ? 1 : 0);
                        float m1 = Float.intBitsToFloat((Float.floatToRawIntBits(x1) & c1)
                                | (Float.floatToRawIntBits(x0) & ~c1));
                        int c2 = -((x2 > m1) ? 1 : 0);
                        float m2 = Float.intBitsToFloat((Float.floatToRawIntBits(x2) & c2)
                                | (Float.floatToRawIntBits(m1) & ~c2));
                        int c3 = -((x3 > m2) ? 1 : 0);
                        int v = Float.floatToRawIntBits(g[o + j]);
                        dx[a + c] = Float.intBitsToFloat(v & ~(c1 | c2 | c3));
                        dx[a + c + 1] = Float.intBitsToFloat(v & c1 & ~(c2 | c3));
                        dx[b + c] = Float.intBitsToFloat(v & c2 & ~c3);
                        dx[b + c + 1] = Float.intBitsToFloat(v & c3);
                    }
                }
            }
            return;
        }
        java.util.Arrays.fill(dx, 0, planes * height * width, 0f);
        for (int p = 0; p < planes; p++) {
            int in = p * height * width;
            int out = p * oh * ow;
            for (int i = 0; i < oh; i++) {
                int top = in + i * size * width;
                for (int j = 0; j < ow; j++) {
                    int corner = top + j * size;
                    int first = corner;
                    float best = x[corner];
                    for (int u = 0; u < size; u++) {
                        int at = corner + u * width;
                        for (int v = 0; v < size; v++) {
                            if (x[at + v] > best) {
                                best = x[at + v];
                                first = at + v;
                            }
                        }
                    }
                    dx[first] = g[out + i * ow + j];
                }
            }
        }
    }
}
