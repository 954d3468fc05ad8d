package dev.modelc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@link Kernels}' training loops give the bits of the plain loops they replace, with the vector
 * kernels and without, at every length around a vector's (the tails) and for the special values;
 * the channel loops of convolutions (bias and bias gradient) at channel counts around their blocks.
 */
class TrainingLoopKernelsTest {
    private static final float[] SPECIAL = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE,
        -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1f, -1f, 3.5e-39f};

    @Test
    void maskByStepIsTheCotangentTimesStepOfTheValue() {
        for (int count = 0; count <= 70; count++) {
            float[] g = values(count, 1);
            float[] x = values(count, 2);
            float[] expected = new float[count];
            for (int i = 0; i < count; i++) {
                expected[i] = g[i] * (x[i] > 0 ? 1f : 0f);
            }
            double[] gd = widen(g);
            double[] xd = widen(x);
            double[] expectedD = new double[count];
            for (int i = 0; i < count; i++) {
                expectedD[i] = gd[i] * (xd[i] > 0 ? 1.0 : 0.0);
            }
            int n = count;
            bothKernels(vector -> {
                float[] out = new float[n];
                Kernels.maskByStep(out, g, x, n);
                assertBits(expected, out, "mask " + n + " vector " + vector);
                float[] inPlace = x.clone();
                Kernels.maskByStep(inPlace, g, inPlace, n);
                assertBits(expected, inPlace, "mask in place " + n);
                double[] outD = new double[n];
                Kernels.maskByStep(outD, gd, xd, n);
                assertArrayEquals(expectedD, outD, "mask in double " + n);
            });
        }
    }

    @Test
    void sumRowsAddsEachColumnFromZeroInRowOrder() {
        for (int n = 1; n <= 40; n++) {
            for (int rows : new int[] {1, 2, 5, 32}) {
                float[] c = values(rows * n, n);
                float[] expected = new float[n];
                double[] cd = widen(c);
                double[] expectedD = new double[n];
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < n; j++) {
                        expected[j] = expected[j] + c[i * n + j];
                        expectedD[j] = expectedD[j] + cd[i * n + j];
                    }
                }
                int columns = n;
                int r = rows;
                bothKernels(vector -> {
                    float[] sum = filled(columns, 7f);
                    Kernels.sumRows(sum, c, r, columns);
                    assertBits(expected, sum, r + " rows of " + columns + ", vector " + vector);
                    double[] sumD = new double[columns];
                    java.util.Arrays.fill(sumD, 7.0);
                    Kernels.sumRows(sumD, cd, r, columns);
                    assertArrayEquals(expectedD, sumD, r + " rows of " + columns + " in double");
                });
            }
        }
    }

    @Test
    void sumChannelsAddsEachChannelFromZeroInRowAndPixelOrder() {
        for (int channels = 1; channels <= 9; channels++) {
            for (int[] rowsAndPlane : new int[][] {{1, 1}, {2, 5}, {3, 16}, {4, 17}}) {
                int rows = rowsAndPlane[0];
                int plane = rowsAndPlane[1];
                float[] x = values(rows * channels * plane, channels);
                double[] xd = widen(x);
                float[] expected = new float[channels];
                double[] expectedD = new double[channels];
                for (int i = 0; i < rows; i++) {
                    for (int c = 0; c < channels; c++) {
                        for (int p = 0; p < plane; p++) {
                            expected[c] = expected[c] + x[(i * channels + c) * plane + p];
                            expectedD[c] = expectedD[c] + xd[(i * channels + c) * plane + p];
                        }
                    }
                }
                float[] sum = filled(channels, 7f);
                Kernels.sumChannels(sum, x, rows, channels, plane);
                String what = rows + " rows of " + channels + " channels of " + plane;
                assertBits(expected, sum, what);
                double[] sumD = new double[channels];
                java.util.Arrays.fill(sumD, 7.0);
                Kernels.sumChannels(sumD, xd, rows, channels, plane);
                assertArrayEquals(expectedD, sumD, what + " in double");
            }
        }
    }

    @Test
    void addToChannelsAddsEachChannelsValueToItsPixels() {
        for (int channels = 1; channels <= 5; channels++) {
            for (int[] rowsAndPlane : new int[][] {{1, 1}, {2, 5}, {3, 37}}) {
                int rows = rowsAndPlane[0];
                int plane = rowsAndPlane[1];
                float[] x = values(rows * channels * plane, 3);
                float[] b = values(channels, 4);
                float[] expected = x.clone();
                double[] expectedD = widen(x);
                for (int i = 0; i < expected.length; i++) {
                    expected[i] += b[i / plane % channels];
                    expectedD[i] += b[i / plane % channels];
                }
                float[] actual = x.clone();
                Kernels.addToChannels(actual, b, rows, channels, plane);
                assertBits(expected, actual, rows + " rows of " + channels + " channels of " + plane);
                double[] actualD = widen(x);
                Kernels.addToChannels(actualD, widen(b), rows, channels, plane);
                assertArrayEquals(expectedD, actualD, "in double");
            }
        }
    }

    @Test
    void momentumStepRoundsAsTheScalarUpdate() {
        for (int count = 0; count <= 70; count++) {
            float[] param = values(count, 3);
            float[] buffer = values(count, 4);
            float[] g = values(count, 5);
            float momentum = 0.9f;
            float rate = 0.01f;
            float[] expectedParam = param.clone();
            float[] expectedBuffer = buffer.clone();
            for (int i = 0; i < count; i++) {
                expectedBuffer[i] = momentum * expectedBuffer[i] + g[i];
                expectedParam[i] -= rate * expectedBuffer[i];
            }
            double[] expectedParamD = widen(param);
            double[] expectedBufferD = widen(buffer);
            for (int i = 0; i < count; i++) {
                expectedBufferD[i] = 0.9 * expectedBufferD[i] + g[i];
                expectedParamD[i] -= 0.01 * expectedBufferD[i];
            }
            int n = count;
            bothKernels(vector -> {
                float[] p = param.clone();
                float[] b = buffer.clone();
                Kernels.momentumStep(p, b, g, momentum, rate, n);
                assertBits(expectedBuffer, b, "buffer " + n + " vector " + vector);
                assertBits(expectedParam, p, "param " + n + " vector " + vector);
                double[] pd = widen(param);
                double[] bd = widen(buffer);
                Kernels.momentumStep(pd, bd, widen(g), 0.9, 0.01, n);
                assertArrayEquals(expectedBufferD, bd, "buffer in double " + n);
                assertArrayEquals(expectedParamD, pd, "param in double " + n);
            });
        }
    }

    @Test
    void theVectorKernelsAreExercised() {
        assertTrue(Matmul.vectorAvailable(), "the tests run with the Vector API module");
    }

    /** Runs {@code check} with the vector kernels, then with the plain ones, restoring the setting. */
    private static void bothKernels(Consumer<Boolean> check) {
        boolean before = Matmul.vectorized();
        try {
            for (boolean vector : new boolean[] {true, false}) {
                Matmul.setVectorized(vector);
                check.accept(vector);
            }
        } finally {
            Matmul.setVectorized(before);
        }
    }

    /** Gaussian values with the special ones mixed in, from {@code seed}. */
    private static float[] values(int count, int seed) {
        SplittableRandom random = new SplittableRandom(seed * 7919L + count);
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = random.nextInt(5) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : (float) random.nextGaussian();
        }
        return v;
    }

    private static float[] filled(int count, float value) {
        float[] v = new float[count];
        java.util.Arrays.fill(v, value);
        return v;
    }

    private static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static void assertBits(float[] expected, float[] actual, String what) {
        assertArrayEquals(bits(expected), bits(actual), what);
    }

    /** Every bit but a NaN's sign and payload, which neither Java nor the processor keeps from one NaN to another. */
    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToIntBits(v[i]);
        }
        return b;
    }
}
