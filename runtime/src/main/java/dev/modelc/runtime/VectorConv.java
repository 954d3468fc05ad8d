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
     * The direct convolution of one image, on a grid as wide as the image:
     * {@code out[o + f * n + q]} is the chain of fused multiply-adds, from zero and in order of
     * d, of {@code k[f * kRow + d * kStep] * image[offsets[d] + q]}, for the q of the vectors
     * that start at {@code starts[0..count)} (taken in pairs: count is even). An output pixel
     * (i, j) of a stride-1 convolution is q = i * width + j, where width is the (padded)
     * image's; the lanes at columns j past the output's are computed and dropped. Each kept
     * element is the chain the product {@code K @ patches} runs, so it has its bits. With
     * {@code kRow = 1, kStep = depth} and {@code offsets[d] = d * n} over the filters, the same
     * kernels compute the input gradient's terms {@code Kᵀ @ dY} on the grid.
     */
    static void correlate(float[] k, int kRow, int kStep, float[] image, int[] offsets, int[] starts, int count,
                          float[] out, int o, int filters, int depth, int n) {
        for (int t = 0; t < count; t += 2) {
            int s0 = starts[t];
            int s1 = starts[t + 1];
            int f = 0;
            for (; f + 6 <= filters; f += 6) {
                sixFilters(k, f * kRow, kRow, kStep, depth, image, offsets, s0, s1, out, o + f * n, n);
            }
            for (; f + 4 <= filters; f += 4) {
                fourFilters(k, f * kRow, kRow, kStep, depth, image, offsets, s0, s1, out, o + f * n, n);
            }
            for (; f < filters; f++) {
                oneFilter(k, f * kRow, kStep, depth, image, offsets, s0, s1, out, o + f * n);
            }
        }
    }

    private static void sixFilters(float[] k, int k0, int kRow, int kStep, int depth, float[] image, int[] offsets,
                                   int s0, int s1, float[] out, int o0, int n) {
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
            int at = offsets[d];
            FloatVector b0 = FloatVector.fromArray(F, image, at + s0);
            FloatVector b1 = FloatVector.fromArray(F, image, at + s1);
            int kd = k0 + d * kStep;
            FloatVector w = FloatVector.broadcast(F, k[kd]);
            c00 = w.fma(b0, c00);
            c01 = w.fma(b1, c01);
            w = FloatVector.broadcast(F, k[kd + kRow]);
            c10 = w.fma(b0, c10);
            c11 = w.fma(b1, c11);
            w = FloatVector.broadcast(F, k[kd + 2 * kRow]);
            c20 = w.fma(b0, c20);
            c21 = w.fma(b1, c21);
            w = FloatVector.broadcast(F, k[kd + 3 * kRow]);
            c30 = w.fma(b0, c30);
            c31 = w.fma(b1, c31);
            w = FloatVector.broadcast(F, k[kd + 4 * kRow]);
            c40 = w.fma(b0, c40);
            c41 = w.fma(b1, c41);
            w = FloatVector.broadcast(F, k[kd + 5 * kRow]);
            c50 = w.fma(b0, c50);
            c51 = w.fma(b1, c51);
        }
        c00.intoArray(out, o0 + s0);
        c01.intoArray(out, o0 + s1);
        c10.intoArray(out, o0 + n + s0);
        c11.intoArray(out, o0 + n + s1);
        c20.intoArray(out, o0 + 2 * n + s0);
        c21.intoArray(out, o0 + 2 * n + s1);
        c30.intoArray(out, o0 + 3 * n + s0);
        c31.intoArray(out, o0 + 3 * n + s1);
        c40.intoArray(out, o0 + 4 * n + s0);
        c41.intoArray(out, o0 + 4 * n + s1);
        c50.intoArray(out, o0 + 5 * n + s0);
        c51.intoArray(out, o0 + 5 * n + s1);
    }

    private static void fourFilters(float[] k, int k0, int kRow, int kStep, int depth, float[] image, int[] offsets,
                                    int s0, int s1, float[] out, int o0, int n) {
        FloatVector c00 = FloatVector.zero(F);
        FloatVector c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F);
        FloatVector c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F);
        FloatVector c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F);
        FloatVector c31 = FloatVector.zero(F);
        for (int d = 0; d < depth; d++) {
            int at = offsets[d];
            FloatVector b0 = FloatVector.fromArray(F, image, at + s0);
            FloatVector b1 = FloatVector.fromArray(F, image, at + s1);
            int kd = k0 + d * kStep;
            FloatVector w = FloatVector.broadcast(F, k[kd]);
            c00 = w.fma(b0, c00);
            c01 = w.fma(b1, c01);
            w = FloatVector.broadcast(F, k[kd + kRow]);
            c10 = w.fma(b0, c10);
            c11 = w.fma(b1, c11);
            w = FloatVector.broadcast(F, k[kd + 2 * kRow]);
            c20 = w.fma(b0, c20);
            c21 = w.fma(b1, c21);
            w = FloatVector.broadcast(F, k[kd + 3 * kRow]);
            c30 = w.fma(b0, c30);
            c31 = w.fma(b1, c31);
        }
        c00.intoArray(out, o0 + s0);
        c01.intoArray(out, o0 + s1);
        c10.intoArray(out, o0 + n + s0);
        c11.intoArray(out, o0 + n + s1);
        c20.intoArray(out, o0 + 2 * n + s0);
        c21.intoArray(out, o0 + 2 * n + s1);
        c30.intoArray(out, o0 + 3 * n + s0);
        c31.intoArray(out, o0 + 3 * n + s1);
    }

    private static void oneFilter(float[] k, int k0, int kStep, int depth, float[] image, int[] offsets, int s0,
                                  int s1, float[] out, int o0) {
        FloatVector c0 = FloatVector.zero(F);
        FloatVector c1 = FloatVector.zero(F);
        for (int d = 0; d < depth; d++) {
            int at = offsets[d];
            FloatVector w = FloatVector.broadcast(F, k[k0 + d * kStep]);
            c0 = w.fma(FloatVector.fromArray(F, image, at + s0), c0);
            c1 = w.fma(FloatVector.fromArray(F, image, at + s1), c1);
        }
        c0.intoArray(out, o0 + s0);
        c1.intoArray(out, o0 + s1);
    }

    /**
     * {@code acc[d * width + f] += image[offsets[d] + positions[p]] * g[p * width + f]} over the
     * output pixels p of one image in order, {@code positions[p]} being pixel p's place in the
     * (padded) image: {@link #addProduct} with the patches read where they lie in the image, for
     * a stride-1 convolution. Tiles of six kernel elements by two vectors of filters, or of
     * twelve (then six) kernel elements by one vector, keep twelve chains of fused multiply-adds
     * in flight; each chain is still one element's, in order of the pixels. (One loop over the
     * pixels: with a loop per output row inside a loop over the rows, JDK 17's C2 kept the
     * vectors boxed.)
     */
    static void addImageProduct(float[] image, int[] offsets, int[] positions, int pixels, float[] g, float[] acc,
                                int depth, int width) {
        int j = 0;
        for (; j + 2 * FL <= width; j += 2 * FL) {
            int d = 0;
            for (; d + 6 <= depth; d += 6) {
                sixImageRowsTwoVectors(image, offsets, d, positions, pixels, g, j, width, acc, d * width + j);
            }
            for (; d < depth; d++) {
                oneImageRow(image, offsets[d], positions, pixels, g, j, width, acc, d * width + j);
                oneImageRow(image, offsets[d], positions, pixels, g, j + FL, width, acc, d * width + j + FL);
            }
        }
        for (; j < width; j += FL) {
            int d = 0;
            for (; d + 12 <= depth; d += 12) {
                twelveImageRows(image, offsets, d, positions, pixels, g, j, width, acc, d * width + j);
            }
            for (; d + 6 <= depth; d += 6) {
                sixImageRows(image, offsets, d, positions, pixels, g, j, width, acc, d * width + j);
            }
            for (; d < depth; d++) {
                oneImageRow(image, offsets[d], positions, pixels, g, j, width, acc, d * width + j);
            }
        }
    }

    private static void oneImageRow(float[] a, int o, int[] positions, int pixels, float[] b, int b0, int ldb,
                                    float[] c, int c0) {
        FloatVector cv = FloatVector.fromArray(F, c, c0);
        for (int p = 0; p < pixels; p++) {
            cv = FloatVector.broadcast(F, a[o + positions[p]]).fma(FloatVector.fromArray(F, b, b0 + p * ldb), cv);
        }
        cv.intoArray(c, c0);
    }

    private static void sixImageRowsTwoVectors(float[] a, int[] offsets, int d, int[] positions, int pixels,
                                               float[] b, int b0, int ldb, float[] c, int c0) {
        int ldc = ldb;
        FloatVector c00 = FloatVector.fromArray(F, c, c0);
        FloatVector c01 = FloatVector.fromArray(F, c, c0 + FL);
        FloatVector c10 = FloatVector.fromArray(F, c, c0 + ldc);
        FloatVector c11 = FloatVector.fromArray(F, c, c0 + ldc + FL);
        FloatVector c20 = FloatVector.fromArray(F, c, c0 + 2 * ldc);
        FloatVector c21 = FloatVector.fromArray(F, c, c0 + 2 * ldc + FL);
        FloatVector c30 = FloatVector.fromArray(F, c, c0 + 3 * ldc);
        FloatVector c31 = FloatVector.fromArray(F, c, c0 + 3 * ldc + FL);
        FloatVector c40 = FloatVector.fromArray(F, c, c0 + 4 * ldc);
        FloatVector c41 = FloatVector.fromArray(F, c, c0 + 4 * ldc + FL);
        FloatVector c50 = FloatVector.fromArray(F, c, c0 + 5 * ldc);
        FloatVector c51 = FloatVector.fromArray(F, c, c0 + 5 * ldc + FL);
        int o0 = offsets[d];
        int o1 = offsets[d + 1];
        int o2 = offsets[d + 2];
        int o3 = offsets[d + 3];
        int o4 = offsets[d + 4];
        int o5 = offsets[d + 5];
        for (int p = 0; p < pixels; p++) {
            int bp = b0 + p * ldb;
            FloatVector bv0 = FloatVector.fromArray(F, b, bp);
            FloatVector bv1 = FloatVector.fromArray(F, b, bp + FL);
            int ap = positions[p];
            FloatVector w = FloatVector.broadcast(F, a[o0 + ap]);
            c00 = w.fma(bv0, c00);
            c01 = w.fma(bv1, c01);
            w = FloatVector.broadcast(F, a[o1 + ap]);
            c10 = w.fma(bv0, c10);
            c11 = w.fma(bv1, c11);
            w = FloatVector.broadcast(F, a[o2 + ap]);
            c20 = w.fma(bv0, c20);
            c21 = w.fma(bv1, c21);
            w = FloatVector.broadcast(F, a[o3 + ap]);
            c30 = w.fma(bv0, c30);
            c31 = w.fma(bv1, c31);
            w = FloatVector.broadcast(F, a[o4 + ap]);
            c40 = w.fma(bv0, c40);
            c41 = w.fma(bv1, c41);
            w = FloatVector.broadcast(F, a[o5 + ap]);
            c50 = w.fma(bv0, c50);
            c51 = w.fma(bv1, c51);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + FL);
        c10.intoArray(c, c0 + ldc);
        c11.intoArray(c, c0 + ldc + FL);
        c20.intoArray(c, c0 + 2 * ldc);
        c21.intoArray(c, c0 + 2 * ldc + FL);
        c30.intoArray(c, c0 + 3 * ldc);
        c31.intoArray(c, c0 + 3 * ldc + FL);
        c40.intoArray(c, c0 + 4 * ldc);
        c41.intoArray(c, c0 + 4 * ldc + FL);
        c50.intoArray(c, c0 + 5 * ldc);
        c51.intoArray(c, c0 + 5 * ldc + FL);
    }

    private static void twelveImageRows(float[] a, int[] offsets, int d, int[] positions, int pixels, float[] b,
                                        int b0, int ldb, float[] c, int c0) {
        int ldc = ldb;
        FloatVector c0v = FloatVector.fromArray(F, c, c0);
        FloatVector c1v = FloatVector.fromArray(F, c, c0 + ldc);
        FloatVector c2v = FloatVector.fromArray(F, c, c0 + 2 * ldc);
        FloatVector c3v = FloatVector.fromArray(F, c, c0 + 3 * ldc);
        FloatVector c4v = FloatVector.fromArray(F, c, c0 + 4 * ldc);
        FloatVector c5v = FloatVector.fromArray(F, c, c0 + 5 * ldc);
        FloatVector c6v = FloatVector.fromArray(F, c, c0 + 6 * ldc);
        FloatVector c7v = FloatVector.fromArray(F, c, c0 + 7 * ldc);
        FloatVector c8v = FloatVector.fromArray(F, c, c0 + 8 * ldc);
        FloatVector c9v = FloatVector.fromArray(F, c, c0 + 9 * ldc);
        FloatVector cav = FloatVector.fromArray(F, c, c0 + 10 * ldc);
        FloatVector cbv = FloatVector.fromArray(F, c, c0 + 11 * ldc);
        int o0 = offsets[d];
        int o1 = offsets[d + 1];
        int o2 = offsets[d + 2];
        int o3 = offsets[d + 3];
        int o4 = offsets[d + 4];
        int o5 = offsets[d + 5];
        int o6 = offsets[d + 6];
        int o7 = offsets[d + 7];
        int o8 = offsets[d + 8];
        int o9 = offsets[d + 9];
        int oa = offsets[d + 10];
        int ob = offsets[d + 11];
        for (int p = 0; p < pixels; p++) {
            FloatVector bv = FloatVector.fromArray(F, b, b0 + p * ldb);
            int ap = positions[p];
            c0v = FloatVector.broadcast(F, a[o0 + ap]).fma(bv, c0v);
            c1v = FloatVector.broadcast(F, a[o1 + ap]).fma(bv, c1v);
            c2v = FloatVector.broadcast(F, a[o2 + ap]).fma(bv, c2v);
            c3v = FloatVector.broadcast(F, a[o3 + ap]).fma(bv, c3v);
            c4v = FloatVector.broadcast(F, a[o4 + ap]).fma(bv, c4v);
            c5v = FloatVector.broadcast(F, a[o5 + ap]).fma(bv, c5v);
            c6v = FloatVector.broadcast(F, a[o6 + ap]).fma(bv, c6v);
            c7v = FloatVector.broadcast(F, a[o7 + ap]).fma(bv, c7v);
            c8v = FloatVector.broadcast(F, a[o8 + ap]).fma(bv, c8v);
            c9v = FloatVector.broadcast(F, a[o9 + ap]).fma(bv, c9v);
            cav = FloatVector.broadcast(F, a[oa + ap]).fma(bv, cav);
            cbv = FloatVector.broadcast(F, a[ob + ap]).fma(bv, cbv);
        }
        c0v.intoArray(c, c0);
        c1v.intoArray(c, c0 + ldc);
        c2v.intoArray(c, c0 + 2 * ldc);
        c3v.intoArray(c, c0 + 3 * ldc);
        c4v.intoArray(c, c0 + 4 * ldc);
        c5v.intoArray(c, c0 + 5 * ldc);
        c6v.intoArray(c, c0 + 6 * ldc);
        c7v.intoArray(c, c0 + 7 * ldc);
        c8v.intoArray(c, c0 + 8 * ldc);
        c9v.intoArray(c, c0 + 9 * ldc);
        cav.intoArray(c, c0 + 10 * ldc);
        cbv.intoArray(c, c0 + 11 * ldc);
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

    /**
     * {@code to[at + q] += from[from0 + q]} for the q of the vectors starting at
     * {@code starts[0..count)}, which do not overlap.
     */
    static void addTo(float[] from, int from0, float[] to, int at, int[] starts, int count) {
        for (int t = 0; t < count; t++) {
            int q = starts[t];
            FloatVector.fromArray(F, to, at + q).add(FloatVector.fromArray(F, from, from0 + q)).intoArray(to, at + q);
        }
    }

    /** Lanes of a vector. */
    static int lanes() {
        return FL;
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
