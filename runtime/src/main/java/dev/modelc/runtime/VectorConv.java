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

    /**
     * The direct convolution of one image, on a grid as wide as the image: {@code out[f * n + q]}
     * is the chain of fused multiply-adds, from zero and in order of d, of
     * {@code k[f * depth + d] * image[offsets[d] + q]} for q below n, a multiple of two vectors.
     * An output pixel (i, j) of a stride-1 convolution is q = i * width + j, where width is the
     * (padded) image's; the columns j past the output's and the q past its last pixel are
     * computed and dropped. Each kept element is the chain the product {@code K @ patches}
     * runs, so it has its bits.
     */
    static void correlate(float[] k, float[] image, int[] offsets, float[] out, int filters, int depth, int n) {
        for (int j = 0; j < n; j += 2 * FL) {
            int f = 0;
            for (; f + 6 <= filters; f += 6) {
                sixFilters(k, f * depth, depth, image, offsets, j, out, f * n + j, n);
            }
            for (; f + 4 <= filters; f += 4) {
                fourFilters(k, f * depth, depth, image, offsets, j, out, f * n + j, n);
            }
            for (; f < filters; f++) {
                oneFilter(k, f * depth, depth, image, offsets, j, out, f * n + j);
            }
        }
    }

    private static void sixFilters(float[] k, int k0, int depth, float[] image, int[] offsets, int j, float[] out,
                                   int o0, int n) {
        FloatVector c00 = FloatVector.zero(F);
        FloatVector c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F);
        FloatVector c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F);
        FloatVector c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F);
        FloatVector c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F);
        FloatVector c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F);
        FloatVector c51 = FloatVector.zero(F);
        for (int d = 0; d < depth; d++) {
            int at = offsets[d] + j;
            FloatVector b0 = FloatVector.fromArray(F, image, at);
            FloatVector b1 = FloatVector.fromArray(F, image, at + FL);
            int kd = k0 + d;
            FloatVector w = FloatVector.broadcast(F, k[kd]);
            c00 = w.fma(b0, c00);
            c01 = w.fma(b1, c01);
            w = FloatVector.broadcast(F, k[kd + depth]);
            c10 = w.fma(b0, c10);
            c11 = w.fma(b1, c11);
            w = FloatVector.broadcast(F, k[kd + 2 * depth]);
            c20 = w.fma(b0, c20);
            c21 = w.fma(b1, c21);
            w = FloatVector.broadcast(F, k[kd + 3 * depth]);
            c30 = w.fma(b0, c30);
            c31 = w.fma(b1, c31);
            w = FloatVector.broadcast(F, k[kd + 4 * depth]);
            c40 = w.fma(b0, c40);
            c41 = w.fma(b1, c41);
            w = FloatVector.broadcast(F, k[kd + 5 * depth]);
            c50 = w.fma(b0, c50);
            c51 = w.fma(b1, c51);
        }
        c00.intoArray(out, o0);
        c01.intoArray(out, o0 + FL);
        c10.intoArray(out, o0 + n);
        c11.intoArray(out, o0 + n + FL);
        c20.intoArray(out, o0 + 2 * n);
        c21.intoArray(out, o0 + 2 * n + FL);
        c30.intoArray(out, o0 + 3 * n);
        c31.intoArray(out, o0 + 3 * n + FL);
        c40.intoArray(out, o0 + 4 * n);
        c41.intoArray(out, o0 + 4 * n + FL);
        c50.intoArray(out, o0 + 5 * n);
        c51.intoArray(out, o0 + 5 * n + FL);
    }

    private static void fourFilters(float[] k, int k0, int depth, float[] image, int[] offsets, int j, float[] out,
                                    int o0, int n) {
        FloatVector c00 = FloatVector.zero(F);
        FloatVector c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F);
        FloatVector c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F);
        FloatVector c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F);
        FloatVector c31 = FloatVector.zero(F);
        for (int d = 0; d < depth; d++) {
            int at = offsets[d] + j;
            FloatVector b0 = FloatVector.fromArray(F, image, at);
            FloatVector b1 = FloatVector.fromArray(F, image, at + FL);
            int kd = k0 + d;
            FloatVector w = FloatVector.broadcast(F, k[kd]);
            c00 = w.fma(b0, c00);
            c01 = w.fma(b1, c01);
            w = FloatVector.broadcast(F, k[kd + depth]);
            c10 = w.fma(b0, c10);
            c11 = w.fma(b1, c11);
            w = FloatVector.broadcast(F, k[kd + 2 * depth]);
            c20 = w.fma(b0, c20);
            c21 = w.fma(b1, c21);
            w = FloatVector.broadcast(F, k[kd + 3 * depth]);
            c30 = w.fma(b0, c30);
            c31 = w.fma(b1, c31);
        }
        c00.intoArray(out, o0);
        c01.intoArray(out, o0 + FL);
        c10.intoArray(out, o0 + n);
        c11.intoArray(out, o0 + n + FL);
        c20.intoArray(out, o0 + 2 * n);
        c21.intoArray(out, o0 + 2 * n + FL);
        c30.intoArray(out, o0 + 3 * n);
        c31.intoArray(out, o0 + 3 * n + FL);
    }

    private static void oneFilter(float[] k, int k0, int depth, float[] image, int[] offsets, int j, float[] out,
                                  int o0) {
        FloatVector c0 = FloatVector.zero(F);
        FloatVector c1 = FloatVector.zero(F);
        for (int d = 0; d < depth; d++) {
            int at = offsets[d] + j;
            FloatVector w = FloatVector.broadcast(F, k[k0 + d]);
            c0 = w.fma(FloatVector.fromArray(F, image, at), c0);
            c1 = w.fma(FloatVector.fromArray(F, image, at + FL), c1);
        }
        c0.intoArray(out, o0);
        c1.intoArray(out, o0 + FL);
    }

    /**
     * {@code acc[d * width + f] += image[offsets[d] + positions[p]] * g[p * width + f]} over the
     * output pixels p of one image in order, {@code positions[p]} being pixel p's place in the
     * (padded) image: {@link #addProduct} with the patches read where they lie in the image, for
     * a stride-1 convolution. (One loop over the pixels: with a loop per output row inside a
     * loop over the rows, JDK 17's C2 kept the vectors boxed.)
     */
    static void addImageProduct(float[] image, int[] offsets, int[] positions, int pixels, float[] g, float[] acc,
                                int depth, int width) {
        for (int j = 0; j < width; j += FL) {
            int d = 0;
            for (; d + 6 <= depth; d += 6) {
                sixImageRows(image, offsets, d, positions, pixels, g, j, width, acc, d * width + j);
            }
            for (; d < depth; d++) {
                FloatVector c0 = FloatVector.fromArray(F, acc, d * width + j);
                int a0 = offsets[d];
                for (int p = 0; p < pixels; p++) {
                    c0 = FloatVector.broadcast(F, image[a0 + positions[p]])
                            .fma(FloatVector.fromArray(F, g, p * width + j), c0);
                }
                c0.intoArray(acc, d * width + j);
            }
        }
    }

    private static void sixImageRows(float[] a, int[] offsets, int d, int[] positions, int pixels, float[] b, int b0,
                                     int ldb, float[] c, int c0) {
        int ldc = ldb;
        FloatVector c0v = FloatVector.fromArray(F, c, c0);
        FloatVector c1v = FloatVector.fromArray(F, c, c0 + ldc);
        FloatVector c2v = FloatVector.fromArray(F, c, c0 + 2 * ldc);
        FloatVector c3v = FloatVector.fromArray(F, c, c0 + 3 * ldc);
        FloatVector c4v = FloatVector.fromArray(F, c, c0 + 4 * ldc);
        FloatVector c5v = FloatVector.fromArray(F, c, c0 + 5 * ldc);
        int o0 = offsets[d];
        int o1 = offsets[d + 1];
        int o2 = offsets[d + 2];
        int o3 = offsets[d + 3];
        int o4 = offsets[d + 4];
        int o5 = offsets[d + 5];
        for (int p = 0; p < pixels; p++) {
            FloatVector bv = FloatVector.fromArray(F, b, b0 + p * ldb);
            int ap = positions[p];
            c0v = FloatVector.broadcast(F, a[o0 + ap]).fma(bv, c0v);
            c1v = FloatVector.broadcast(F, a[o1 + ap]).fma(bv, c1v);
            c2v = FloatVector.broadcast(F, a[o2 + ap]).fma(bv, c2v);
            c3v = FloatVector.broadcast(F, a[o3 + ap]).fma(bv, c3v);
            c4v = FloatVector.broadcast(F, a[o4 + ap]).fma(bv, c4v);
            c5v = FloatVector.broadcast(F, a[o5 + ap]).fma(bv, c5v);
        }
        c0v.intoArray(c, c0);
        c1v.intoArray(c, c0 + ldc);
        c2v.intoArray(c, c0 + 2 * ldc);
        c3v.intoArray(c, c0 + 3 * ldc);
        c4v.intoArray(c, c0 + 4 * ldc);
        c5v.intoArray(c, c0 + 5 * ldc);
    }

    /** {@code to[at + q] += from[from0 + q]} for q below n, a multiple of one vector. */
    static void addTo(float[] from, int from0, float[] to, int at, int n) {
        for (int q = 0; q < n; q += FL) {
            FloatVector.fromArray(F, to, at + q).add(FloatVector.fromArray(F, from, from0 + q)).intoArray(to, at + q);
        }
    }

    /** Columns a wide grid of n pixels is rounded up to: whole pairs of vectors. */
    static int gridColumns(int n) {
        return (n + 2 * FL - 1) / (2 * FL) * (2 * FL);
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
