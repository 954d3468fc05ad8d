package dev.modelc.runtime;

/**
 * Matrix products in plain loops, for shapes too thin to pay for packing: a single row or
 * column, or a handful of multiply-adds. Each element is a sum over the reduction index in
 * order. Loop orders keep the innermost loop on contiguous memory where the form allows. A
 * single float row times B, with the Vector API, runs as {@link VectorRow}'s chains of fused
 * multiply-adds instead, the bits the tiles give that row in a batch.
 */
final class DirectMatmul {
    private DirectMatmul() {
    }

    /**
     * @param a m x k, or k x m when {@code ta}
     * @param b k x n, or n x k when {@code tb}
     * @param vector whether the Vector API may carry several sums in one register
     */
    static void multiply(double[] a, boolean ta, double[] b, boolean tb, double[] c, int m, int k, int n,
                         boolean vector) {
        if (n == 1) {
            timesVector(a, ta, b, c, m, k, vector);
            return;
        }
        if (m == 1) {
            vectorTimes(a, b, tb, c, k, n);
            return;
        }
        java.util.Arrays.fill(c, 0, m * n, 0.0);
        if (ta) {
            // Aᵀ is stored k x m: walk it row by row, each row adding into every output row.
            for (int p = 0; p < k; p++) {
                int ap = p * m;
                for (int i = 0; i < m; i++) {
                    double aip = a[ap + i];
                    int ci = i * n;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * (tb ? b[j * k + p] : b[p * n + j]);
                    }
                }
            }
        } else if (!tb && n > 1) {
            for (int i = 0; i < m; i++) {
                int ci = i * n;
                for (int p = 0; p < k; p++) {
                    double aip = a[i * k + p];
                    int bp = p * n;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            }
        } else {
            // Dot products of A's rows with B's columns (contiguous when tb, or when n = 1).
            int bStep = tb ? 1 : n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0.0;
                    int ai = i * k;
                    int bj = tb ? j * k : j;
                    for (int p = 0; p < k; p++) {
                        sum += a[ai + p] * b[bj + p * bStep];
                    }
                    c[i * n + j] = sum;
                }
            }
        }
    }

    /** The same product in float. */
    static void multiply(float[] a, boolean ta, float[] b, boolean tb, float[] c, int m, int k, int n,
                         boolean vector) {
        if (n == 1) {
            timesVector(a, ta, b, c, m, k, vector);
            return;
        }
        if (m == 1 && vector && !tb) {
            // The vector tiles' chain of fused multiply-adds, so that a row alone has its bits in a batch.
            VectorRow.times(a, 0, 1, b, c, 0, 0, k, n);
            return;
        }
        if (m == 1) {
            vectorTimes(a, b, tb, c, k, n);
            return;
        }
        java.util.Arrays.fill(c, 0, m * n, 0f);
        if (ta) {
            // Aᵀ is stored k x m: walk it row by row, each row adding into every output row.
            for (int p = 0; p < k; p++) {
                int ap = p * m;
                for (int i = 0; i < m; i++) {
                    float aip = a[ap + i];
                    int ci = i * n;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * (tb ? b[j * k + p] : b[p * n + j]);
                    }
                }
            }
        } else if (!tb && n > 1) {
            for (int i = 0; i < m; i++) {
                int ci = i * n;
                for (int p = 0; p < k; p++) {
                    float aip = a[i * k + p];
                    int bp = p * n;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            }
        } else {
            // Dot products of A's rows with B's columns (contiguous when tb, or when n = 1).
            int bStep = tb ? 1 : n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float sum = 0f;
                    int ai = i * k;
                    int bj = tb ? j * k : j;
                    for (int p = 0; p < k; p++) {
                        sum += a[ai + p] * b[bj + p * bStep];
                    }
                    c[i * n + j] = sum;
                }
            }
        }
    }

    /**
     * {@code c = op(a) @ b} for a single column b. Each element's sum is a chain of additions
     * as long as the reduction, so several are carried at once: eight rows of A, or, for Aᵀ
     * (stored k x m, each element running down a column), vectors of columns or four columns.
     */
    private static void timesVector(double[] a, boolean ta, double[] b, double[] c, int m, int k, boolean vector) {
        if (ta) {
            if (vector) {
                VectorDirect.transposedTimesVector(a, b, c, m, k, MatmulWorkspace.current().tile64());
            } else {
                columnsTimesVector(a, b, c, m, k);
            }
            return;
        }
        int i = 0;
        for (; i + 8 <= m; i += 8) {
            eightRowsTimesVector(a, b, c, i, k);
        }
        for (; i < m; i++) {
            double sum = 0.0;
            int ai = i * k;
            for (int p = 0; p < k; p++) {
                sum += a[ai + p] * b[p];
            }
            c[i] = sum;
        }
    }

    /** Rows i .. i + 7 of A times b. */
    private static void eightRowsTimesVector(double[] a, double[] b, double[] c, int i, int k) {
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        double s4 = 0.0;
        double s5 = 0.0;
        double s6 = 0.0;
        double s7 = 0.0;
        int a0 = i * k;
        for (int p = 0; p < k; p++) {
            double bp = b[p];
            int ap = a0 + p;
            s0 += a[ap] * bp;
            s1 += a[ap + k] * bp;
            s2 += a[ap + 2 * k] * bp;
            s3 += a[ap + 3 * k] * bp;
            s4 += a[ap + 4 * k] * bp;
            s5 += a[ap + 5 * k] * bp;
            s6 += a[ap + 6 * k] * bp;
            s7 += a[ap + 7 * k] * bp;
        }
        c[i] = s0;
        c[i + 1] = s1;
        c[i + 2] = s2;
        c[i + 3] = s3;
        c[i + 4] = s4;
        c[i + 5] = s5;
        c[i + 6] = s6;
        c[i + 7] = s7;
    }

    /** {@code c = Aᵀ @ b}, A stored k x m: four columns' sums at a time in registers, then one. */
    private static void columnsTimesVector(double[] a, double[] b, double[] c, int m, int k) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            double s0 = 0.0;
            double s1 = 0.0;
            double s2 = 0.0;
            double s3 = 0.0;
            for (int p = 0; p < k; p++) {
                double bp = b[p];
                int ap = p * m + i;
                s0 += a[ap] * bp;
                s1 += a[ap + 1] * bp;
                s2 += a[ap + 2] * bp;
                s3 += a[ap + 3] * bp;
            }
            c[i] = s0;
            c[i + 1] = s1;
            c[i + 2] = s2;
            c[i + 3] = s3;
        }
        for (; i < m; i++) {
            double sum = 0.0;
            for (int p = 0; p < k; p++) {
                sum += a[p * m + i] * b[p];
            }
            c[i] = sum;
        }
    }

    /** {@code c = a @ op(b)} for a single row a (A's one row is contiguous whether stored or transposed). */
    private static void vectorTimes(double[] a, double[] b, boolean tb, double[] c, int k, int n) {
        if (tb) {
            for (int j = 0; j < n; j++) {
                double sum = 0.0;
                int bj = j * k;
                for (int p = 0; p < k; p++) {
                    sum += a[p] * b[bj + p];
                }
                c[j] = sum;
            }
            return;
        }
        java.util.Arrays.fill(c, 0, n, 0.0);
        for (int p = 0; p < k; p++) {
            double ap = a[p];
            int bp = p * n;
            for (int j = 0; j < n; j++) {
                c[j] += ap * b[bp + j];
            }
        }
    }

    /**
     * {@code c = op(a) @ b} for a single column b. Each element's sum is a chain of additions
     * as long as the reduction, so several are carried at once: eight rows of A, or, for Aᵀ
     * (stored k x m, each element running down a column), vectors of columns or four columns.
     */
    private static void timesVector(float[] a, boolean ta, float[] b, float[] c, int m, int k, boolean vector) {
        if (ta) {
            if (vector) {
                VectorDirect.transposedTimesVector(a, b, c, m, k, MatmulWorkspace.current().tile32());
            } else {
                columnsTimesVector(a, b, c, m, k);
            }
            return;
        }
        int i = 0;
        for (; i + 8 <= m; i += 8) {
            eightRowsTimesVector(a, b, c, i, k);
        }
        for (; i < m; i++) {
            float sum = 0f;
            int ai = i * k;
            for (int p = 0; p < k; p++) {
                sum += a[ai + p] * b[p];
            }
            c[i] = sum;
        }
    }

    /** Rows i .. i + 7 of A times b. */
    private static void eightRowsTimesVector(float[] a, float[] b, float[] c, int i, int k) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        float s4 = 0f;
        float s5 = 0f;
        float s6 = 0f;
        float s7 = 0f;
        int a0 = i * k;
        for (int p = 0; p < k; p++) {
            float bp = b[p];
            int ap = a0 + p;
            s0 += a[ap] * bp;
            s1 += a[ap + k] * bp;
            s2 += a[ap + 2 * k] * bp;
            s3 += a[ap + 3 * k] * bp;
            s4 += a[ap + 4 * k] * bp;
            s5 += a[ap + 5 * k] * bp;
            s6 += a[ap + 6 * k] * bp;
            s7 += a[ap + 7 * k] * bp;
        }
        c[i] = s0;
        c[i + 1] = s1;
        c[i + 2] = s2;
        c[i + 3] = s3;
        c[i + 4] = s4;
        c[i + 5] = s5;
        c[i + 6] = s6;
        c[i + 7] = s7;
    }

    /** {@code c = Aᵀ @ b}, A stored k x m: four columns' sums at a time in registers, then one. */
    private static void columnsTimesVector(float[] a, float[] b, float[] c, int m, int k) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            float s0 = 0f;
            float s1 = 0f;
            float s2 = 0f;
            float s3 = 0f;
            for (int p = 0; p < k; p++) {
                float bp = b[p];
                int ap = p * m + i;
                s0 += a[ap] * bp;
                s1 += a[ap + 1] * bp;
                s2 += a[ap + 2] * bp;
                s3 += a[ap + 3] * bp;
            }
            c[i] = s0;
            c[i + 1] = s1;
            c[i + 2] = s2;
            c[i + 3] = s3;
        }
        for (; i < m; i++) {
            float sum = 0f;
            for (int p = 0; p < k; p++) {
                sum += a[p * m + i] * b[p];
            }
            c[i] = sum;
        }
    }

    /** {@code c = a @ op(b)} for a single row a (A's one row is contiguous whether stored or transposed). */
    private static void vectorTimes(float[] a, float[] b, boolean tb, float[] c, int k, int n) {
        if (tb) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                int bj = j * k;
                for (int p = 0; p < k; p++) {
                    sum += a[p] * b[bj + p];
                }
                c[j] = sum;
            }
            return;
        }
        java.util.Arrays.fill(c, 0, n, 0f);
        for (int p = 0; p < k; p++) {
            float ap = a[p];
            int bp = p * n;
            for (int j = 0; j < n; j++) {
                c[j] += ap * b[bp + j];
            }
        }
    }
}
