package dev.modelc.runtime;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float products small enough that packing would cost more than it saves, with B's rows
 * contiguous (A@B or Aᵀ@B): tiles of 6 or 4 rows by two vectors read A and B where they lie.
 * Also the thin Aᵀ@b of {@link DirectMatmul}, in float and double.
 * Columns left over are done a vector, then an element, at a time; rows left over one at a
 * time. Each element is the same in-order chain of fused multiply-adds as in the packed
 * kernels, so the choice of kernel never changes a result.
 */
final class VectorDirect {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int FL = F.length();
    private static final int DL = D.length();
    /** The tile's width; products whose C is a whole number of tiles wide use this kernel. */
    static final int COLUMNS = 2 * FL;
    /**
     * Whether Aᵀ@B takes {@link #sixRowsDown}'s tiles (and {@link #eightRowsOneVectorDown}'s
     * for narrow products), whose elements of A a step lie at fixed offsets from one index: JDK 17's JIT runs them about 1.3x faster than the tiles
     * with A's offsets in variables, JDK 25's about 1.35x slower, so JDKs after 17 take the
     * latter ({@link #sixRows}). Tests set it both ways; the bits are the same.
     */
    static boolean fixedOffsetsDown = Runtime.version().feature() <= 17;

    private VectorDirect() {
    }

    /**
     * {@code c = op(a) @ b}, A m x k (k x m when {@code ta}), B k x n, C m x n. Column tiles
     * outermost, so that a tile's columns of B stay in L1 while every row of A meets them.
     */
    static void multiply(float[] a, boolean ta, float[] b, float[] c, int m, int k, int n) {
        int rowStride = ta ? 1 : k;
        int pStride = ta ? m : 1;
        int sixes = sixes(m);
        int tiled = 6 * sixes + (m - 6 * sixes) / 4 * 4;
        int j = 0;
        for (; j + 2 * FL <= n; j += 2 * FL) {
            for (int i = 0; i < tiled; ) {
                int rows = i < 6 * sixes ? 6 : 4;
                fromZero(rows, a, ta, i, m, k, b, j, n, k, c, i * n + j, n);
                i += rows;
            }
        }
        for (int r = 0; r < m; r++) {
            rest(a, r * rowStride, pStride, b, c, r * n, r < tiled ? j : 0, k, n);
        }
    }

    /**
     * {@code c = op(a) @ b} for B narrower than a tile (n < {@link #COLUMNS}), such as a
     * classifier's logits or their weight gradient: each tile reads a whole tile's width of B
     * from the start of B's row, the lanes past the row computed and dropped, and the rows of B
     * where that width would reach past the array from a zero-padded copy. Tiles are computed
     * in {@code work}'s edge tile and their n columns copied out.
     */
    static void multiplyNarrow(float[] a, boolean ta, float[] b, float[] c, int m, int k, int n,
                               MatmulWorkspace work) {
        int rowStride = ta ? 1 : k;
        int pStride = ta ? m : 1;
        int width = n <= FL && m >= 8 ? FL : 2 * FL;
        int inside = rowsInside(b.length, 0, width, n, k);
        float[] padded = work.padded32((k - inside) * width);
        for (int p = inside; p < k; p++) {
            int from = p * n;
            int to = (p - inside) * width;
            for (int j = 0; j < width; j++) {
                padded[to + j] = j < n ? b[from + j] : 0f;
            }
        }
        float[] tile = work.tile32();
        if (width == FL) {
            // One vector of columns is enough: tiles of eight rows keep eight chains going. The
            // rows left over take the one-row loop: a kernel for them would run too seldom
            // (a last, short batch) for the JIT to compile it before it has allocated.
            int tiled = m / 8 * 8;
            for (int i = 0; i < tiled; i += 8) {
                int a0 = i * rowStride;
                if (ta && fixedOffsetsDown && inside > 0) {
                    eightRowsOneVectorDown(a, a0, m, b, n, inside, tile);
                } else {
                    eightRowsOneVector(a, a0, rowStride, pStride, b, n, inside, tile, false);
                }
                eightRowsOneVector(a, a0 + inside * pStride, rowStride, pStride, padded, width, k - inside, tile, true);
                for (int r = 0; r < 8; r++) {
                    System.arraycopy(tile, r * width, c, (i + r) * n, n);
                }
            }
            for (int r = tiled; r < m; r++) {
                rest(a, r * rowStride, pStride, b, c, r * n, 0, k, n);
            }
            return;
        }
        if (m >= 6) {
            // Six-row tiles only, the last one ending at the last row and overlapping the one
            // before (its rows computed again, the same chains, so the same values): a four-row
            // tile would run once or twice a call, too seldom for the JIT to compile it soon.
            // W7's logits (64 rows) left it to C1's code, which boxes every vector, for the
            // first 20 s of a JMH fork under load (78 KB allocated a step).
            for (int i = 0; i < m; i += 6) {
                int top = Math.min(i, m - 6);
                int a0 = top * rowStride;
                fromZero(6, a, ta, top, m, k, b, 0, n, inside, tile, 0, width);
                sixRows(a, a0 + inside * pStride, rowStride, pStride, padded, 0, width, k - inside, tile, 0, width,
                        true);
                for (int r = 0; r < 6; r++) {
                    System.arraycopy(tile, r * width, c, (top + r) * n, n);
                }
            }
            return;
        }
        int sixes = sixes(m);
        int tiled = 6 * sixes + (m - 6 * sixes) / 4 * 4;
        for (int i = 0; i < tiled; ) {
            int rows = i < 6 * sixes ? 6 : 4;
            int a0 = i * rowStride;
            int aTail = a0 + inside * pStride;
            fromZero(rows, a, ta, i, m, k, b, 0, n, inside, tile, 0, width);
            if (rows == 6) {
                sixRows(a, aTail, rowStride, pStride, padded, 0, width, k - inside, tile, 0, width, true);
            } else {
                fourRows(a, aTail, rowStride, pStride, padded, 0, width, k - inside, tile, 0, width, true);
            }
            for (int r = 0; r < rows; r++) {
                System.arraycopy(tile, r * width, c, (i + r) * n, n);
            }
            i += rows;
        }
        for (int r = tiled; r < m; r++) {
            rest(a, r * rowStride, pStride, b, c, r * n, 0, k, n);
        }
    }

