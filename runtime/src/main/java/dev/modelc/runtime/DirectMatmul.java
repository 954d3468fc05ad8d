package dev.modelc.runtime;

/**
 * Matrix products in plain loops, for shapes too thin to pay for packing: a single row or
 * column, or a handful of multiply-adds. Each element is a sum over the reduction index in
 * order. Loop orders keep the innermost loop on contiguous memory where the form allows.
 */
final class DirectMatmul {
    private DirectMatmul() {
    }

    /**
     * @param a m x k, or k x m when {@code ta}
     * @param b k x n, or n x k when {@code tb}
     */
    static void multiply(double[] a, boolean ta, double[] b, boolean tb, double[] c, int m, int k, int n) {
        if (n == 1) {
            timesVector(a, ta, b, c, m, k);
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
    static void multiply(float[] a, boolean ta, float[] b, boolean tb, float[] c, int m, int k, int n) {
        if (n == 1) {
            timesVector(a, ta, b, c, m, k);
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

    /** {@code c = op(a) @ b} for a single column b: row dot products, or Aᵀ's rows added in turn. */
    private static void timesVector(double[] a, boolean ta, double[] b, double[] c, int m, int k) {
        if (ta) {
            java.util.Arrays.fill(c, 0, m, 0.0);
            for (int p = 0; p < k; p++) {
                double bp = b[p];
                int ap = p * m;
                for (int i = 0; i < m; i++) {
                    c[i] += a[ap + i] * bp;
                }
            }
            return;
        }
        int i = 0;
        // Four rows at once: four independent sums keep the adder busy.
        for (; i + 4 <= m; i += 4) {
            double s0 = 0.0;
            double s1 = 0.0;
            double s2 = 0.0;
            double s3 = 0.0;
            int a0 = i * k;
            for (int p = 0; p < k; p++) {
                double bp = b[p];
                s0 += a[a0 + p] * bp;
                s1 += a[a0 + k + p] * bp;
                s2 += a[a0 + 2 * k + p] * bp;
                s3 += a[a0 + 3 * k + p] * bp;
            }
            c[i] = s0;
            c[i + 1] = s1;
            c[i + 2] = s2;
            c[i + 3] = s3;
        }
        for (; i < m; i++) {
            double sum = 0.0;
            for (int p = 0; p < k; p++) {
                sum += a[i * k + p] * b[p];
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

    /** {@code c = op(a) @ b} for a single column b: row dot products, or Aᵀ's rows added in turn. */
    private static void timesVector(float[] a, boolean ta, float[] b, float[] c, int m, int k) {
        if (ta) {
            java.util.Arrays.fill(c, 0, m, 0f);
            for (int p = 0; p < k; p++) {
                float bp = b[p];
                int ap = p * m;
                for (int i = 0; i < m; i++) {
                    c[i] += a[ap + i] * bp;
                }
            }
            return;
        }
        int i = 0;
        // Four rows at once: four independent sums keep the adder busy.
        for (; i + 4 <= m; i += 4) {
            float s0 = 0f;
            float s1 = 0f;
            float s2 = 0f;
            float s3 = 0f;
            int a0 = i * k;
            for (int p = 0; p < k; p++) {
                float bp = b[p];
                s0 += a[a0 + p] * bp;
                s1 += a[a0 + k + p] * bp;
                s2 += a[a0 + 2 * k + p] * bp;
                s3 += a[a0 + 3 * k + p] * bp;
            }
            c[i] = s0;
            c[i + 1] = s1;
            c[i + 2] = s2;
            c[i + 3] = s3;
        }
        for (; i < m; i++) {
            float sum = 0f;
            for (int p = 0; p < k; p++) {
                sum += a[i * k + p] * b[p];
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
