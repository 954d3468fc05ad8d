package dev.modelc.runtime;

/**
 * Random operands of one product, stored as its form asks (A or Aᵀ, B or Bᵀ), with textbook
 * products to compare {@link Matmul} against.
 */
final class Operands {
    final int m;
    final int k;
    final int n;
    final boolean ta;
    final boolean tb;
    /** A as m x k and B as k x n, whatever the storage. */
    private final double[] plainA;
    private final double[] plainB;
    private final double[] storedA;
    private final double[] storedB;

    /** {@code form} bit 0 transposes A, bit 1 transposes B. */
    Operands(int m, int k, int n, int form, long seed) {
        this.m = m;
        this.k = k;
        this.n = n;
        this.ta = (form & 1) != 0;
        this.tb = (form & 2) != 0;
        Rng rng = new Rng(seed);
        plainA = new double[m * k];
        plainB = new double[k * n];
        for (int i = 0; i < plainA.length; i++) {
            plainA[i] = (float) rng.uniform(-1, 1);
        }
        for (int i = 0; i < plainB.length; i++) {
            plainB[i] = (float) rng.uniform(-1, 1);
        }
        storedA = ta ? transpose(plainA, m, k) : plainA;
        storedB = tb ? transpose(plainB, k, n) : plainB;
    }

    double a(int i, int p) {
        return plainA[i * k + p];
    }

    double b(int p, int j) {
        return plainB[p * n + j];
    }

    /** The exact product of the (float-representable) operands, up to double rounding. */
    double[] reference() {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += a(i, p) * b(p, j);
                }
                c[i * n + j] = sum;
            }
        }
        return c;
    }

    /** Per element, the sum of the magnitudes of its terms: the scale of its rounding error. */
    double[] errorScale() {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += Math.abs(a(i, p) * b(p, j));
                }
                c[i * n + j] = sum;
            }
        }
        return c;
    }

    /** Each element summed in order in float, by fused multiply-adds or by rounded products and sums. */
    float[] inOrder32(boolean fused) {
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    float x = (float) a(i, p);
                    float y = (float) b(p, j);
                    sum = fused ? Math.fma(x, y, sum) : sum + x * y;
                }
                c[i * n + j] = sum;
            }
        }
        return c;
    }

    /** {@link #inOrder32} in double. */
    double[] inOrder64(boolean fused) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum = fused ? Math.fma(a(i, p), b(p, j), sum) : sum + a(i, p) * b(p, j);
                }
                c[i * n + j] = sum;
            }
        }
        return c;
    }

    float[] product32() {
        float[] c = new float[m * n];
        Matmul.multiply(toFloat(storedA), ta, toFloat(storedB), tb, c, m, k, n);
        return c;
    }

    double[] product64() {
        double[] c = new double[m * n];
        Matmul.multiply(storedA.clone(), ta, storedB.clone(), tb, c, m, k, n);
        return c;
    }

    private static double[] transpose(double[] x, int rows, int cols) {
        double[] t = new double[x.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = x[r * cols + c];
            }
        }
        return t;
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    @Override
    public String toString() {
        return (ta ? "Aᵀ" : "A") + "[" + m + "x" + k + "] @ " + (tb ? "Bᵀ" : "B") + "[" + k + "x" + n + "]";
    }
}
