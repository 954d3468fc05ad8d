package dev.modelc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Pooling} against the definition, in float and double: each window's maximum, and its
 * cotangent at the first of its largest elements in row-major order over the window, 0 elsewhere
 * (past the last whole window too). Values come from a few levels and NaN, so windows tie often; sizes
 * take the 2x2 loops of their own (with vectors and without) and the general ones, with and
 * without edges left over.
 */
class PoolingTest {
    private static final int[][] SHAPES = {{1, 1, 4, 4}, {2, 3, 6, 8}, {3, 2, 5, 7}, {1, 4, 9, 6}, {2, 1, 3, 3},
        {2, 3, 6, 20}, {1, 2, 4, 34}, {2, 3, 6, 48}, {1, 1, 2, 16}, {3, 1, 5, 33}};

    @Test
    void windowsGiveTheirMaximumAndItsFirstElementTheCotangent() {
        boolean before = Matmul.vectorized();
        try {
            for (boolean vector : new boolean[] {true, false}) {
                Matmul.setVectorized(vector);
                windows(vector);
            }
        } finally {
            Matmul.setVectorized(before);
        }
    }

    private static void windows(boolean vector) {
        for (int[] s : SHAPES) {
            for (int size = 1; size <= 3; size++) {
                if (size > s[2] || size > s[3]) {
                    continue;
                }
                SplittableRandom random = new SplittableRandom(31L * size + s[2] * 7L + s[3]);
                int count = s[0] * s[1] * s[2] * s[3];
                int pooled = s[0] * s[1] * (s[2] / size) * (s[3] / size);
                double[] x = new double[count];
                for (int i = 0; i < count; i++) {
                    x[i] = random.nextInt(16) == 0 ? Double.NaN : random.nextInt(4) - 1.5;
                }
                double[] g = new double[pooled];
                for (int i = 0; i < pooled; i++) {
                    g[i] = random.nextGaussian();
                }
                double[] y = new double[pooled];
                double[] dx = new double[count];
                reference(x, g, y, dx, s, size);
                String what = java.util.Arrays.toString(s) + " in windows of " + size + (vector ? ", vector" : "");

                double[] yd = new double[pooled];
                double[] dxd = filled(count, 7);
                Pooling.maxPool2d(x, yd, s[0], s[1], s[2], s[3], size);
                Pooling.maxPool2dGradient(x, g, dxd, s[0], s[1], s[2], s[3], size);
                assertArrayEquals(y, yd, what + " in double");
                assertArrayEquals(dx, dxd, what + ": gradient in double");

                float[] yf = new float[pooled];
                float[] dxf = new float[count];
                java.util.Arrays.fill(dxf, 7f);
                Pooling.maxPool2d(narrow(x), yf, s[0], s[1], s[2], s[3], size);
                Pooling.maxPool2dGradient(narrow(x), narrow(g), dxf, s[0], s[1], s[2], s[3], size);
                assertArrayEquals(narrow(y), yf, what + " in float");
                assertArrayEquals(narrow(dx), dxf, what + ": gradient in float");
            }
        }
    }

    @Test
    void aNaNIsTheMaximumOfItsWindowAndTheFirstElementKeepsTheCotangentAgainstIt() {
        float[] x = {1, Float.NaN, 2, 0, 5, 1, 1, 2};
        float[] y = new float[2];
        float[] dx = new float[8];
        Pooling.maxPool2d(x, y, 1, 1, 2, 4, 2);
        Pooling.maxPool2dGradient(x, new float[] {3, 4}, dx, 1, 1, 2, 4, 2);
        assertArrayEquals(new float[] {Float.NaN, 2}, y);
        // NaN exceeds nothing and nothing exceeds it: the 5 after it in the window wins against the 1.
        assertArrayEquals(new float[] {0, 0, 4, 0, 3, 0, 0, 0}, dx);
    }

    /** The definition, element by element of each window in row-major order. */
    private static void reference(double[] x, double[] g, double[] y, double[] dx, int[] s, int size) {
        int oh = s[2] / size;
        int ow = s[3] / size;
        for (int plane = 0; plane < s[0] * s[1]; plane++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int first = -1;
                    double best = Double.NEGATIVE_INFINITY;
                    for (int u = 0; u < size; u++) {
                        for (int v = 0; v < size; v++) {
                            int e = (plane * s[2] + i * size + u) * s[3] + j * size + v;
                            best = Math.max(best, x[e]);
                            if (first < 0 || x[e] > x[first]) {
                                first = e;
                            }
                        }
                    }
                    int o = (plane * oh + i) * ow + j;
                    y[o] = best;
                    dx[first] = g[o];
                }
            }
        }
    }

    private static double[] filled(int count, double value) {
        double[] v = new double[count];
        java.util.Arrays.fill(v, value);
        return v;
    }

    private static float[] narrow(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
