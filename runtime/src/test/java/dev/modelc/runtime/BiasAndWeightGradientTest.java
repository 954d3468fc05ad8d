package dev.modelc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Kernels#biasAndWeightGradient} against the sums it stands for, with vectors and
 * without: the bias's {@code dY[0] + dY[1] + ...} and each column's {@code x[0, p] * dY[0] +
 * x[1, p] * dY[1] + ...}, from zero and in row order, the products rounded before they are
 * added; and against {@link Kernels#sumRows} and {@link Matmul#multiply}, the calls it replaces,
 * bit for bit. Widths below, at and past one and two vectors of every species, row counts from
 * one, and x longer than its rows (a batch smaller than the capacity); dW's elements past k are
 * left alone.
 */
class BiasAndWeightGradientTest {
    private static final int[] WIDTHS = {1, 3, 4, 7, 8, 9, 10, 15, 16, 17, 24, 31, 32, 33, 40};
    private static final int[] ROWS = {1, 2, 3, 7, 64, 1000};

    @Test
    void sumsTheRowsInOrderAsTheSeparateKernelsDo() {
        boolean before = Matmul.vectorized();
        try {
            for (boolean vector : new boolean[] {true, false}) {
                Matmul.setVectorized(vector);
                for (int k : WIDTHS) {
                    for (int rows : ROWS) {
                        for (int spare : new int[] {0, 5 * k}) {
                            check(k, rows, spare, vector);
                        }
                    }
                }
            }
        } finally {
            Matmul.setVectorized(before);
        }
    }

    private static void check(int k, int rows, int spare, boolean vector) {
        SplittableRandom random = new SplittableRandom(1000L * k + 10L * rows + spare);
        float[] x = new float[rows * k + spare];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(10) == 0 ? -0.0f : (float) random.nextGaussian();
        }
        float[] dY = new float[rows + 3];
        for (int i = 0; i < dY.length; i++) {
            dY[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
        }
        float bias = 0.0f;
        float[] columns = new float[k];
        for (int i = 0; i < rows; i++) {
            bias = bias + dY[i];
            for (int p = 0; p < k; p++) {
                float product = x[i * k + p] * dY[i];
                columns[p] = columns[p] + product;
            }
        }
        String what = k + " columns, " + rows + " rows" + (spare > 0 ? ", x longer" : "") + (vector ? ", vector" : "");

        float[] db = {Float.NaN};
        float[] dW = new float[k + 2];
        java.util.Arrays.fill(dW, 42.0f);
        Kernels.biasAndWeightGradient(dY, x, rows, k, db, dW);
        assertEquals(Float.floatToRawIntBits(bias), Float.floatToRawIntBits(db[0]), what + ": bias");
        assertArrayEquals(columns, java.util.Arrays.copyOf(dW, k), what + ": weight");
        assertEquals(42.0f, dW[k], what + ": past k");
        assertEquals(42.0f, dW[k + 1], what + ": past k");

        float[] separateDb = new float[1];
        float[] separateDw = new float[k];
        Kernels.sumRows(separateDb, dY, rows, 1);
        Matmul.multiply(x, true, dY, false, separateDw, k, rows, 1);
        assertEquals(Float.floatToRawIntBits(separateDb[0]), Float.floatToRawIntBits(db[0]), what + ": as sumRows");
        assertArrayEquals(separateDw, java.util.Arrays.copyOf(dW, k), what + ": as Matmul.multiply");
    }
}
