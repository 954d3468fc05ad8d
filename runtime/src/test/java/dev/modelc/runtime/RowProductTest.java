package dev.modelc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Products of one, two or three rows, as a predictor computes for one row or a tile leaves
 * over: against a textbook loop in double, as each kernel's exact in-order sum, and a row
 * computed alone against the same row of a batch, bit for bit.
 */
class RowProductTest {
    private final boolean vectorBefore = Matmul.vectorized();
    private final int threadsBefore = Matmul.threads();

    @AfterEach
    void restore() {
        Matmul.setVectorized(vectorBefore);
        Matmul.setThreads(threadsBefore);
    }

    @Test
    void fewRowsAreTheInOrderSumOfTheKernelAndCloseToTheDoubleProduct() {
        // Columns around the row kernel's strips (8, 4 and 1 vectors of 8 or 16 floats) and the
        // tail narrower than a vector, whose last rows of B are finished one element at a time;
        // reductions that are not a multiple of a vector. Two and three rows only where the
        // product is large enough for the vector kernels (smaller ones are thin, plain loops).
        int[] columns = {2, 3, 7, 10, 17, 31, 33, 64, 100, 128, 130, 257};
        int[] reductions = {1, 5, 13, 64, 129, 784};
        for (boolean vector : new boolean[] {false, true}) {
            Matmul.setVectorized(vector);
            for (int m = 1; m <= 3; m++) {
                for (int k : reductions) {
                    for (int n : columns) {
                        if (m > 1 && m * k * n < 2048) {
                            continue;
                        }
                        for (int form = 0; form < 2; form++) {
                            Operands f = new Operands(m, k, n, form, 1000L * m + 10L * k + n);
                            float[] c = f.product32();
                            assertArrayEquals(f.inOrder32(vector), c, "f32 " + f + ", vector " + vector);
                            assertClose(f, c);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aRowAloneHasTheBitsItHasInABatch() {
        // The shapes of W4's and W5's layers: a batch of 256 goes through the packed or the
        // narrow kernels, a row alone through the row kernel (or the plain loop without vectors).
        int[][] layers = {{64, 128}, {128, 10}, {784, 256}, {256, 256}, {256, 10}, {45, 37}};
        int rows = 256;
        for (boolean vector : new boolean[] {false, true}) {
            Matmul.setVectorized(vector);
            for (int threads = 1; threads <= 2; threads++) {
                Matmul.setThreads(threads);
                for (int[] layer : layers) {
                    int k = layer[0];
                    int n = layer[1];
                    Rng rng = new Rng(k * 31L + n);
                    float[] a = random(rng, rows * k);
                    float[] b = random(rng, k * n);
                    float[] batch = new float[rows * n];
                    Matmul.multiply(a, false, b, false, batch, rows, k, n);
                    for (int i : new int[] {0, 1, 77, rows - 1}) {
                        float[] row = java.util.Arrays.copyOfRange(a, i * k, (i + 1) * k);
                        float[] alone = new float[n];
                        Matmul.multiply(row, false, b, false, alone, 1, k, n);
                        assertArrayEquals(java.util.Arrays.copyOfRange(batch, i * n, (i + 1) * n), alone,
                                "row " + i + " of " + k + " x " + n + ", vector " + vector + ", threads " + threads);
                    }
                }
            }
        }
    }

    @Test
    void aRowWritesOnlyItsOwnColumns() {
        // C inside a larger array: the tail's vector is stored through scratch, never past n.
        Matmul.setVectorized(true);
        Operands f = new Operands(1, 40, 13, 0, 5);
        float[] a = new float[40];
        float[] b = new float[40 * 13];
        for (int p = 0; p < 40; p++) {
            a[p] = (float) f.a(0, p);
            for (int j = 0; j < 13; j++) {
                b[p * 13 + j] = (float) f.b(p, j);
            }
        }
        float[] c = new float[40];
        java.util.Arrays.fill(c, 7f);
        Matmul.multiply(a, false, b, false, c, 1, 40, 13);
        float[] expected = new float[40];
        java.util.Arrays.fill(expected, 7f);
        System.arraycopy(f.inOrder32(true), 0, expected, 0, 13);
        assertArrayEquals(expected, c);
    }

    private static void assertClose(Operands f, float[] c) {
        double[] reference = f.reference();
        double[] scale = f.errorScale();
        for (int i = 0; i < c.length; i++) {
            double tolerance = (f.k + 2) * 0x1p-24 * scale[i];
            if (Math.abs(c[i] - reference[i]) > tolerance) {
                throw new AssertionError(f + " element " + i + ": " + c[i] + ", expected " + reference[i]);
            }
        }
    }

    private static float[] random(Rng rng, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rng.uniform(-1, 1);
        }
        return x;
    }
}
