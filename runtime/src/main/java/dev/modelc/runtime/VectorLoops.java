package dev.modelc.runtime;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector loops of {@link Kernels}' training loops: the ReLU mask, the sums down the rows, a
 * bias's and a single-column weight's gradients together, and SGD's momentum update. Each lane
 * does the scalar loop's operations in its order (no fused multiply-add where the scalar code
 * rounds twice), so the bits are the scalar loop's.
 */
final class VectorLoops {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int FL = F.length();
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int DL = D.length();

    private VectorLoops() {
    }

    /** See {@link Kernels#maskByStep(float[], float[], float[], int)}. */
    static int maskByStep(float[] out, float[] g, float[] x, int count) {
        int whole = count - count % FL;
        FloatVector zero = FloatVector.zero(F);
        for (int i = 0; i < whole; i += FL) {
            FloatVector step = zero.blend(1, FloatVector.fromArray(F, x, i).compare(VectorOperators.GT, 0));
            FloatVector.fromArray(F, g, i).mul(step).intoArray(out, i);
        }
        return whole;
    }

    /** See {@link Kernels#maskByStep(double[], double[], double[], int)}. */
    static int maskByStep(double[] out, double[] g, double[] x, int count) {
        int whole = count - count % DL;
        DoubleVector zero = DoubleVector.zero(D);
        for (int i = 0; i < whole; i += DL) {
            DoubleVector step = zero.blend(1, DoubleVector.fromArray(D, x, i).compare(VectorOperators.GT, 0));
            DoubleVector.fromArray(D, g, i).mul(step).intoArray(out, i);
        }
        return whole;
    }

    /** The whole vectors of columns of {@link Kernels#sumRows(float[], float[], int, int)}; returns the columns done. */
    static int sumRows(float[] sum, float[] c, int rows, int n) {
        int whole = n - n % FL;
        for (int j = 0; j < whole; j += FL) {
            FloatVector s = FloatVector.zero(F);
            for (int i = 0; i < rows; i++) {
                s = s.add(FloatVector.fromArray(F, c, i * n + j));
            }
            s.intoArray(sum, j);
        }
        return whole;
    }

    /** The whole vectors of columns of {@link Kernels#sumRows(double[], double[], int, int)}; returns the columns done. */
    static int sumRows(double[] sum, double[] c, int rows, int n) {
        int whole = n - n % DL;
        for (int j = 0; j < whole; j += DL) {
            DoubleVector s = DoubleVector.zero(D);
            for (int i = 0; i < rows; i++) {
                s = s.add(DoubleVector.fromArray(D, c, i * n + j));
            }
            s.intoArray(sum, j);
        }
        return whole;
    }

    /** See {@link Kernels#momentumStep(float[], float[], float[], float, float, int)}; returns the elements done. */
    static int momentumStep(float[] param, float[] buffer, float[] g, float momentum, float rate, int count) {
        int whole = count - count % FL;
        for (int i = 0; i < whole; i += FL) {
            FloatVector b = FloatVector.fromArray(F, buffer, i).mul(momentum).add(FloatVector.fromArray(F, g, i));
            b.intoArray(buffer, i);
            FloatVector.fromArray(F, param, i).sub(b.mul(rate)).intoArray(param, i);
        }
        return whole;
    }

    /** See {@link Kernels#momentumStep(double[], double[], double[], double, double, int)}; returns the elements done. */
    static int momentumStep(double[] param, double[] buffer, double[] g, double momentum, double rate, int count) {
        int whole = count - count % DL;
        for (int i = 0; i < whole; i += DL) {
            DoubleVector b = DoubleVector.fromArray(D, buffer, i).mul(momentum).add(DoubleVector.fromArray(D, g, i));
            b.intoArray(buffer, i);
            DoubleVector.fromArray(D, param, i).sub(b.mul(rate)).intoArray(param, i);
        }
        return whole;
    }

    /**
     * The rows of {@link Kernels#biasAndWeightGradient} whose vectors lie inside x, for k up to
     * two vectors, from the first: returns the rows done (0 if none), with the sums so far in
     * dW and {@code db[0]}. A row's share of dW is a vector multiply and add (lanes past k
     * computed and dropped), the bias's sum a scalar addition beside it. The column sums are
     * stored in {@code state} (two vectors) at every row: the JIT of JDK 17 does not always know
     * the class of a vector that leaves a loop, and then stores it through an object allocated on
     * every call; the stores are off the chains of additions.
     */
    static int biasAndWeightGradient(float[] dY, float[] x, int rows, int k, float[] db, float[] dW, float[] state) {
        int span = (k <= FL ? 1 : 2) * FL;
        // Row i reads x[i * k, i * k + span).
        int end = k > span || x.length < span || state.length < 2 * FL ? 0 : Math.min(rows, (x.length - span) / k + 1);
        if (end <= 0) {
            return 0;
        }
        FloatVector zero = FloatVector.zero(F);
        zero.intoArray(state, 0);
        zero.intoArray(state, FL);
        db[0] = span == FL ? oneVectorDown(dY, x, end, k, state) : twoVectorsDown(dY, x, end, k, state);
        System.arraycopy(state, 0, dW, 0, k);
        return end;
    }

    private static float oneVectorDown(float[] dY, float[] x, int rows, int k, float[] state) {
        FloatVector s0 = FloatVector.zero(F);
        float sb = 0.0f;
        for (int i = 0; i < rows; i++) {
            float d = dY[i];
            sb = sb + d;
            s0 = s0.add(FloatVector.fromArray(F, x, i * k).mul(d));
            s0.intoArray(state, 0);
        }
        return sb;
    }

    private static float twoVectorsDown(float[] dY, float[] x, int rows, int k, float[] state) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = FloatVector.zero(F);
        float sb = 0.0f;
        for (int i = 0; i < rows; i++) {
            float d = dY[i];
            int row = i * k;
            sb = sb + d;
            s0 = s0.add(FloatVector.fromArray(F, x, row).mul(d));
            s1 = s1.add(FloatVector.fromArray(F, x, row + FL).mul(d));
            s0.intoArray(state, 0);
            s1.intoArray(state, FL);
        }
        return sb;
    }
}
