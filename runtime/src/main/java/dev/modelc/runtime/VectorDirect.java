package dev.modelc.runtime;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float products small enough that packing would cost more than it saves, with B's rows
 * contiguous (A@B or Aᵀ@B): tiles of 6 or 4 rows by two vectors read A and B where they lie.
 * Columns left over are done a vector, then an element, at a time; rows left over one at a
 * time. Each element is the same in-order chain of fused multiply-adds as in the packed
 * kernels, so the choice of kernel never changes a result.
 */
final class VectorDirect {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int FL = F.length();
    /** The tile's width; products whose C is a whole number of tiles wide use this kernel. */
    static final int COLUMNS = 2 * FL;

    private VectorDirect() {
    }

    /** {@code c = op(a) @ b}, A m x k (k x m when {@code ta}), B k x n, C m x n. */
    static void multiply(float[] a, boolean ta, float[] b, float[] c, int m, int k, int n) {
        int rowStride = ta ? 1 : k;
        int pStride = ta ? m : 1;
        // Tiles of six rows (twelve accumulators keep both FMA units busy), then of four, so
        // that few rows are left for the slow one-row loop: 32 rows = 4 x 6 + 2 x 4.
        int sixes = m / 6;
        if (sixes > 0 && (m % 6 == 2 || m % 6 == 3)) {
            sixes--;
        }
        int i = 0;
        for (; i < 6 * sixes; i += 6) {
            int j = 0;
            for (; j + 2 * FL <= n; j += 2 * FL) {
                sixRows(a, i, rowStride, pStride, b, j, c, k, n);
            }
            for (int r = i; r < i + 6; r++) {
                rest(a, r * rowStride, pStride, b, c, r * n, j, k, n);
            }
        }
        for (; i + 4 <= m; i += 4) {
            int j = 0;
            for (; j + 2 * FL <= n; j += 2 * FL) {
                fourRows(a, i, rowStride, pStride, b, j, c, k, n);
            }
            for (int r = i; r < i + 4; r++) {
                rest(a, r * rowStride, pStride, b, c, r * n, j, k, n);
            }
        }
        for (; i < m; i++) {
            rest(a, i * rowStride, pStride, b, c, i * n, 0, k, n);
        }
    }

    /** Rows i .. i + 5, columns j .. j + 2 FL. */
    private static void sixRows(float[] a, int i, int rowStride, int pStride, float[] b, int j, float[] c,
                                int k, int n) {
        FloatVector c00 = FloatVector.zero(F);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        int a0 = i * rowStride;
        for (int p = 0; p < k; p++) {
            int bi = p * n + j;
            int ap = a0 + p * pStride;
            FloatVector b0 = FloatVector.fromArray(F, b, bi);
            FloatVector b1 = FloatVector.fromArray(F, b, bi + FL);
            FloatVector x = FloatVector.broadcast(F, a[ap]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(F, a[ap + rowStride]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(F, a[ap + 2 * rowStride]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(F, a[ap + 3 * rowStride]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(F, a[ap + 4 * rowStride]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(F, a[ap + 5 * rowStride]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        int row = i * n + j;
        c00.intoArray(c, row);
        c01.intoArray(c, row + FL);
        c10.intoArray(c, row + n);
        c11.intoArray(c, row + n + FL);
        c20.intoArray(c, row + 2 * n);
        c21.intoArray(c, row + 2 * n + FL);
        c30.intoArray(c, row + 3 * n);
        c31.intoArray(c, row + 3 * n + FL);
        c40.intoArray(c, row + 4 * n);
        c41.intoArray(c, row + 4 * n + FL);
        c50.intoArray(c, row + 5 * n);
        c51.intoArray(c, row + 5 * n + FL);
    }

    /** Rows i .. i + 3, columns j .. j + 2 FL. */
    private static void fourRows(float[] a, int i, int rowStride, int pStride, float[] b, int j, float[] c,
                                 int k, int n) {
        FloatVector c00 = FloatVector.zero(F);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        int a0 = i * rowStride;
        int a1 = a0 + rowStride;
        int a2 = a1 + rowStride;
        int a3 = a2 + rowStride;
        for (int p = 0; p < k; p++) {
            int bi = p * n + j;
            int ap = p * pStride;
            FloatVector b0 = FloatVector.fromArray(F, b, bi);
            FloatVector b1 = FloatVector.fromArray(F, b, bi + FL);
            FloatVector x = FloatVector.broadcast(F, a[a0 + ap]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(F, a[a1 + ap]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(F, a[a2 + ap]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(F, a[a3 + ap]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        int row = i * n + j;
        c00.intoArray(c, row);
        c01.intoArray(c, row + FL);
        c10.intoArray(c, row + n);
        c11.intoArray(c, row + n + FL);
        c20.intoArray(c, row + 2 * n);
        c21.intoArray(c, row + 2 * n + FL);
        c30.intoArray(c, row + 3 * n);
        c31.intoArray(c, row + 3 * n + FL);
    }

    /** One row's columns from {@code j}: a vector at a time, then an element at a time. */
    private static void rest(float[] a, int a0, int pStride, float[] b, float[] c, int row, int j, int k, int n) {
        for (; j + FL <= n; j += FL) {
            FloatVector acc = FloatVector.zero(F);
            for (int p = 0; p < k; p++) {
                acc = FloatVector.broadcast(F, a[a0 + p * pStride]).fma(FloatVector.fromArray(F, b, p * n + j), acc);
            }
            acc.intoArray(c, row + j);
        }
        for (; j < n; j++) {
            float acc = 0f;
            for (int p = 0; p < k; p++) {
                acc = Math.fma(a[a0 + p * pStride], b[p * n + j], acc);
            }
            c[row + j] = acc;
        }
    }

    /** {@code to} (k x width) = {@code from} (k x n) with zero columns added on the right. */
    static void pad(float[] from, int k, int n, float[] to, int width) {
        for (int p = 0; p < k; p++) {
            System.arraycopy(from, p * n, to, p * width, n);
            java.util.Arrays.fill(to, p * width + n, (p + 1) * width, 0f);
        }
    }

    /** {@code to} (cols x rows) = the transpose of {@code from} (rows x cols). */
    static void transpose(float[] from, int rows, int cols, float[] to) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                to[c * rows + r] = from[r * cols + c];
            }
        }
    }
}
