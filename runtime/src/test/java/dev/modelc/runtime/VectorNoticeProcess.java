package dev.modelc.runtime;

/** The program {@link VectorNoticeTest} starts: several products of both types and sizes, then {@code done}. */
final class VectorNoticeProcess {
    private VectorNoticeProcess() {
    }

    public static void main(String[] args) {
        for (int n : new int[] {3, 40, 200}) {
            double[] a = new double[n * n];
            java.util.Arrays.fill(a, 1.0);
            double[] c = new double[n * n];
            Matmul.multiply(a, false, a, true, c, n, n, n);
            float[] af = new float[n * n];
            java.util.Arrays.fill(af, 1f);
            float[] cf = new float[n * n];
            Matmul.multiply(af, false, af, false, cf, n, n, n);
            if (c[0] != n || cf[n * n - 1] != n) {
                throw new AssertionError("wrong product: " + c[0] + ", " + cf[n * n - 1]);
            }
        }
        System.out.println("done, vectorized " + Matmul.vectorized());
    }
}