    /**
     * {@code rows} (6 or 4) rows of C from row i, two vectors of columns at {@code c0}, from
     * zero over the first {@code steps} of the reduction, by the tiles for A's layout: A@B's
     * read A's rows along the reduction ({@link #sixRowsAlong}), Aᵀ@B's down its storage
     * ({@link #sixRowsDown} or {@link #sixRows}). A is m x k, or k x m when {@code ta}.
     */
    private static void fromZero(int rows, float[] a, boolean ta, int i, int m, int k, float[] b, int b0, int ldb,
                                 int steps, float[] c, int c0, int ldc) {
        if (steps == 0) {
            zero(c, c0, ldc, rows);
        } else if (!ta) {
            if (rows == 6) {
                sixRowsAlong(a, i * k, k, b, b0, ldb, steps, c, c0, ldc);
            } else {
                fourRowsAlong(a, i * k, k, b, b0, ldb, steps, c, c0, ldc);
            }
        } else if (fixedOffsetsDown) {
            if (rows == 6) {
                sixRowsDown(a, i, m, b, b0, ldb, steps, c, c0, ldc);
            } else {
                fourRowsDown(a, i, m, b, b0, ldb, steps, c, c0, ldc);
            }
        } else if (rows == 6) {
            sixRows(a, i, 1, m, b, b0, ldb, steps, c, c0, ldc, false);
        } else {
            fourRows(a, i, 1, m, b, b0, ldb, steps, c, c0, ldc, false);
        }
    }

    /**
     * Six-row tiles to take before four-row ones, so that few rows are left for the slow
     * one-row loop: 32 rows = 4 x 6 + 2 x 4.
     */
    private static int sixes(int m) {
        int sixes = m / 6;
        return sixes > 0 && (m % 6 == 2 || m % 6 == 3) ? sixes - 1 : sixes;
    }

