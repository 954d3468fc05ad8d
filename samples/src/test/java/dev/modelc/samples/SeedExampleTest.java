package dev.modelc.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The worked example of the seed document, J(x, y) = x^2 + 2y^2 from (-3, -3) with lr 0.1,
 * trained through the command line. Each update multiplies x by 1 - 0.1 * 2 and y by
 * 1 - 0.1 * 4, so after n updates x = -3 * 0.8^n and y = -3 * 0.6^n: every printed row is
 * checked against that closed form.
 */
class SeedExampleTest {
    private static final int UPDATES = 17;

    @Test
    void closedFormFirstMeetsTheStopConditionAfterSeventeenUpdates() {
        int n = 0;
        while (loss(x(n), y(n)) >= 0.005) {
            n++;
        }
        assertEquals(UPDATES, n);
    }

    @Test
    void trainPrintsTheSeedTableRowByRow() {
        CommandLineRun run = CommandLineRun.of("train", CommandLineRun.samples().resolve("quadratic.model").toString());
        assertEquals(0, run.exitCode(), run.transcript());
        List<String[]> rows = run.tableRows();
        assertEquals(UPDATES + 1, rows.size(), run.transcript());
        for (int n = 0; n <= UPDATES; n++) {
            double x = x(n);
            double y = y(n);
            String[] expected = {Integer.toString(n), sixDecimals(x), sixDecimals(y), sixDecimals(loss(x, y))};
            assertArrayEquals(expected, rows.get(n), "row " + n);
        }
    }

    @Test
    void lastRowsAreTheSeedDocumentsNumbers() {
        CommandLineRun run = CommandLineRun.of("train", CommandLineRun.samples().resolve("quadratic.model").toString());
        List<String[]> rows = run.tableRows();
        assertArrayEquals(new String[] {"16", "-0.084442", "-0.000846", "0.007132"}, rows.get(16));
        assertArrayEquals(new String[] {"17", "-0.067554", "-0.000508", "0.004564"}, rows.get(17));
        List<String> lines = run.outLines();
        assertEquals("  iter            x            y            J", lines.get(1));
        assertEquals("stopped: J < 0.005 after 17 updates (J = 0.004564)", lines.get(lines.size() - 1));
        assertTrue(run.err().startsWith("17 steps in "), run.err());
    }

    private static double x(int n) {
        return -3 * Math.pow(0.8, n);
    }

    private static double y(int n) {
        return -3 * Math.pow(0.6, n);
    }

    private static double loss(double x, double y) {
        return x * x + 2 * y * y;
    }

    private static String sixDecimals(double value) {
        return String.format(Locale.ROOT, "%.6f", value);
    }
}
