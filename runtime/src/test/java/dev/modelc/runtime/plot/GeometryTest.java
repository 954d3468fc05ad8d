package dev.modelc.runtime.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The arithmetic under the pictures: contour lines, ticks, thinning. */
class GeometryTest {
    @Test
    void contoursOfTheUnitCircleLieOnIt() {
        int n = 41;
        double[] axis = new double[n];
        for (int i = 0; i < n; i++) {
            axis[i] = -2 + 4.0 * i / (n - 1);
        }
        double[][] values = new double[n][n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                values[j][i] = axis[i] * axis[i] + axis[j] * axis[j];
            }
        }
        double[] segments = Contours.segments(axis, axis, values, 1.0);
        assertTrue(segments.length / 4 > 40, "a closed curve of many segments");
        double length = 0;
        for (int k = 0; k < segments.length; k += 2) {
            double radius = Math.hypot(segments[k], segments[k + 1]);
            assertEquals(1, radius, 0.01, "a crossing on a cell edge, interpolated linearly");
        }
        for (int k = 0; k < segments.length; k += 4) {
            length += Math.hypot(segments[k + 2] - segments[k], segments[k + 3] - segments[k + 1]);
        }
        assertEquals(2 * Math.PI, length, 0.02, "the pieces add up to the circumference");
    }

    @Test
    void ticksAreRound() {
        Scale linear = new Scale(0, 17, false, 0, 100);
        assertEquals(List.of(0.0, 5.0, 10.0, 15.0), linear.ticks());
        assertEquals("15", linear.label(15));
        Scale small = new Scale(-0.33, 0.41, false, 0, 100);
        assertEquals(List.of(-0.2, 0.0, 0.2, 0.4), small.ticks().stream().map(t -> Math.round(t * 10) / 10.0)
                .toList());
        Scale log = new Scale(0.003, 40, true, 100, 0);
        assertEquals(List.of(0.01, 0.1, 1.0, 10.0), log.ticks());
        assertEquals("0.01", log.label(0.01));
        assertEquals("1e-5", log.label(1e-5));
        assertEquals("1e6", log.label(1e6));
        assertEquals(100, log.pixel(0.003), 1e-9);
        assertEquals(0, log.pixel(40), 1e-9);
        assertEquals(5.0, Scale.niceStep(3.1));
        assertEquals(0.2, Scale.niceStep(0.15), 1e-15);
    }

    @Test
    void thinningKeepsTheExtremesOfEachColumn() {
        double[] xs = {0.1, 0.2, 0.3, 0.4, 1.5, 2.5, 2.6};
        double[] ys = {5, 9, 1, 4, 7, 3, 8};
        int kept = Decimation.byColumn(xs, ys, xs.length);
        assertEquals(7, kept, "column 0 keeps first, highest, lowest, last: all four of its points");
        double[] xs2 = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 1.5};
        double[] ys2 = {5, 9, 6, 1, 4, 3, 7};
        int kept2 = Decimation.byColumn(xs2, ys2, xs2.length);
        assertEquals(5, kept2);
        assertEquals(List.of(5.0, 9.0, 1.0, 3.0, 7.0), java.util.Arrays.stream(ys2, 0, kept2).boxed().toList());
    }
}
