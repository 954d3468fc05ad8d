package dev.modelc.runtime;

/**
 * Register tiles of 4 x 4 in plain Java, for JDKs run without the Vector API: sixteen
 * accumulators in locals, so each loaded element of A and B is used four times. Each element
 * is a sum over the reduction index in order, as the textbook loop computes it.
 */
final class ScalarTiles {
    static final int MR = 4;
    static final int NR = 4;

    private ScalarTiles() {
    }

    /** {@code C[4 x 4] (+)= A sliver @ B sliver}; adds to C when {@code accumulate}, else overwrites it. */
    static void tile(float[] a, int ao, float[] b, int bo, int kc, float[] c, int co, int ldc, boolean accumulate) {
        float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f;
        float c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f;
        float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f;
        float c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f;
        if (accumulate) {
            c00 = c[co]; c01 = c[co + 1]; c02 = c[co + 2]; c03 = c[co + 3];
            c10 = c[co + ldc]; c11 = c[co + ldc + 1]; c12 = c[co + ldc + 2]; c13 = c[co + ldc + 3];
            int r2 = co + 2 * ldc;
            c20 = c[r2]; c21 = c[r2 + 1]; c22 = c[r2 + 2]; c23 = c[r2 + 3];
            int r3 = co + 3 * ldc;
            c30 = c[r3]; c31 = c[r3 + 1]; c32 = c[r3 + 2]; c33 = c[r3 + 3];
        }
        for (int p = 0; p < kc; p++, ao += MR, bo += NR) {
            float b0 = b[bo], b1 = b[bo + 1], b2 = b[bo + 2], b3 = b[bo + 3];
            float x = a[ao];
            c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3;
            x = a[ao + 1];
            c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3;
            x = a[ao + 2];
            c20 += x * b0; c21 += x * b1; c22 += x * b2; c23 += x * b3;
            x = a[ao + 3];
            c30 += x * b0; c31 += x * b1; c32 += x * b2; c33 += x * b3;
        }
        c[co] = c00; c[co + 1] = c01; c[co + 2] = c02; c[co + 3] = c03;
        c[co + ldc] = c10; c[co + ldc + 1] = c11; c[co + ldc + 2] = c12; c[co + ldc + 3] = c13;
        int r2 = co + 2 * ldc;
        c[r2] = c20; c[r2 + 1] = c21; c[r2 + 2] = c22; c[r2 + 3] = c23;
        int r3 = co + 3 * ldc;
        c[r3] = c30; c[r3 + 1] = c31; c[r3 + 2] = c32; c[r3 + 3] = c33;
    }

    /** {@link #tile(float[], int, float[], int, int, float[], int, int, boolean)} in double. */
    static void tile(double[] a, int ao, double[] b, int bo, int kc, double[] c, int co, int ldc,
                     boolean accumulate) {
        double c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        double c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        double c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        double c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        if (accumulate) {
            c00 = c[co]; c01 = c[co + 1]; c02 = c[co + 2]; c03 = c[co + 3];
            c10 = c[co + ldc]; c11 = c[co + ldc + 1]; c12 = c[co + ldc + 2]; c13 = c[co + ldc + 3];
            int r2 = co + 2 * ldc;
            c20 = c[r2]; c21 = c[r2 + 1]; c22 = c[r2 + 2]; c23 = c[r2 + 3];
            int r3 = co + 3 * ldc;
            c30 = c[r3]; c31 = c[r3 + 1]; c32 = c[r3 + 2]; c33 = c[r3 + 3];
        }
        for (int p = 0; p < kc; p++, ao += MR, bo += NR) {
            double b0 = b[bo], b1 = b[bo + 1], b2 = b[bo + 2], b3 = b[bo + 3];
            double x = a[ao];
            c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3;
            x = a[ao + 1];
            c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3;
            x = a[ao + 2];
            c20 += x * b0; c21 += x * b1; c22 += x * b2; c23 += x * b3;
            x = a[ao + 3];
            c30 += x * b0; c31 += x * b1; c32 += x * b2; c33 += x * b3;
        }
        c[co] = c00; c[co + 1] = c01; c[co + 2] = c02; c[co + 3] = c03;
        c[co + ldc] = c10; c[co + ldc + 1] = c11; c[co + ldc + 2] = c12; c[co + ldc + 3] = c13;
        int r2 = co + 2 * ldc;
        c[r2] = c20; c[r2 + 1] = c21; c[r2 + 2] = c22; c[r2 + 3] = c23;
        int r3 = co + 3 * ldc;
        c[r3] = c30; c[r3 + 1] = c31; c[r3 + 2] = c32; c[r3 + 3] = c33;
    }
}