    /**
     * Six rows by two vectors of columns (twelve accumulators keep both FMA units busy):
     * {@code c[c0 + r * ldc + j] (+)= sum over p < k of a[a0 + r * rowStride + p * pStride] * b[b0 + p * ldb + j]}.
     * Started from C's values when {@code accumulate}; else each chain's first step,
     * {@code fma(a, b, +0)}, is taken before the loop: the chain from zero (a first product of
     * -0 ends at +0, as it does from zero), without storing zeros into C and loading them back,
     * which cost the short reductions of a small batch (32 or 64 steps) about a sixth of their
     * time. (JDK 25's JIT runs the loop at a third of its speed when every accumulator enters
     * it as one zero vector.)
     */
    private static void sixRows(float[] a, int a0, int rowStride, int pStride, float[] b, int b0, int ldb, int k,
                                float[] c, int c0, int ldc, boolean accumulate) {
        FloatVector c00;
        FloatVector c01;
        FloatVector c10;
        FloatVector c11;
        FloatVector c20;
        FloatVector c21;
        FloatVector c30;
        FloatVector c31;
        FloatVector c40;
        FloatVector c41;
        FloatVector c50;
        FloatVector c51;
        int p0;
        if (accumulate || k == 0) {
            if (!accumulate) {
                zero(c, c0, ldc, 6);
            }
            c00 = FloatVector.fromArray(F, c, c0);
            c01 = FloatVector.fromArray(F, c, c0 + FL);
            c10 = FloatVector.fromArray(F, c, c0 + ldc);
            c11 = FloatVector.fromArray(F, c, c0 + ldc + FL);
            c20 = FloatVector.fromArray(F, c, c0 + 2 * ldc);
            c21 = FloatVector.fromArray(F, c, c0 + 2 * ldc + FL);
            c30 = FloatVector.fromArray(F, c, c0 + 3 * ldc);
            c31 = FloatVector.fromArray(F, c, c0 + 3 * ldc + FL);
            c40 = FloatVector.fromArray(F, c, c0 + 4 * ldc);
            c41 = FloatVector.fromArray(F, c, c0 + 4 * ldc + FL);
            c50 = FloatVector.fromArray(F, c, c0 + 5 * ldc);
            c51 = FloatVector.fromArray(F, c, c0 + 5 * ldc + FL);
            p0 = 0;
        } else {
            FloatVector zero = FloatVector.zero(F);
            FloatVector b0v = FloatVector.fromArray(F, b, b0);
            FloatVector b1v = FloatVector.fromArray(F, b, b0 + FL);
            FloatVector x = FloatVector.broadcast(F, a[a0]);
            c00 = x.fma(b0v, zero);
            c01 = x.fma(b1v, zero);
            x = FloatVector.broadcast(F, a[a0 + rowStride]);
            c10 = x.fma(b0v, zero);
            c11 = x.fma(b1v, zero);
            x = FloatVector.broadcast(F, a[a0 + 2 * rowStride]);
            c20 = x.fma(b0v, zero);
            c21 = x.fma(b1v, zero);
            x = FloatVector.broadcast(F, a[a0 + 3 * rowStride]);
            c30 = x.fma(b0v, zero);
            c31 = x.fma(b1v, zero);
            x = FloatVector.broadcast(F, a[a0 + 4 * rowStride]);
            c40 = x.fma(b0v, zero);
            c41 = x.fma(b1v, zero);
            x = FloatVector.broadcast(F, a[a0 + 5 * rowStride]);
            c50 = x.fma(b0v, zero);
            c51 = x.fma(b1v, zero);
            p0 = 1;
        }
        for (int p = p0; p < k; p++) {
            int bi = b0 + p * ldb;
            int ap = a0 + p * pStride;
            FloatVector b0v = FloatVector.fromArray(F, b, bi);
            FloatVector b1v = FloatVector.fromArray(F, b, bi + FL);
            FloatVector x = FloatVector.broadcast(F, a[ap]);
            c00 = x.fma(b0v, c00);
            c01 = x.fma(b1v, c01);
            x = FloatVector.broadcast(F, a[ap + rowStride]);
            c10 = x.fma(b0v, c10);
            c11 = x.fma(b1v, c11);
            x = FloatVector.broadcast(F, a[ap + 2 * rowStride]);
            c20 = x.fma(b0v, c20);
            c21 = x.fma(b1v, c21);
            x = FloatVector.broadcast(F, a[ap + 3 * rowStride]);
            c30 = x.fma(b0v, c30);
            c31 = x.fma(b1v, c31);
            x = FloatVector.broadcast(F, a[ap + 4 * rowStride]);
            c40 = x.fma(b0v, c40);
            c41 = x.fma(b1v, c41);
            x = FloatVector.broadcast(F, a[ap + 5 * rowStride]);
            c50 = x.fma(b0v, c50);
            c51 = x.fma(b1v, c51);
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

    /** {@link #sixRows} for four rows. */
    private static void fourRows(float[] a, int a0, int rowStride, int pStride, float[] b, int b0, int ldb, int k,
                                 float[] c, int c0, int ldc, boolean accumulate) {
        FloatVector c00;
        FloatVector c01;
        FloatVector c10;
        FloatVector c11;
        FloatVector c20;
        FloatVector c21;
        FloatVector c30;
        FloatVector c31;
        int p0;
        if (accumulate || k == 0) {
            if (!accumulate) {
                zero(c, c0, ldc, 4);
            }
            c00 = FloatVector.fromArray(F, c, c0);
            c01 = FloatVector.fromArray(F, c, c0 + FL);
            c10 = FloatVector.fromArray(F, c, c0 + ldc);
            c11 = FloatVector.fromArray(F, c, c0 + ldc + FL);
            c20 = FloatVector.fromArray(F, c, c0 + 2 * ldc);
            c21 = FloatVector.fromArray(F, c, c0 + 2 * ldc + FL);
            c30 = FloatVector.fromArray(F, c, c0 + 3 * ldc);
            c31 = FloatVector.fromArray(F, c, c0 + 3 * ldc + FL);
            p0 = 0;
        } else {
            FloatVector zero = FloatVector.zero(F);
            FloatVector b0v = FloatVector.fromArray(F, b, b0);
            FloatVector b1v = FloatVector.fromArray(F, b, b0 + FL);
            FloatVector x = FloatVector.broadcast(F, a[a0]);
            c00 = x.fma(b0v, zero);
            c01 = x.fma(b1v, zero);
            x = FloatVector.broadcast(F, a[a0 + rowStride]);
            c10 = x.fma(b0v, zero);
            c11 = x.fma(b1v, zero);
            x = FloatVector.broadcast(F, a[a0 + 2 * rowStride]);
            c20 = x.fma(b0v, zero);
            c21 = x.fma(b1v, zero);
            x = FloatVector.broadcast(F, a[a0 + 3 * rowStride]);
            c30 = x.fma(b0v, zero);
            c31 = x.fma(b1v, zero);
            p0 = 1;
        }
        for (int p = p0; p < k; p++) {
            int bi = b0 + p * ldb;
            int ap = a0 + p * pStride;
            FloatVector b0v = FloatVector.fromArray(F, b, bi);
            FloatVector b1v = FloatVector.fromArray(F, b, bi + FL);
            FloatVector x = FloatVector.broadcast(F, a[ap]);
            c00 = x.fma(b0v, c00);
            c01 = x.fma(b1v, c01);
            x = FloatVector.broadcast(F, a[ap + rowStride]);
            c10 = x.fma(b0v, c10);
            c11 = x.fma(b1v, c11);
            x = FloatVector.broadcast(F, a[ap + 2 * rowStride]);
            c20 = x.fma(b0v, c20);
            c21 = x.fma(b1v, c21);
            x = FloatVector.broadcast(F, a[ap + 3 * rowStride]);
            c30 = x.fma(b0v, c30);
            c31 = x.fma(b1v, c31);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + FL);
        c10.intoArray(c, c0 + ldc);
        c11.intoArray(c, c0 + ldc + FL);
        c20.intoArray(c, c0 + 2 * ldc);
        c21.intoArray(c, c0 + 2 * ldc + FL);
        c30.intoArray(c, c0 + 3 * ldc);
        c31.intoArray(c, c0 + 3 * ldc + FL);
    }

    /**
     * {@link #sixRows} from zero for A's rows lying along the reduction (A@B, A m x k): row r
     * of the tile reads {@code a[a0 + r * lda + p]}, an index that grows by one a step, so the
     * JIT can take A's bounds checks out of the loop. Needs k > 0.
     */
    private static void sixRowsAlong(float[] a, int a0, int lda, float[] b, int b0, int ldb, int k,
                                     float[] c, int c0, int ldc) {
        int a1 = a0 + lda;
        int a2 = a0 + 2 * lda;
        int a3 = a0 + 3 * lda;
        int a4 = a0 + 4 * lda;
        int a5 = a0 + 5 * lda;
        FloatVector zero = FloatVector.zero(F);
        FloatVector b0v = FloatVector.fromArray(F, b, b0);
        FloatVector b1v = FloatVector.fromArray(F, b, b0 + FL);
        FloatVector x = FloatVector.broadcast(F, a[a0]);
        FloatVector c00 = x.fma(b0v, zero);
        FloatVector c01 = x.fma(b1v, zero);
        x = FloatVector.broadcast(F, a[a1]);
        FloatVector c10 = x.fma(b0v, zero);
        FloatVector c11 = x.fma(b1v, zero);
        x = FloatVector.broadcast(F, a[a2]);
        FloatVector c20 = x.fma(b0v, zero);
        FloatVector c21 = x.fma(b1v, zero);
        x = FloatVector.broadcast(F, a[a3]);
        FloatVector c30 = x.fma(b0v, zero);
        FloatVector c31 = x.fma(b1v, zero);
        x = FloatVector.broadcast(F, a[a4]);
        FloatVector c40 = x.fma(b0v, zero);
        FloatVector c41 = x.fma(b1v, zero);
        x = FloatVector.broadcast(F, a[a5]);
        FloatVector c50 = x.fma(b0v, zero);
        FloatVector c51 = x.fma(b1v, zero);
        for (int p = 1; p < k; p++) {
            int bi = b0 + p * ldb;
            b0v = FloatVector.fromArray(F, b, bi);
            b1v = FloatVector.fromArray(F, b, bi + FL);
            x = FloatVector.broadcast(F, a[a0 + p]);
            c00 = x.fma(b0v, c00);
            c01 = x.fma(b1v, c01);
            x = FloatVector.broadcast(F, a[a1 + p]);
            c10 = x.fma(b0v, c10);
            c11 = x.fma(b1v, c11);
            x = FloatVector.broadcast(F, a[a2 + p]);
            c20 = x.fma(b0v, c20);
            c21 = x.fma(b1v, c21);
            x = FloatVector.broadcast(F, a[a3 + p]);
            c30 = x.fma(b0v, c30);
            c31 = x.fma(b1v, c31);
            x = FloatVector.broadcast(F, a[a4 + p]);
            c40 = x.fma(b0v, c40);
            c41 = x.fma(b1v, c41);
            x = FloatVector.broadcast(F, a[a5 + p]);
            c50 = x.fma(b0v, c50);
            c51 = x.fma(b1v, c51);
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

    /**
     * {@link #sixRows} from zero for A stored transposed (Aᵀ@B, A stored k x m): the tile's six
     * elements of A at a step lie side by side, {@code a[a0 + p * lda + r]}, at fixed offsets
     * from one index, so the JIT checks two bounds a step rather than six. Needs k > 0.
     */
    private static void sixRowsDown(float[] a, int a0, int lda, float[] b, int b0, int ldb, int k,
                                     float[] c, int c0, int ldc) {
        FloatVector zero = FloatVector.zero(F);
        FloatVector b0v = FloatVector.fromArray(F, b, b0);
        FloatVector b1v = FloatVector.fromArray(F, b, b0 + FL);
        FloatVector x = FloatVector.broadcast(F, a[a0]);
        FloatVector c00 = x.fma(b0v, zero);
        FloatVector c01 = x.fma(b1v, zero);
        x = FloatVector.broadcast(F, a[a0 + 1]);
        FloatVector c10 = x.fma(b0v, zero);
        FloatVector c11 = x.fma(b1v, zero);
        x = FloatVector.broadcast(F, a[a0 + 2]);
        FloatVector c20 = x.fma(b0v, zero);
        FloatVector c21 = x.fma(b1v, zero);
        x = FloatVector.broadcast(F, a[a0 + 3]);
        FloatVector c30 = x.fma(b0v, zero);
        FloatVector c31 = x.fma(b1v, zero);
        x = FloatVector.broadcast(F, a[a0 + 4]);
        FloatVector c40 = x.fma(b0v, zero);
        FloatVector c41 = x.fma(b1v, zero);
        x = FloatVector.broadcast(F, a[a0 + 5]);
        FloatVector c50 = x.fma(b0v, zero);
        FloatVector c51 = x.fma(b1v, zero);
        for (int p = 1; p < k; p++) {
            int bi = b0 + p * ldb;
            int ap = a0 + p * lda;
            b0v = FloatVector.fromArray(F, b, bi);
            b1v = FloatVector.fromArray(F, b, bi + FL);
            x = FloatVector.broadcast(F, a[ap]);
            c00 = x.fma(b0v, c00);
            c01 = x.fma(b1v, c01);
            x = FloatVector.broadcast(F, a[ap + 1]);
            c10 = x.fma(b0v, c10);
            c11 = x.fma(b1v, c11);
            x = FloatVector.broadcast(F, a[ap + 2]);
            c20 = x.fma(b0v, c20);
            c21 = x.fma(b1v, c21);
            x = FloatVector.broadcast(F, a[ap + 3]);
            c30 = x.fma(b0v, c30);
            c31 = x.fma(b1v, c31);
            x = FloatVector.broadcast(F, a[ap + 4]);
            c40 = x.fma(b0v, c40);
            c41 = x.fma(b1v, c41);
            x = FloatVector.broadcast(F, a[ap + 5]);
            c50 = x.fma(b0v, c50);
            c51 = x.fma(b1v, c51);
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

    /** {@link #sixRowsAlong} for four rows. */
    private static void fourRowsAlong(float[] a, int a0, int lda, float[] b, int b0, int ldb, int k,
                                      float[] c, int c0, int ldc) {
        int a1 = a0 + lda;
        int a2 = a0 + 2 * lda;
        int a3 = a0 + 3 * lda;
        FloatVector zero = FloatVector.zero(F);
        FloatVector b0v = FloatVector.fromArray(F, b, b0);
        FloatVector b1v = FloatVector.fromArray(F, b, b0 + FL);
        FloatVector x = FloatVector.broadcast(F, a[a0]);
        FloatVector c00 = x.fma(b0v, zero);
        FloatVector c01 = x.fma(b1v, zero);
        x = FloatVector.broadcast(F, a[a1]);
        FloatVector c10 = x.fma(b0v, zero);
        FloatVector c11 = x.fma(b1v, zero);
        x = FloatVector.broadcast(F, a[a2]);
        FloatVector c20 = x.fma(b0v, zero);
        FloatVector c21 = x.fma(b1v, zero);
        x = FloatVector.broadcast(F, a[a3]);
        FloatVector c30 = x.fma(b0v, zero);
        FloatVector c31 = x.fma(b1v, zero);
        for (int p = 1; p < k; p++) {
            int bi = b0 + p * ldb;
            b0v = FloatVector.fromArray(F, b, bi);
            b1v = FloatVector.fromArray(F, b, bi + FL);
            x = FloatVector.broadcast(F, a[a0 + p]);
            c00 = x.fma(b0v, c00);
            c01 = x.fma(b1v, c01);
            x = FloatVector.broadcast(F, a[a1 + p]);
            c10 = x.fma(b0v, c10);
            c11 = x.fma(b1v, c11);
            x = FloatVector.broadcast(F, a[a2 + p]);
            c20 = x.fma(b0v, c20);
            c21 = x.fma(b1v, c21);
            x = FloatVector.broadcast(F, a[a3 + p]);
            c30 = x.fma(b0v, c30);
            c31 = x.fma(b1v, c31);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + FL);
        c10.intoArray(c, c0 + ldc);
        c11.intoArray(c, c0 + ldc + FL);
        c20.intoArray(c, c0 + 2 * ldc);
        c21.intoArray(c, c0 + 2 * ldc + FL);
        c30.intoArray(c, c0 + 3 * ldc);
        c31.intoArray(c, c0 + 3 * ldc + FL);
    }

    /** {@link #sixRowsDown} for four rows. */
    private static void fourRowsDown(float[] a, int a0, int lda, float[] b, int b0, int ldb, int k,
                                      float[] c, int c0, int ldc) {
        FloatVector zero = FloatVector.zero(F);
        FloatVector b0v = FloatVector.fromArray(F, b, b0);
        FloatVector b1v = FloatVector.fromArray(F, b, b0 + FL);
        FloatVector x = FloatVector.broadcast(F, a[a0]);
        FloatVector c00 = x.fma(b0v, zero);
        FloatVector c01 = x.fma(b1v, zero);
        x = FloatVector.broadcast(F, a[a0 + 1]);
        FloatVector c10 = x.fma(b0v, zero);
        FloatVector c11 = x.fma(b1v, zero);
        x = FloatVector.broadcast(F, a[a0 + 2]);
        FloatVector c20 = x.fma(b0v, zero);
        FloatVector c21 = x.fma(b1v, zero);
        x = FloatVector.broadcast(F, a[a0 + 3]);
        FloatVector c30 = x.fma(b0v, zero);
        FloatVector c31 = x.fma(b1v, zero);
        for (int p = 1; p < k; p++) {
            int bi = b0 + p * ldb;
            int ap = a0 + p * lda;
            b0v = FloatVector.fromArray(F, b, bi);
            b1v = FloatVector.fromArray(F, b, bi + FL);
            x = FloatVector.broadcast(F, a[ap]);
            c00 = x.fma(b0v, c00);
            c01 = x.fma(b1v, c01);
            x = FloatVector.broadcast(F, a[ap + 1]);
            c10 = x.fma(b0v, c10);
            c11 = x.fma(b1v, c11);
            x = FloatVector.broadcast(F, a[ap + 2]);
            c20 = x.fma(b0v, c20);
            c21 = x.fma(b1v, c21);
            x = FloatVector.broadcast(F, a[ap + 3]);
            c30 = x.fma(b0v, c30);
            c31 = x.fma(b1v, c31);
        }
        c00.intoArray(c, c0);
        c01.intoArray(c, c0 + FL);
        c10.intoArray(c, c0 + ldc);
        c11.intoArray(c, c0 + ldc + FL);
        c20.intoArray(c, c0 + 2 * ldc);
        c21.intoArray(c, c0 + 2 * ldc + FL);
        c30.intoArray(c, c0 + 3 * ldc);
        c31.intoArray(c, c0 + 3 * ldc + FL);
    }

    /**
     * Eight rows by one vector of columns, into {@code tile} (rows {@code FL} apart), for
     * products narrower than a vector: {@link #sixRows}' chains of fused multiply-adds, with
     * half the lanes of a two-vector tile computed and dropped. Started from the tile's values
     * when {@code accumulate}, else from zero with each chain's first step before the loop, as
     * {@link #sixRows} does.
     */
    private static void eightRowsOneVector(float[] a, int a0, int rowStride, int pStride, float[] b, int ldb, int k,
                                           float[] tile, boolean accumulate) {
        FloatVector c0;
        FloatVector c1;
        FloatVector c2;
        FloatVector c3;
        FloatVector c4;
        FloatVector c5;
        FloatVector c6;
        FloatVector c7;
        int p0;
        if (accumulate || k == 0) {
            if (!accumulate) {
                FloatVector zero = FloatVector.zero(F);
                for (int r = 0; r < 8; r++) {
                    zero.intoArray(tile, r * FL);
                }
            }
            c0 = FloatVector.fromArray(F, tile, 0);
            c1 = FloatVector.fromArray(F, tile, FL);
            c2 = FloatVector.fromArray(F, tile, 2 * FL);
            c3 = FloatVector.fromArray(F, tile, 3 * FL);
            c4 = FloatVector.fromArray(F, tile, 4 * FL);
            c5 = FloatVector.fromArray(F, tile, 5 * FL);
            c6 = FloatVector.fromArray(F, tile, 6 * FL);
            c7 = FloatVector.fromArray(F, tile, 7 * FL);
            p0 = 0;
        } else {
            FloatVector zero = FloatVector.zero(F);
            FloatVector bv = FloatVector.fromArray(F, b, 0);
            c0 = FloatVector.broadcast(F, a[a0]).fma(bv, zero);
            c1 = FloatVector.broadcast(F, a[a0 + rowStride]).fma(bv, zero);
            c2 = FloatVector.broadcast(F, a[a0 + 2 * rowStride]).fma(bv, zero);
            c3 = FloatVector.broadcast(F, a[a0 + 3 * rowStride]).fma(bv, zero);
            c4 = FloatVector.broadcast(F, a[a0 + 4 * rowStride]).fma(bv, zero);
            c5 = FloatVector.broadcast(F, a[a0 + 5 * rowStride]).fma(bv, zero);
            c6 = FloatVector.broadcast(F, a[a0 + 6 * rowStride]).fma(bv, zero);
            c7 = FloatVector.broadcast(F, a[a0 + 7 * rowStride]).fma(bv, zero);
            p0 = 1;
        }
        for (int p = p0; p < k; p++) {
            int ap = a0 + p * pStride;
            FloatVector bv = FloatVector.fromArray(F, b, p * ldb);
            c0 = FloatVector.broadcast(F, a[ap]).fma(bv, c0);
            c1 = FloatVector.broadcast(F, a[ap + rowStride]).fma(bv, c1);
            c2 = FloatVector.broadcast(F, a[ap + 2 * rowStride]).fma(bv, c2);
            c3 = FloatVector.broadcast(F, a[ap + 3 * rowStride]).fma(bv, c3);
            c4 = FloatVector.broadcast(F, a[ap + 4 * rowStride]).fma(bv, c4);
            c5 = FloatVector.broadcast(F, a[ap + 5 * rowStride]).fma(bv, c5);
            c6 = FloatVector.broadcast(F, a[ap + 6 * rowStride]).fma(bv, c6);
            c7 = FloatVector.broadcast(F, a[ap + 7 * rowStride]).fma(bv, c7);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, FL);
        c2.intoArray(tile, 2 * FL);
        c3.intoArray(tile, 3 * FL);
        c4.intoArray(tile, 4 * FL);
        c5.intoArray(tile, 5 * FL);
        c6.intoArray(tile, 6 * FL);
        c7.intoArray(tile, 7 * FL);
    }

    /**
     * {@link #eightRowsOneVector} from zero for Aᵀ@B, the eight elements of A a step at fixed
     * offsets from one index ({@code a[a0 + p * lda + r]}, as {@link #sixRowsDown} does). Needs k > 0.
     */
    private static void eightRowsOneVectorDown(float[] a, int a0, int lda, float[] b, int ldb, int k, float[] tile) {
        FloatVector zero = FloatVector.zero(F);
        FloatVector bv = FloatVector.fromArray(F, b, 0);
        FloatVector c0 = FloatVector.broadcast(F, a[a0]).fma(bv, zero);
        FloatVector c1 = FloatVector.broadcast(F, a[a0 + 1]).fma(bv, zero);
        FloatVector c2 = FloatVector.broadcast(F, a[a0 + 2]).fma(bv, zero);
        FloatVector c3 = FloatVector.broadcast(F, a[a0 + 3]).fma(bv, zero);
        FloatVector c4 = FloatVector.broadcast(F, a[a0 + 4]).fma(bv, zero);
        FloatVector c5 = FloatVector.broadcast(F, a[a0 + 5]).fma(bv, zero);
        FloatVector c6 = FloatVector.broadcast(F, a[a0 + 6]).fma(bv, zero);
        FloatVector c7 = FloatVector.broadcast(F, a[a0 + 7]).fma(bv, zero);
        for (int p = 1; p < k; p++) {
            int ap = a0 + p * lda;
            bv = FloatVector.fromArray(F, b, p * ldb);
            c0 = FloatVector.broadcast(F, a[ap]).fma(bv, c0);
            c1 = FloatVector.broadcast(F, a[ap + 1]).fma(bv, c1);
            c2 = FloatVector.broadcast(F, a[ap + 2]).fma(bv, c2);
            c3 = FloatVector.broadcast(F, a[ap + 3]).fma(bv, c3);
            c4 = FloatVector.broadcast(F, a[ap + 4]).fma(bv, c4);
            c5 = FloatVector.broadcast(F, a[ap + 5]).fma(bv, c5);
            c6 = FloatVector.broadcast(F, a[ap + 6]).fma(bv, c6);
            c7 = FloatVector.broadcast(F, a[ap + 7]).fma(bv, c7);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, FL);
        c2.intoArray(tile, 2 * FL);
        c3.intoArray(tile, 3 * FL);
        c4.intoArray(tile, 4 * FL);
        c5.intoArray(tile, 5 * FL);
        c6.intoArray(tile, 6 * FL);
        c7.intoArray(tile, 7 * FL);
    }

    /** Zeros in {@code rows} rows of a tile's two vectors. */
    private static void zero(float[] c, int c0, int ldc, int rows) {
        FloatVector zero = FloatVector.zero(F);
        for (int r = 0; r < rows; r++) {
            zero.intoArray(c, c0 + r * ldc);
            zero.intoArray(c, c0 + r * ldc + FL);
        }
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

    /**
     * {@code c = Aᵀ @ b} for a single column b, A stored k x m: C's element i runs down column
     * i of that storage, so two vectors of columns carry their sums in registers over the whole
     * reduction. Lanes are columns, and each takes the product and then adds it, as the plain
     * loop does, so the bits are the plain in-order sum's. A block's last vector may reach into
     * the next row, whose lanes are computed and dropped; rows where it would reach past the
     * array are added in plain Java. {@code scratch} holds at least two vectors.
     */
    static void transposedTimesVector(float[] a, float[] b, float[] c, int m, int k, float[] scratch) {
        for (int i0 = 0; i0 < m; i0 += 2 * FL) {
            int cols = Math.min(2 * FL, m - i0);
            int inside;
            if (cols > FL) {
                inside = rowsInside(a.length, i0, 2 * FL, m, k);
                twoVectorsDown(a, b, m, i0, inside, scratch);
            } else {
                inside = rowsInside(a.length, i0, FL, m, k);
                oneVectorDown(a, b, m, i0, inside, scratch);
            }
            for (int p = inside; p < k; p++) {
                for (int j = 0; j < cols; j++) {
                    scratch[j] += a[p * m + i0 + j] * b[p];
                }
            }
            System.arraycopy(scratch, 0, c, i0, cols);
        }
    }

    /**
     * {@code scratch[0, 2 vectors) = sum over p < rows of a[p * m + i0 ..] * b[p]}. The sums are
     * stored at every step, not once after the loop: the JIT of JDK 17 does not always know the
     * class of a vector that leaves a loop, and then stores it through an object allocated on
     * every call. The store is off the chain of additions, and the bits are the same.
     */
    private static void twoVectorsDown(float[] a, float[] b, int m, int i0, int rows, float[] scratch) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = FloatVector.zero(F);
        s0.intoArray(scratch, 0);
        s1.intoArray(scratch, FL);
        for (int p = 0; p < rows; p++) {
            int ap = p * m + i0;
            float bp = b[p];
            s0 = s0.add(FloatVector.fromArray(F, a, ap).mul(bp));
            s1 = s1.add(FloatVector.fromArray(F, a, ap + FL).mul(bp));
            s0.intoArray(scratch, 0);
            s1.intoArray(scratch, FL);
        }
    }

    /** {@link #twoVectorsDown(float[], float[], int, int, int, float[])} for one vector of columns. */
    private static void oneVectorDown(float[] a, float[] b, int m, int i0, int rows, float[] scratch) {
        FloatVector s0 = FloatVector.zero(F);
        s0.intoArray(scratch, 0);
        for (int p = 0; p < rows; p++) {
            s0 = s0.add(FloatVector.fromArray(F, a, p * m + i0).mul(b[p]));
            s0.intoArray(scratch, 0);
        }
    }

    /** {@link #transposedTimesVector(float[], float[], float[], int, int, float[])} in double. */
    static void transposedTimesVector(double[] a, double[] b, double[] c, int m, int k, double[] scratch) {
        for (int i0 = 0; i0 < m; i0 += 2 * DL) {
            int cols = Math.min(2 * DL, m - i0);
            int inside;
            if (cols > DL) {
                inside = rowsInside(a.length, i0, 2 * DL, m, k);
                twoVectorsDown(a, b, m, i0, inside, scratch);
            } else {
                inside = rowsInside(a.length, i0, DL, m, k);
                oneVectorDown(a, b, m, i0, inside, scratch);
            }
            for (int p = inside; p < k; p++) {
                for (int j = 0; j < cols; j++) {
                    scratch[j] += a[p * m + i0 + j] * b[p];
                }
            }
            System.arraycopy(scratch, 0, c, i0, cols);
        }
    }

    /** {@link #twoVectorsDown(float[], float[], int, int, int, float[])} in double. */
    private static void twoVectorsDown(double[] a, double[] b, int m, int i0, int rows, double[] scratch) {
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = DoubleVector.zero(D);
        s0.intoArray(scratch, 0);
        s1.intoArray(scratch, DL);
        for (int p = 0; p < rows; p++) {
            int ap = p * m + i0;
            double bp = b[p];
            s0 = s0.add(DoubleVector.fromArray(D, a, ap).mul(bp));
            s1 = s1.add(DoubleVector.fromArray(D, a, ap + DL).mul(bp));
            s0.intoArray(scratch, 0);
            s1.intoArray(scratch, DL);
        }
    }

    /** {@link #twoVectorsDown(float[], float[], int, int, int, float[])} for one vector of columns, in double. */
    private static void oneVectorDown(double[] a, double[] b, int m, int i0, int rows, double[] scratch) {
        DoubleVector s0 = DoubleVector.zero(D);
        s0.intoArray(scratch, 0);
        for (int p = 0; p < rows; p++) {
            s0 = s0.add(DoubleVector.fromArray(D, a, p * m + i0).mul(b[p]));
            s0.intoArray(scratch, 0);
        }
    }

    /** Rows p (at most k) for which {@code width} elements from {@code p * m + i0} lie inside an array of {@code length}. */
    static int rowsInside(int length, int i0, int width, int m, int k) {
        long room = (long) length - i0 - width;
        return room < 0 ? 0 : (int) Math.min(k, room / m + 1);
    }

    /**
     * {@code to} (cols x rows) = the transpose of {@code from} (rows x cols), four rows of
     * {@code from} at a time, so that each column's four elements are written side by side
     * (a layer's weights, 128 x 10, in half the time of an element at a time).
     */
    static void transpose(float[] from, int rows, int cols, float[] to) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int f0 = r * cols;
            for (int c = 0; c < cols; c++) {
                int o = c * rows + r;
                to[o] = from[f0 + c];
                to[o + 1] = from[f0 + cols + c];
                to[o + 2] = from[f0 + 2 * cols + c];
                to[o + 3] = from[f0 + 3 * cols + c];
            }
        }
        for (; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                to[c * rows + r] = from[r * cols + c];
            }
        }
    }
}
