package dev.modelc.runtime;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One row of C = a row of A times B (k x n, rows contiguous), as a single row predicted is. (Rows
 * the tiles of {@link VectorDirect} leave over keep their one-vector loop: they run a few times an
 * epoch, too rarely for the JIT to compile this kernel soon, and until it does its vectors are
 * allocated.) B is read once, in strips of up to eight vectors
 * of columns whose sums stay in registers down the whole reduction, so that the fused
 * multiply-adds of different columns overlap instead of waiting on one another. Columns past
 * the last whole vector read a vector from where they start (lanes past the row computed and
 * dropped) while it lies inside B, then finish one at a time. Each element is the in-order
 * chain of fused multiply-adds of the tiles, so a row computed alone has the bits it has in a
 * batch. Also the vector loop of {@link Kernels#addToRows}, a bias added to every row.
 */
final class VectorRow {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int FL = F.length();
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int DL = D.length();

    private VectorRow() {
    }

    /**
     * {@code c[c0 + j'] = sum over p < k of a[a0 + p * pStride] * b[p * n + j']} for the columns
     * {@code j' >= j} of the row.
     */
    static void times(float[] a, int a0, int pStride, float[] b, float[] c, int c0, int j, int k, int n) {
        for (; j + 8 * FL <= n; j += 8 * FL) {
            eight(a, a0, pStride, b, j, k, n, c, c0 + j);
        }
        for (; j + 4 * FL <= n; j += 4 * FL) {
            four(a, a0, pStride, b, j, k, n, c, c0 + j);
        }
        for (; j + FL <= n; j += FL) {
            FloatVector s = zeroed(c, c0 + j, 1);
            for (int p = 0; p < k; p++) {
                s = FloatVector.broadcast(F, a[a0 + p * pStride]).fma(FloatVector.fromArray(F, b, p * n + j), s);
            }
            s.intoArray(c, c0 + j);
        }
        if (j < n) {
            tail(a, a0, pStride, b, c, c0, j, k, n, MatmulWorkspace.current().tile32());
        }
    }

    /** {@code c[i * n + j] += b[j]} for every row i and column j: see {@link Kernels#addToRows}. */
    static void addToRows(float[] c, float[] b, int rows, int n) {
        int whole = n - n % FL;
        for (int i = 0; i < rows; i++) {
            int ci = i * n;
            for (int j = 0; j < whole; j += FL) {
                FloatVector.fromArray(F, c, ci + j).add(FloatVector.fromArray(F, b, j)).intoArray(c, ci + j);
            }
            for (int j = whole; j < n; j++) {
                c[ci + j] += b[j];
            }
        }
    }

    /** {@link #addToRows(float[], float[], int, int)} in double. */
    static void addToRows(double[] c, double[] b, int rows, int n) {
        int whole = n - n % DL;
        for (int i = 0; i < rows; i++) {
            int ci = i * n;
            for (int j = 0; j < whole; j += DL) {
                DoubleVector.fromArray(D, c, ci + j).add(DoubleVector.fromArray(D, b, j)).intoArray(c, ci + j);
            }
            for (int j = whole; j < n; j++) {
                c[ci + j] += b[j];
            }
        }
    }

    /** Eight vectors of columns from {@code j}. */
    private static void eight(float[] a, int a0, int pStride, float[] b, int j, int k, int n, float[] c, int c0) {
        FloatVector s0 = zeroed(c, c0, 8);
        FloatVector s1 = FloatVector.fromArray(F, c, c0 + FL);
        FloatVector s2 = FloatVector.fromArray(F, c, c0 + 2 * FL);
        FloatVector s3 = FloatVector.fromArray(F, c, c0 + 3 * FL);
        FloatVector s4 = FloatVector.fromArray(F, c, c0 + 4 * FL);
        FloatVector s5 = FloatVector.fromArray(F, c, c0 + 5 * FL);
        FloatVector s6 = FloatVector.fromArray(F, c, c0 + 6 * FL);
        FloatVector s7 = FloatVector.fromArray(F, c, c0 + 7 * FL);
        for (int p = 0; p < k; p++) {
            int bp = p * n + j;
            FloatVector x = FloatVector.broadcast(F, a[a0 + p * pStride]);
            s0 = x.fma(FloatVector.fromArray(F, b, bp), s0);
            s1 = x.fma(FloatVector.fromArray(F, b, bp + FL), s1);
            s2 = x.fma(FloatVector.fromArray(F, b, bp + 2 * FL), s2);
            s3 = x.fma(FloatVector.fromArray(F, b, bp + 3 * FL), s3);
            s4 = x.fma(FloatVector.fromArray(F, b, bp + 4 * FL), s4);
            s5 = x.fma(FloatVector.fromArray(F, b, bp + 5 * FL), s5);
            s6 = x.fma(FloatVector.fromArray(F, b, bp + 6 * FL), s6);
            s7 = x.fma(FloatVector.fromArray(F, b, bp + 7 * FL), s7);
        }
        s0.intoArray(c, c0);
        s1.intoArray(c, c0 + FL);
        s2.intoArray(c, c0 + 2 * FL);
        s3.intoArray(c, c0 + 3 * FL);
        s4.intoArray(c, c0 + 4 * FL);
        s5.intoArray(c, c0 + 5 * FL);
        s6.intoArray(c, c0 + 6 * FL);
        s7.intoArray(c, c0 + 7 * FL);
    }

    /** Four vectors of columns from {@code j}. */
    private static void four(float[] a, int a0, int pStride, float[] b, int j, int k, int n, float[] c, int c0) {
        FloatVector s0 = zeroed(c, c0, 4);
        FloatVector s1 = FloatVector.fromArray(F, c, c0 + FL);
        FloatVector s2 = FloatVector.fromArray(F, c, c0 + 2 * FL);
        FloatVector s3 = FloatVector.fromArray(F, c, c0 + 3 * FL);
        for (int p = 0; p < k; p++) {
            int bp = p * n + j;
            FloatVector x = FloatVector.broadcast(F, a[a0 + p * pStride]);
            s0 = x.fma(FloatVector.fromArray(F, b, bp), s0);
            s1 = x.fma(FloatVector.fromArray(F, b, bp + FL), s1);
            s2 = x.fma(FloatVector.fromArray(F, b, bp + 2 * FL), s2);
            s3 = x.fma(FloatVector.fromArray(F, b, bp + 3 * FL), s3);
        }
        s0.intoArray(c, c0);
        s1.intoArray(c, c0 + FL);
        s2.intoArray(c, c0 + 2 * FL);
        s3.intoArray(c, c0 + 3 * FL);
    }

    /**
     * Zeros {@code vectors} vectors of C from {@code c0} and returns the first, loaded back: the
     * sums start from C's memory rather than from one zero vector shared by every accumulator,
     * which JDK 25's JIT runs at a third of the speed (see {@link VectorDirect}'s tiles).
     */
    private static FloatVector zeroed(float[] c, int c0, int vectors) {
        FloatVector zero = FloatVector.zero(F);
        for (int v = 0; v < vectors; v++) {
            zero.intoArray(c, c0 + v * FL);
        }
        return FloatVector.fromArray(F, c, c0);
    }

    /** The columns from {@code j} to n, fewer than a vector, through {@code scratch} (a vector at least). */
    private static void tail(float[] a, int a0, int pStride, float[] b, float[] c, int c0, int j, int k, int n,
                             float[] scratch) {
        int inside = VectorDirect.rowsInside(b.length, j, FL, n, k);
        FloatVector s = FloatVector.zero(F);
        for (int p = 0; p < inside; p++) {
            s = FloatVector.broadcast(F, a[a0 + p * pStride]).fma(FloatVector.fromArray(F, b, p * n + j), s);
        }
        s.intoArray(scratch, 0);
        for (int col = 0; col < n - j; col++) {
            float sum = scratch[col];
            for (int p = inside; p < k; p++) {
                sum = Math.fma(a[a0 + p * pStride], b[p * n + j + col], sum);
            }
            c[c0 + j + col] = sum;
        }
    }
}
