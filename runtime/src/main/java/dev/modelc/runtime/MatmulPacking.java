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
     * or k x m when {@code ta}) into {@code dst[(s * kc + p) * mr + r]} for sliver {@code s}.
     */
    static void packA(float[] a, boolean ta, int m, int k, int i0, int mc, int p0, int kc, int mr, float[] dst) {
        for (int s = 0; s * mr < mc; s++) {
            int base = s * kc * mr;
            int rows = Math.min(mr, mc - s * mr);
            int row0 = i0 + s * mr;
            if (ta) {
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
     * Packs reduction indices {@code p0 .. p0 + kc} and columns {@code j0 .. j0 + nc} of B (k x n,
     * or n x k when {@code tb}) into {@code dst[(t * kc + p) * nr + j]} for sliver {@code t}.
     */
    static void packB(float[] b, boolean tb, int k, int n, int p0, int kc, int j0, int nc, int nr, float[] dst) {
        for (int t = 0; t * nr < nc; t++) {
            int base = t * kc * nr;
            int cols = Math.min(nr, nc - t * nr);
            int col0 = j0 + t * nr;
            if (tb) {
                for (int j = 0; j < nr; j++) {
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
            } else {
                for (int p = 0; p < kc; p++) {
                    int to = base + p * nr;
                    System.arraycopy(b, (p0 + p) * n + col0, dst, to, cols);
                    for (int j = cols; j < nr; j++) {
                        dst[to + j] = 0f;
                    }
                }
            }
        }
    }

    /** {@link #packA(float[], boolean, int, int, int, int, int, int, int, float[])} in double. */
    static void packA(double[] a, boolean ta, int m, int k, int i0, int mc, int p0, int kc, int mr, double[] dst) {
        for (int s = 0; s * mr < mc; s++) {
            int base = s * kc * mr;
            int rows = Math.min(mr, mc - s * mr);
            int row0 = i0 + s * mr;
            if (ta) {
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

    /** {@link #packB(float[], boolean, int, int, int, int, int, int, int, float[])} in double. */
    static void packB(double[] b, boolean tb, int k, int n, int p0, int kc, int j0, int nc, int nr, double[] dst) {
        for (int t = 0; t * nr < nc; t++) {
            int base = t * kc * nr;
            int cols = Math.min(nr, nc - t * nr);
            int col0 = j0 + t * nr;
            if (tb) {
                for (int j = 0; j < nr; j++) {
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
            } else {
                for (int p = 0; p < kc; p++) {
                    int to = base + p * nr;
                    System.arraycopy(b, (p0 + p) * n + col0, dst, to, cols);
                    for (int j = cols; j < nr; j++) {
                        dst[to + j] = 0.0;
                    }
                }
            }
        }
    }
}
