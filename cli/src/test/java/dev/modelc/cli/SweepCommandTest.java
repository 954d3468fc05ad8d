package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modelc sweep} on the seed example. With rate lr, x is multiplied by 1 - 2 lr and y by
 * 1 - 4 lr each update: 0.5 leaves y flipping between -3 and 3, and 1.0 multiplies y by -3, so
 * the loss grows without bound.
 */
class SweepCommandTest {
    @TempDir
    Path temp;

    @Test
    void eachRateEndsAsTheClosedFormSays() throws Exception {
        Path png = temp.resolve("lr.png");
        CommandLineRun run = CommandLineRun.of("sweep", CommandLineRun.quadratic(), "--lr", "0.01,0.1,0.5,1.0",
                "--plot", png.toString());
        assertEquals(0, run.exitCode(), "a diverging rate is a finding, not a failure: " + run.transcript());
        List<String> lines = run.outLines();
        assertEquals("sweeping Quadratic (quadratic.model, f64): gd, 4 learning rates, at most 100 updates each",
                lines.get(0));
        assertEquals(List.of("0.01", "100", sixDecimals(loss(0.01, 100)), "max_steps", "reached"), cells(lines.get(2)));
        assertEquals(List.of("0.1", "17", "0.004564", "stopped:", "J", "<", "0.005"), cells(lines.get(3)));
        assertEquals(List.of("0.5", "100", "18.000000", "max_steps", "reached"), cells(lines.get(4)));
        List<String> diverged = cells(lines.get(5));
        assertEquals(List.of("1.0", "100"), diverged.subList(0, 2));
        // Three significant digits in scientific notation: 4.78e+96.
        assertTrue(diverged.get(2).matches("\\d\\.\\d{2}e\\+96"), diverged.get(2));
        assertEquals(loss(1.0, 100), Double.parseDouble(diverged.get(2)), loss(1.0, 100) * 6e-3);
        assertTrue(lines.get(5).contains("diverged: the loss grew from 27.000000 to "), lines.get(5));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(800, image.getWidth());
        assertEquals(500, image.getHeight());
    }

    @Test
    void ratesMustBePositive() {
        CommandLineRun run = CommandLineRun.of("sweep", CommandLineRun.quadratic(), "--lr", "0.1,-2");
        assertEquals(2, run.exitCode());
        assertEquals("modelc: error: --lr takes positive numbers, got -2.0", run.errLines().get(0));
    }

    /** J after n updates at rate lr: x = -3 (1 - 2 lr)^n, y = -3 (1 - 4 lr)^n. */
    private static double loss(double lr, int n) {
        double x = -3 * Math.pow(1 - 2 * lr, n);
        double y = -3 * Math.pow(1 - 4 * lr, n);
        return x * x + 2 * y * y;
    }

    private static String sixDecimals(double value) {
        return String.format(Locale.ROOT, "%.6f", value);
    }

    private static List<String> cells(String line) {
        return List.of(line.trim().split("\\s+"));
    }
}
