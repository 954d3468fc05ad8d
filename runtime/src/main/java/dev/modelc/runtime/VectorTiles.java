package dev.modelc.runtime;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register tiles of {@link #MR} rows by two vectors of columns, in the Vector API: ten or
 * twelve accumulators, two vectors of B and one broadcast of A, which fits the sixteen
 * registers of AVX2. Only loaded when the {@code jdk.incubator.vector} module is present (see {@link Matmul}).
 *
 * <p>Each element is a chain of fused multiply-adds over the reduction index in order, started
 * from zero or from the value already in C, so a product cut into reduction blocks, or into
 * parts for threads, gives the same bits as one made whole.
 */
final class VectorTiles {
    /**
     * Rows of a tile. Six rows keep fifteen of AVX2's sixteen vector registers live, which
     * JDK 17's JIT runs at 86 GFLOP/s on one Zen 3 core (five rows: 84); JDK 25's runs six
     * rows at 41 and five at 98, so JDKs after 17 get five. The system property
     * {@code modelc.tileRows} (5 or 6) overrides the choice, so that tests run both.
     */
    static final int MR = tileRows(Integer.getInteger("modelc.tileRows", Runtime.version().feature() <= 17 ? 6 : 5));
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int FL = F.length();
    private static final int DL = D.length();
    /** Columns of a float tile. */
    static final int NR_F32 = 2 * FL;
    /** Columns of a double tile. */
    static final int NR_F64 = 2 * DL;

    private VectorTiles() {
    }

    private static int tileRows(int rows) {
        if (rows != 5 && rows != 6) {
            throw new IllegalArgumentException("modelc.tileRows must be 5 or 6, got " + rows);
        }
        return rows;
    }

    /**
     * {@code C[MR x NR] (+)= A sliver @ B sliver} over {@code kc} reduction steps; adds to C's
     * values when {@code accumulate}, else overwrites them.
     */
    static void tile(float[] a, int ao, float[] b, int bo, int kc, float[] c, int co, int ldc, boolean accumulate) {
        if (MR == 6) {
            sixRows(a, ao, b, bo, kc, c, co, ldc, accumulate);
        } else {
            fiveRows(a, ao, b, bo, kc, c, co, ldc, accumulate);
        }
    }

    private static void sixRows(float[] a, int ao, float[] b, int bo, int kc, float[] c, int co, int ldc,
                                boolean accumulate) {
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
        if (accumulate) {
            c00 = FloatVector.fromArray(F, c, co);
            c01 = FloatVector.fromArray(F, c, co + FL);
            c10 = FloatVector.fromArray(F, c, co + ldc);
            c11 = FloatVector.fromArray(F, c, co + ldc + FL);
            c20 = FloatVector.fromArray(F, c, co + 2 * ldc);
            c21 = FloatVector.fromArray(F, c, co + 2 * ldc + FL);
            c30 = FloatVector.fromArray(F, c, co + 3 * ldc);
            c31 = FloatVector.fromArray(F, c, co + 3 * ldc + FL);
            c40 = FloatVector.fromArray(F, c, co + 4 * ldc);
            c41 = FloatVector.fromArray(F, c, co + 4 * ldc + FL);
            c50 = FloatVector.fromArray(F, c, co + 5 * ldc);
            c51 = FloatVector.fromArray(F, c, co + 5 * ldc + FL);
        } else {
            c00 = FloatVector.zero(F);
            c01 = c00;
            c10 = c00;
            c11 = c00;
            c20 = c00;
            c21 = c00;
            c30 = c00;
            c31 = c00;
            c40 = c00;
            c41 = c00;
            c50 = c00;
            c51 = c00;
        }
        for (int p = 0; p < kc; p++) {
            // Indices as functions of p, so that the JIT can hoist their bounds checks out of the loop.
            int ai = ao + p * 6;
            int bi = bo + p * (2 * FL);
            FloatVector b0 = FloatVector.fromArray(F, b, bi);
            FloatVector b1 = FloatVector.fromArray(F, b, bi + FL);
            FloatVector x = FloatVector.broadcast(F, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(F, a[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(F, a[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(F, a[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(F, a[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(F, a[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + FL);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + FL);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + FL);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + FL);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + FL);
        c50.intoArray(c, co + 5 * ldc);
        c51.intoArray(c, co + 5 * ldc + FL);
    }

    private static void fiveRows(float[] a, int ao, float[] b, int bo, int kc, float[] c, int co, int ldc,
                                 boolean accumulate) {
        if (!accumulate) {
            // Zeros stored and loaded back, rather than every accumulator starting as one zero
            // vector: JDK 25's JIT runs the loop at a third of its speed in that case.
            FloatVector zero = FloatVector.zero(F);
            for (int r = 0; r < 5; r++) {
                zero.intoArray(c, co + r * ldc);
                zero.intoArray(c, co + r * ldc + FL);
            }
        }
        FloatVector c00 = FloatVector.fromArray(F, c, co);
        FloatVector c01 = FloatVector.fromArray(F, c, co + FL);
        FloatVector c10 = FloatVector.fromArray(F, c, co + ldc);
        FloatVector c11 = FloatVector.fromArray(F, c, co + ldc + FL);
        FloatVector c20 = FloatVector.fromArray(F, c, co + 2 * ldc);
        FloatVector c21 = FloatVector.fromArray(F, c, co + 2 * ldc + FL);
        FloatVector c30 = FloatVector.fromArray(F, c, co + 3 * ldc);
        FloatVector c31 = FloatVector.fromArray(F, c, co + 3 * ldc + FL);
        FloatVector c40 = FloatVector.fromArray(F, c, co + 4 * ldc);
        FloatVector c41 = FloatVector.fromArray(F, c, co + 4 * ldc + FL);
        for (int p = 0; p < kc; p++) {
            int ai = ao + p * 5;
            int bi = bo + p * (2 * FL);
            FloatVector b0 = FloatVector.fromArray(F, b, bi);
            FloatVector b1 = FloatVector.fromArray(F, b, bi + FL);
            FloatVector x = FloatVector.broadcast(F, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(F, a[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(F, a[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(F, a[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(F, a[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + FL);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + FL);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + FL);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + FL);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + FL);
    }

    /** {@link #tile(float[], int, float[], int, int, float[], int, int, boolean)} in double. */
    static void tile(double[] a, int ao, double[] b, int bo, int kc, double[] c, int co, int ldc,
                     boolean accumulate) {
        if (MR == 6) {
            sixRows(a, ao, b, bo, kc, c, co, ldc, accumulate);
        } else {
            fiveRows(a, ao, b, bo, kc, c, co, ldc, accumulate);
        }
    }

    private static void sixRows(double[] a, int ao, double[] b, int bo, int kc, double[] c, int co, int ldc,
                                boolean accumulate) {
        DoubleVector c00;
        DoubleVector c01;
        DoubleVector c10;
        DoubleVector c11;
        DoubleVector c20;
        DoubleVector c21;
        DoubleVector c30;
        DoubleVector c31;
        DoubleVector c40;
        DoubleVector c41;
        DoubleVector c50;
        DoubleVector c51;
        if (accumulate) {
            c00 = DoubleVector.fromArray(D, c, co);
            c01 = DoubleVector.fromArray(D, c, co + DL);
            c10 = DoubleVector.fromArray(D, c, co + ldc);
            c11 = DoubleVector.fromArray(D, c, co + ldc + DL);
            c20 = DoubleVector.fromArray(D, c, co + 2 * ldc);
            c21 = DoubleVector.fromArray(D, c, co + 2 * ldc + DL);
            c30 = DoubleVector.fromArray(D, c, co + 3 * ldc);
            c31 = DoubleVector.fromArray(D, c, co + 3 * ldc + DL);
            c40 = DoubleVector.fromArray(D, c, co + 4 * ldc);
            c41 = DoubleVector.fromArray(D, c, co + 4 * ldc + DL);
            c50 = DoubleVector.fromArray(D, c, co + 5 * ldc);
            c51 = DoubleVector.fromArray(D, c, co + 5 * ldc + DL);
        } else {
            c00 = DoubleVector.zero(D);
            c01 = c00;
            c10 = c00;
            c11 = c00;
            c20 = c00;
            c21 = c00;
            c30 = c00;
            c31 = c00;
            c40 = c00;
            c41 = c00;
            c50 = c00;
            c51 = c00;
        }
        for (int p = 0; p < kc; p++) {
            // Indices as functions of p, so that the JIT can hoist their bounds checks out of the loop.
            int ai = ao + p * 6;
            int bi = bo + p * (2 * DL);
            DoubleVector b0 = DoubleVector.fromArray(D, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(D, b, bi + DL);
            DoubleVector x = DoubleVector.broadcast(D, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(D, a[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(D, a[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(D, a[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(D, a[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(D, a[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + DL);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + DL);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + DL);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + DL);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + DL);
        c50.intoArray(c, co + 5 * ldc);
        c51.intoArray(c, co + 5 * ldc + DL);
    }

    private static void fiveRows(double[] a, int ao, double[] b, int bo, int kc, double[] c, int co, int ldc,
                                 boolean accumulate) {
        if (!accumulate) {
            // Zeros stored and loaded back, rather than every accumulator starting as one zero
            // vector: JDK 25's JIT runs the loop at a third of its speed in that case.
            DoubleVector zero = DoubleVector.zero(D);
            for (int r = 0; r < 5; r++) {
                zero.intoArray(c, co + r * ldc);
                zero.intoArray(c, co + r * ldc + DL);
            }
        }
        DoubleVector c00 = DoubleVector.fromArray(D, c, co);
        DoubleVector c01 = DoubleVector.fromArray(D, c, co + DL);
        DoubleVector c10 = DoubleVector.fromArray(D, c, co + ldc);
        DoubleVector c11 = DoubleVector.fromArray(D, c, co + ldc + DL);
        DoubleVector c20 = DoubleVector.fromArray(D, c, co + 2 * ldc);
        DoubleVector c21 = DoubleVector.fromArray(D, c, co + 2 * ldc + DL);
        DoubleVector c30 = DoubleVector.fromArray(D, c, co + 3 * ldc);
        DoubleVector c31 = DoubleVector.fromArray(D, c, co + 3 * ldc + DL);
        DoubleVector c40 = DoubleVector.fromArray(D, c, co + 4 * ldc);
        DoubleVector c41 = DoubleVector.fromArray(D, c, co + 4 * ldc + DL);
        for (int p = 0; p < kc; p++) {
            int ai = ao + p * 5;
            int bi = bo + p * (2 * DL);
            DoubleVector b0 = DoubleVector.fromArray(D, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(D, b, bi + DL);
            DoubleVector x = DoubleVector.broadcast(D, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(D, a[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(D, a[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(D, a[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(D, a[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + DL);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + DL);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + DL);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + DL);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + DL);
    }
}
