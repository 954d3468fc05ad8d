package dev.modelc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KernelsTest {
    private static final float[] SPECIAL32 = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1f, -1f,
        Float.intBitsToFloat(0x7f800001), Float.intBitsToFloat(0xff800001), Float.intBitsToFloat(0x7fffffff),
        Float.intBitsToFloat(0xffffffff)};
    private static final double[] SPECIAL64 = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
        Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 1.0,
        -1.0, Double.longBitsToDouble(0x7ff0000000000001L), Double.longBitsToDouble(0xfff0000000000001L),
        Double.longBitsToDouble(0x7fffffffffffffffL), Double.longBitsToDouble(0xffffffffffffffffL)};

    @Test
    void stepIsOneExactlyWhereTheValueIsAboveZero() {
        for (float x : SPECIAL32) {
            assertStep(x);
        }
        for (double x : SPECIAL64) {
            assertStep(x);
        }
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 1_000_000; i++) {
            assertStep(Float.intBitsToFloat(random.nextInt()));
            assertStep(Double.longBitsToDouble(random.nextLong()));
            assertStep((float) random.nextGaussian());
            assertStep(random.nextGaussian());
        }
    }

    @Test
    void erfAgreesWithItsSeriesInHighPrecision() {
        double worst = 0;
        for (double x = -6.5; x <= 6.5; x += 0.0123) {
            double exact = erfInHighPrecision(x);
            worst = Math.max(worst, Math.abs(Kernels.erf(x) - exact) / Math.max(Math.abs(exact), Double.MIN_NORMAL));
        }
        assertTrue(worst < 4e-15, "worst relative error " + worst);
        for (double x : new double[] {1e-300, 1e-8, 0.5, 0.999, 1, 2.499, 2.5, 5.999, 6}) {
            assertEquals(-Kernels.erf(x), Kernels.erf(-x), "odd at " + x);
        }
        assertEquals(1.0, Kernels.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, Kernels.erf(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(Kernels.erf(Double.NaN)));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Kernels.erf(-0.0)));
        assertEquals((float) Kernels.erf(0.75), Kernels.erf(0.75f));
    }

    /** 2/√π Σ (-1)^n x^(2n+1) / (n! (2n + 1)), summed to 60 digits, far beyond its cancellation. */
    private static double erfInHighPrecision(double x) {
        MathContext context = new MathContext(60);
        BigDecimal bx = new BigDecimal(x);
        BigDecimal x2 = bx.multiply(bx, context);
        BigDecimal power = bx;
        BigDecimal sum = bx;
        for (int n = 1; n < 5000; n++) {
            power = power.multiply(x2, context).negate().divide(BigDecimal.valueOf(n), context);
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), context);
            sum = sum.add(term, context);
            if (term.abs().compareTo(BigDecimal.ONE.movePointLeft(45)) < 0) {
                break;
            }
        }
        BigDecimal twoOverSqrtPi = BigDecimal.valueOf(2).divide(new BigDecimal(
                "3.14159265358979323846264338327950288419716939937510582097494459").sqrt(context), context);
        return sum.multiply(twoOverSqrtPi, context).doubleValue();
    }

    private static void assertStep(float x) {
        float expected = x > 0 ? 1f : 0f;
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(Kernels.step(x)),
                () -> "step(" + x + ") with bits " + Integer.toHexString(Float.floatToRawIntBits(x)));
    }

    private static void assertStep(double x) {
        double expected = x > 0 ? 1.0 : 0.0;
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(Kernels.step(x)),
                () -> "step(" + x + ") with bits " + Long.toHexString(Double.doubleToRawLongBits(x)));
    }
}
