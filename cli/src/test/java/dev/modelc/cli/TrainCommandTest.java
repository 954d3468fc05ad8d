package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modelc train} on the seed example and its flags. With learning rate lr, each update
 * multiplies x by 1 - 2 lr and y by 1 - 4 lr, so the rows have a closed form.
 */
class TrainCommandTest {
    @TempDir
    Path temp;

    @Test
    void stepsStopsAfterThatManyUpdates() {
        CommandLineRun run = CommandLineRun.of("train", CommandLineRun.quadratic(), "--steps", "3");
        assertEquals(0, run.exitCode(), run.transcript());
        assertRowsFollowClosedForm(run, 0.1, 3);
        assertEquals("stopped: max_steps reached after 3 updates (J = 3.199104)", last(run.outLines()));
        assertTrue(run.out().startsWith("training Quadratic (quadratic.model, f64): gd lr=0.1, stop when J < 0.005, "
                + "at most 3 updates\n"), run.out());
    }

    @Test
    void learningRateChangesTheRows() {
        CommandLineRun run = CommandLineRun.of("train", CommandLineRun.quadratic(), "--lr", "0.5", "--every", "1");
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.outLines().get(0).contains(" lr=0.5,"), run.out());
        // x jumps to 0 at once; y flips between -3 and 3, so J stays 18 and only max_steps ends it.
        assertRowsFollowClosedForm(run, 0.5, 100);
        assertArrayEquals(new String[] {"1", "0.000000", "3.000000", "18.000000"}, run.tableRows().get(1));

        CommandLineRun slower = CommandLineRun.of("train", CommandLineRun.quadratic(), "--lr", "0.05", "--steps", "20");
        assertEquals(0, slower.exitCode(), slower.transcript());
        assertRowsFollowClosedForm(slower, 0.05, 20);
    }

    @Test
    void f32TrainsLikeF64AndShowsTheLearningRateAsWritten() {
        CommandLineRun run = CommandLineRun.of("train", CommandLineRun.quadratic(), "--dtype", "f32");
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.outLines().get(0).startsWith("training Quadratic (quadratic.model, f32): gd lr=0.1, "),
                run.out());
        CommandLineRun flag = CommandLineRun.of("train", CommandLineRun.quadratic(), "--dtype", "f32", "--lr", "0.3",
                "--steps", "0");
        assertTrue(flag.outLines().get(0).contains(" lr=0.3, "), flag.out());
        assertEquals(18, run.tableRows().size());
        assertTrue(last(run.outLines()).startsWith("stopped: J < 0.005 after 17 updates"), run.out());
    }

    @Test
    void negativeLearningRateIsBadInput() {
        assertBadFlag(CommandLineRun.of("train", CommandLineRun.quadratic(), "--lr", "-1"),
                "modelc: error: --lr must be a positive number, got -1.0");
    }

    @Test
    void negativeStepsIsBadInput() {
        assertBadFlag(CommandLineRun.of("train", CommandLineRun.quadratic(), "--steps", "-2"),
                "modelc: error: --steps must be 0 or more, got -2");
    }

    @Test
    void unknownDtypeIsBadInput() {
        assertBadFlag(CommandLineRun.of("train", CommandLineRun.quadratic(), "--dtype", "f16"),
                "modelc: error: Invalid value for option '--dtype': unknown dtype `f16`; use f32 or f64");
    }

    @Test
    void aDivergingModelExitsOneAndSaysSo() throws Exception {
        // lr 1.5 on x^2 multiplies x by 1 - 2 * 1.5 = -2 each update, until x^2 overflows.
        Path model = Files.writeString(temp.resolve("blowup.model"),
                "model Blowup\nparam x = 1\nloss J = x^2\ntrain {\n  optimizer gd(lr = 1.5)\n  max_steps 2000\n}\n");
        CommandLineRun run = CommandLineRun.of("train", model.toString());
        assertEquals(1, run.exitCode(), run.transcript());
        // x_n = (-2)^n and J = 4^n first overflows at n = 512, as 4^512 = 2^1024.
        List<String> lines = run.outLines();
        assertEquals("diverged: the loss is not finite after 512 updates (J = Infinity)", lines.get(lines.size() - 2));
        assertEquals("  first non-finite value: power at blowup.model:3 (loss J = x^2)", last(lines));
        // Standard error holds only the speed summary, never a stack trace.
        assertTrue(run.err().startsWith("512 steps in "), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @Test
    void aLogDrivenNegativeNamesTheLogAndItsLine() throws Exception {
        // d/dw log(2w) = 1/w: from w = 1, a rate of 1.5 takes w to -0.5 in one update.
        Path model = Files.writeString(temp.resolve("log_negative.model"), "model LogNegative\n\nparam w = 1\n"
                + "z = 2 * w\nh = log(z)\nloss L = h\n\ntrain {\n  optimizer gd(lr = 1.5)\n  max_steps 10\n}\n");
        CommandLineRun run = CommandLineRun.of("train", model.toString());
        assertEquals(1, run.exitCode(), run.transcript());
        List<String> lines = run.outLines();
        assertEquals("diverged: the loss is not finite after 1 update (L = NaN)", lines.get(lines.size() - 2));
        assertEquals("  first non-finite value: log at log_negative.model:5 (h = log(z))", last(lines));
    }

    private static void assertBadFlag(CommandLineRun run, String message) {
        assertEquals(2, run.exitCode(), run.transcript());
        assertEquals(message, run.errLines().get(0), run.transcript());
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
        // At most a pointer to --help follows the message.
        assertTrue(run.errLines().size() == 1 || run.errLines().get(1).startsWith("Try 'modelc train --help'"),
                run.transcript());
        assertEquals("", run.out());
    }

    private static void assertRowsFollowClosedForm(CommandLineRun run, double lr, int updates) {
        List<String[]> rows = run.tableRows();
        assertEquals(updates + 1, rows.size(), run.transcript());
        for (int n = 0; n <= updates; n++) {
            // + 0.0 turns -0.0 into 0.0, as the trained x is exactly 0 when lr = 0.5.
            double x = -3 * Math.pow(1 - 2 * lr, n) + 0.0;
            double y = -3 * Math.pow(1 - 4 * lr, n) + 0.0;
            String[] expected = {Integer.toString(n), sixDecimals(x), sixDecimals(y), sixDecimals(x * x + 2 * y * y)};
            assertArrayEquals(expected, rows.get(n), "lr " + lr + ", row " + n);
        }
    }

    private static String sixDecimals(double value) {
        return String.format(Locale.ROOT, "%.6f", value);
    }

    private static String last(List<String> lines) {
        return lines.get(lines.size() - 1);
    }
}
