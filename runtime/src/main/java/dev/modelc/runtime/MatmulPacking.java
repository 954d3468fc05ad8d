package dev.modelc.runtime;

/**
 * Copies a block of a matrix operand into the order a register tile reads it: slivers of
 * {@code mr} rows of A (or {@code nr} columns of B), each element of the reduction dimension
 * in turn, padded with zeros to whole slivers. Transposed operands are read here, so that
 * the tile code sees one layout for every form of product.
 */
final class MatmulPacking {
    private MatmulPacking() {
    }

    /**
     * Packs rows {@code i0 .. i0 + mc} and reduction indices {@code p0 .. p0 + kc} of A (m x k,
     * or k x m when {@code ta}) into {@code dst[offset + (s * kc + p) * mr + r]} for sliver {@code s}.
     */
    static void packA(float[] a, boolean ta, int m, int k, int i0, int mc, int p0, int kc, int mr, float[] dst,
                      int offset) {
        for (int s = 0; s * mr < mc; s++) {
            int base = offset + s * kc * mr;
            int rows = Math.min(mr, mc - s * mr);
            int row0 = i0 + s * mr;
            if (rows == mr) {
                fullSliver(a, ta ? p0 * m + row0 : row0 * k + p0, ta ? m : 1, ta ? 1 : k, kc, mr, dst, base);
            } else if (ta) {
                for (int p = 0; p < kc; p++) {
                    int from = (p0 + p) * m + row0;
                    int to = base + p * mr;
                    for (int r = 0; r < rows; r++) {
                        dst[to + r] = a[from + r];
                    }
                    for (int r = rows; r < mr; r++) {
                        dst[to + r] = 0f;
                    }
                }
            } else {
                for (int r = 0; r < mr; r++) {
                    if (r < rows) {
                        int from = (row0 + r) * k + p0;
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * mr + r] = a[from + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * mr + r] = 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * A sliver of all {@code mr} (4, 5 or 6) rows: {@code dst[base + p * mr + r] = a[from + p * pStep + r * rStep]}.
     * Written in order, each of the sliver's rows read as a stream, where an element at a time
     * with a loop over the rows cost several cycles an element.
     */
    private static void fullSliver(float[] a, int from, int pStep, int rStep, int kc, int mr, float[] dst, int base) {
        int f1 = from + rStep;
        int f2 = f1 + rStep;
        int f3 = f2 + rStep;
        if (mr == 6) {
            int f4 = f3 + rStep;
            int f5 = f4 + rStep;
            for (int p = 0; p < kc; p++) {
                int to = base + p * 6;
                int q = p * pStep;
                dst[to] = a[from + q];
                dst[to + 1] = a[f1 + q];
                dst[to + 2] = a[f2 + q];
                dst[to + 3] = a[f3 + q];
                dst[to + 4] = a[f4 + q];
                dst[to + 5] = a[f5 + q];
            }
        } else if (mr == 5) {
            int f4 = f3 + rStep;
            for (int p = 0; p < kc; p++) {
                int to = base + p * 5;
                int q = p * pStep;
                dst[to] = a[from + q];
                dst[to + 1] = a[f1 + q];
                dst[to + 2] = a[f2 + q];
                dst[to + 3] = a[f3 + q];
                dst[to + 4] = a[f4 + q];
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int to = base + p * 4;
                int q = p * pStep;
                dst[to] = a[from + q];
                dst[to + 1] = a[f1 + q];
                dst[to + 2] = a[f2 + q];
                dst[to + 3] = a[f3 + q];
            }
        }
    }

    /**
     * Packs reduction indices {@code p0 .. p0 + kc} and columns {@code j0 .. j0 + nc} of B (k x n,
     * or n x k when {@code tb}) into {@code dst[offset + (t * kc + p) * nr + j]} for sliver {@code t}.
     */
    static void packB(float[] b, boolean tb, int k, int n, int p0, int kc, int j0, int nc, int nr, float[] dst,
                      int offset) {
        int full = nc / nr;
        if (tb) {
            for (int t = 0; t < full; t++) {
                packTransposedSliver(b, k, p0, kc, j0 + t * nr, nr, nr, dst, offset + t * kc * nr);
            }
        } else {
            // Row by row, so that B is read in order: strided reads down a sliver miss the cache.
            // arraycopy moves a sliver's row in a few vector moves, where a loop of nr, unknown
            // to the JIT, copied an element at a time.
            for (int p = 0; p < kc; p++) {
                int from = (p0 + p) * n + j0;
                for (int t = 0; t < full; t++) {
                    System.arraycopy(b, from + t * nr, dst, offset + (t * kc + p) * nr, nr);
                }
            }
        }
        int cols = nc - full * nr;
        if (cols > 0) {
            int base = offset + full * kc * nr;
            if (tb) {
                packTransposedSliver(b, k, p0, kc, j0 + full * nr, cols, nr, dst, base);
            } else {
                for (int p = 0; p < kc; p++) {
                    int from = (p0 + p) * n + j0 + full * nr;
                    int to = base + p * nr;
                    for (int j = 0; j < cols; j++) {
                        dst[to + j] = b[from + j];
                    }
                    for (int j = cols; j < nr; j++) {
                        dst[to + j] = 0f;
                    }
                }
            }
        }
    }

    /** One sliver of Bᵀ's rows {@code col0 .. col0 + cols}, four at a time, zero-padded to {@code nr}. */
    private static void packTransposedSliver(float[] b, int k, int p0, int kc, int col0, int cols, int nr,
                                             float[] dst, int base) {
        int j = 0;
        for (; j + 4 <= cols; j += 4) {
            int f0 = (col0 + j) * k + p0;
            int f1 = f0 + k;
            int f2 = f1 + k;
            int f3 = f2 + k;
            for (int p = 0; p < kc; p++) {
                int to = base + p * nr + j;
                dst[to] = b[f0 + p];
                dst[to + 1] = b[f1 + p];
                dst[to + 2] = b[f2 + p];
                dst[to + 3] = b[f3 + p];
            }
        }
        for (; j < nr; j++) {
            if (j < cols) {
                int from = (col0 + j) * k + p0;
                for (int p = 0; p < kc; p++) {
                    dst[base + p * nr + j] = b[from + p];
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    dst[base + p * nr + j] = 0f;
                }
            }
        }
    }

    /** {@link #packA(float[], boolean, int, int, int, int, int, int, int, float[], int)} in double. */
    static void packA(double[] a, boolean ta, int m, int k, int i0, int mc, int p0, int kc, int mr, double[] dst,
                      int offset) {
        for (int s = 0; s * mr < mc; s++) {
            int base = offset + s * kc * mr;
            int rows = Math.min(mr, mc - s * mr);
            int row0 = i0 + s * mr;
            if (rows == mr) {
                fullSliver(a, ta ? p0 * m + row0 : row0 * k + p0, ta ? m : 1, ta ? 1 : k, kc, mr, dst, base);
            } else if (ta) {
                for (int p = 0; p < kc; p++) {
                    int from = (p0 + p) * m + row0;
                    int to = base + p * mr;
                    for (int r = 0; r < rows; r++) {
                        dst[to + r] = a[from + r];
                    }
                    for (int r = rows; r < mr; r++) {
                        dst[to + r] = 0.0;
                    }
                }
            } else {
                for (int r = 0; r < mr; r++) {
                    if (r < rows) {
                        int from = (row0 + r) * k + p0;
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * mr + r] = a[from + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * mr + r] = 0.0;
                        }
                    }
                }
            }
        }
    }

    /**
     * A sliver of all {@code mr} (4, 5 or 6) rows: {@code dst[base + p * mr + r] = a[from + p * pStep + r * rStep]}.
     * Written in order, each of the sliver's rows read as a stream, where an element at a time
     * with a loop over the rows cost several cycles an element.
     */
    private static void fullSliver(double[] a, int from, int pStep, int rStep, int kc, int mr, double[] dst, int base) {
        int f1 = from + rStep;
        int f2 = f1 + rStep;
        int f3 = f2 + rStep;
        if (mr == 6) {
            int f4 = f3 + rStep;
            int f5 = f4 + rStep;
            for (int p = 0; p < kc; p++) {
                int to = base + p * 6;
                int q = p * pStep;
                dst[to] = a[from + q];
                dst[to + 1] = a[f1 + q];
                dst[to + 2] = a[f2 + q];
                dst[to + 3] = a[f3 + q];
                dst[to + 4] = a[f4 + q];
                dst[to + 5] = a[f5 + q];
            }
        } else if (mr == 5) {
            int f4 = f3 + rStep;
            for (int p = 0; p < kc; p++) {
                int to = base + p * 5;
                int q = p * pStep;
                dst[to] = a[from + q];
                dst[to + 1] = a[f1 + q];
                dst[to + 2] = a[f2 + q];
                dst[to + 3] = a[f3 + q];
                dst[to + 4] = a[f4 + q];
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int to = base + p * 4;
                int q = p * pStep;
                dst[to] = a[from + q];
                dst[to + 1] = a[f1 + q];
                dst[to + 2] = a[f2 + q];
                dst[to + 3] = a[f3 + q];
            }
        }
    }

    /** {@link #packB(float[], boolean, int, int, int, int, int, int, int, float[], int)} in double. */
    static void packB(double[] b, boolean tb, int k, int n, int p0, int kc, int j0, int nc, int nr, double[] dst,
                      int offset) {
        int full = nc / nr;
        if (tb) {
            for (int t = 0; t < full; t++) {
                packTransposedSliver(b, k, p0, kc, j0 + t * nr, nr, nr, dst, offset + t * kc * nr);
            }
        } else {
            // Row by row, so that B is read in order: strided reads down a sliver miss the cache.
            // arraycopy moves a sliver's row in a few vector moves, where a loop of nr, unknown
            // to the JIT, copied an element at a time.
            for (int p = 0; p < kc; p++) {
                int from = (p0 + p) * n + j0;
                for (int t = 0; t < full; t++) {
                    System.arraycopy(b, from + t * nr, dst, offset + (t * kc + p) * nr, nr);
                }
            }
        }
        int cols = nc - full * nr;
        if (cols > 0) {
            int base = offset + full * kc * nr;
            if (tb) {
                packTransposedSliver(b, k, p0, kc, j0 + full * nr, cols, nr, dst, base);
            } else {
                for (int p = 0; p < kc; p++) {
                    int from = (p0 + p) * n + j0 + full * nr;
                    int to = base + p * nr;
                    for (int j = 0; j < cols; j++) {
                        dst[to + j] = b[from + j];
                    }
                    for (int j = cols; j < nr; j++) {
                        dst[to + j] = 0.0;
                    }
                }
            }
        }
    }

    /** One sliver of Bᵀ's rows {@code col0 .. col0 + cols}, four at a time, zero-padded to {@code nr}. */
    private static void packTransposedSliver(double[] b, int k, int p0, int kc, int col0, int cols, int nr,
                                             double[] dst, int base) {
        int j = 0;
        for (; j + 4 <= cols; j += 4) {
            int f0 = (col0 + j) * k + p0;
            int f1 = f0 + k;
            int f2 = f1 + k;
            int f3 = f2 + k;
            for (int p = 0; p < kc; p++) {
                int to = base + p * nr + j;
                dst[to] = b[f0 + p];
                dst[to + 1] = b[f1 + p];
                dst[to + 2] = b[f2 + p];
                dst[to + 3] = b[f3 + p];
            }
        }
        for (; j < nr; j++) {
            if (j < cols) {
                int from = (col0 + j) * k + p0;
                for (int p = 0; p < kc; p++) {
                    dst[base + p * nr + j] = b[from + p];
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    dst[base + p * nr + j] = 0.0;
                }
            }
        }
    }
}
