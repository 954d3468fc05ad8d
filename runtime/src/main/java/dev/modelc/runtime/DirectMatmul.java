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
}
