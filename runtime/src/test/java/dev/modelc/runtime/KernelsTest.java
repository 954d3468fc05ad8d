package dev.modelc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
