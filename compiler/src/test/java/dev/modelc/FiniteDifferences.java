package dev.modelc;

import java.util.ArrayList;
import java.util.List;

/**
 * Central finite differences of a {@link ScalarExpr} in double, with an estimate of their
 * own truncation error, so that a case where they cannot be trusted is set aside rather than
 * blamed on the compiler.
 */
final class FiniteDifferences {
    static final double STEP = 1e-5;

    private FiniteDifferences() {
    }

    /**
     * The derivative along coordinate {@code i}, with step h and with 2h. Truncation error
     * grows as h², so their difference is about three times the error of the first.
     */
    record Estimate(double derivative, double withDoubleStep) {
        boolean isTrustworthy(double tolerance) {
            return Double.isFinite(derivative) && Double.isFinite(withDoubleStep)
                    && Math.abs(withDoubleStep - derivative) <= 0.3 * tolerance;
        }
    }

    static Estimate derivative(ScalarExpr f, double[] point, int i) {
        return new Estimate(central(f, point, i, STEP), central(f, point, i, 2 * STEP));
    }

    /** Every point the estimates evaluate {@code f} at: steps of h and 2h along each coordinate. */
    static List<double[]> probes(double[] point) {
        List<double[]> probes = new ArrayList<>();
        for (int i = 0; i < point.length; i++) {
            for (double offset : new double[] {-2 * STEP, -STEP, STEP, 2 * STEP}) {
                probes.add(shifted(point, i, offset));
            }
        }
        return probes;
    }

    private static double central(ScalarExpr f, double[] point, int i, double h) {
        return (f.eval(shifted(point, i, h)) - f.eval(shifted(point, i, -h))) / (2 * h);
    }

    private static double[] shifted(double[] point, int i, double offset) {
        double[] copy = point.clone();
        copy[i] += offset;
        return copy;
    }
}
