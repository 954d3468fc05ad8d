package dev.modelc.runtime;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernel gradient's product for {@link Conv2d}, one row of the batch at a time, added to
 * the rows before it: each element's sum continues its chain of fused multiply-adds from one
 * row of the batch to the next, so the whole sum is the one chain over every pixel of every row
 * that a single product over all the patches computes.
 */
final class VectorConv {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int FL = F.length();

    private VectorConv() {
    }

    /** Columns the kernel gradient's accumulators are padded to: whole vectors. */
    static int width(int filters) {
        return (filters + FL - 1) / FL * FL;
    }

    /**
     * {@code acc[depth x width] += cols[depth x pixels] @ g[pixels x width]}, each element's
     * sum continued in order of the pixels.
     */
    static void addProduct(float[] cols, float[] g, float[] acc, int depth, int pixels, int width) {
        for (int j = 0; j < width; j += FL) {
            int d = 0;
            for (; d + 6 <= depth; d += 6) {
                sixRows(cols, d * pixels, pixels, g, j, width, acc, d * width + j, width);
            }
            for (; d < depth; d++) {
                FloatVector c0 = FloatVector.fromArray(F, acc, d * width + j);
                int a0 = d * pixels;
                for (int p = 0; p < pixels; p++) {
                    c0 = FloatVector.broadcast(F, cols[a0 + p]).fma(FloatVector.fromArray(F, g, p * width + j), c0);
                }
                c0.intoArray(acc, d * width + j);
            }
        }
    }

    private static void sixRows(float[] a, int a0, int lda, float[] b, int b0, int ldb, float[] c, int c0,
                                int ldc) {
        FloatVector c0v = FloatVector.fromArray(F, c, c0);
        FloatVector c1v = FloatVector.fromArray(F, c, c0 + ldc);
        FloatVector c2v = FloatVector.fromArray(F, c, c0 + 2 * ldc);
        FloatVector c3v = FloatVector.fromArray(F, c, c0 + 3 * ldc);
        FloatVector c4v = FloatVector.fromArray(F, c, c0 + 4 * ldc);
        FloatVector c5v = FloatVector.fromArray(F, c, c0 + 5 * ldc);
        for (int p = 0; p < lda; p++) {
            FloatVector bv = FloatVector.fromArray(F, b, b0 + p * ldb);
            int ap = a0 + p;
            c0v = FloatVector.broadcast(F, a[ap]).fma(bv, c0v);
            c1v = FloatVector.broadcast(F, a[ap + lda]).fma(bv, c1v);
            c2v = FloatVector.broadcast(F, a[ap + 2 * lda]).fma(bv, c2v);
            c3v = FloatVector.broadcast(F, a[ap + 3 * lda]).fma(bv, c3v);
            c4v = FloatVector.broadcast(F, a[ap + 4 * lda]).fma(bv, c4v);
            c5v = FloatVector.broadcast(F, a[ap + 5 * lda]).fma(bv, c5v);
        }
        c0v.intoArray(c, c0);
        c1v.intoArray(c, c0 + ldc);
        c2v.intoArray(c, c0 + 2 * ldc);
        c3v.intoArray(c, c0 + 3 * ldc);
        c4v.intoArray(c, c0 + 4 * ldc);
        c5v.intoArray(c, c0 + 5 * ldc);
    }
}
