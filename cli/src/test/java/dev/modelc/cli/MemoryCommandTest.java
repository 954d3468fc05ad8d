package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code modelc memory} and the memory lines of {@code compile --report}, checked against figures worked by hand. */
class MemoryCommandTest {
    // digits_mlp: W1 64x128, b1 128, W2 128x10, b2 10: 9610 numbers of 8 bytes.
    private static final long PARAMS = 9610 * 8;
    // One array per value holds 683 numbers a row, the planned arrays 278 (see BufferPlanTest).
    private static final long NAIVE_ROW = 683 * 8;
    private static final long PLANNED_ROW = 278 * 8;

    @Test
    void digitsMlpFiguresAsFormulasAndAtEachBatchSize() {
        CommandLineRun run = CommandLineRun.of("memory", CommandLineRun.sample("digits_mlp.model"), "--batch", "1,32");
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals("", run.err());
        List<String> lines = run.outLines();
        assertRow(lines, "parameters", PARAMS + "", PARAMS, PARAMS);
        assertRow(lines, "optimizer state", PARAMS + "", PARAMS, PARAMS);
        // stored: x @ W1 + b1 and h (128 each), the output probs (10), which the gradient of the logits reads
        assertRow(lines, "stored for backward", 266 * 8 + "·batch", 266 * 8, 266 * 8 * 32);
        assertRow(lines, "one per value", NAIVE_ROW + "·batch", NAIVE_ROW, NAIVE_ROW * 32);
        assertRow(lines, "planned", PLANNED_ROW + "·batch", PLANNED_ROW, PLANNED_ROW * 32);
        assertRow(lines, "one array per value", 3 * PARAMS + " + " + NAIVE_ROW + "·batch", 3 * PARAMS + NAIVE_ROW,
                3 * PARAMS + 32 * NAIVE_ROW);
        assertTrue(lines.contains("  h            [batch, 128]  1024·batch  read by dL/dW2"), run.out());
        assertTrue(lines.contains("  x @ W1 + b1  [batch, 128]  1024·batch  read by dL/dW1, dL/db1"), run.out());
        assertTrue(lines.contains("  probs        [batch, 10]   80·batch    read by every gradient"), run.out());
        // A predictor's thread: x @ W1 + b1 and h (128 each), logits (10), logsumexp (1), probs (10), and
        // 64 for the rows of x of a part: 341 numbers a row; the snapshot holds the params only.
        assertRow(lines, "arrays per thread", 341 * 8 + "·batch", 341 * 8, 341 * 8 * 32);
        assertRow(lines, "total, one thread", PARAMS + " + " + 341 * 8 + "·batch", PARAMS + 341 * 8,
                PARAMS + 341 * 8 * 32);
    }

    @Test
    void aModelWithoutOutputsHasNoPredictorRows() {
        CommandLineRun run = CommandLineRun.of("memory", CommandLineRun.quadratic());
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.outLines().stream().noneMatch(l -> l.startsWith("predictor")), run.out());
    }

    @Test
    void f32HalvesEveryFigure() {
        CommandLineRun run = CommandLineRun.of("memory", CommandLineRun.sample("digits_mlp.model"), "--dtype", "f32",
                "--batch", "256");
        assertEquals(0, run.exitCode(), run.transcript());
        assertRow(run.outLines(), "parameters", PARAMS / 2 + "", PARAMS / 2);
        assertRow(run.outLines(), "planned", PLANNED_ROW / 2 + "·batch", PLANNED_ROW / 2 * 256);
    }

    @Test
    void theSeedExampleStoresNothing() {
        CommandLineRun run = CommandLineRun.of("memory", CommandLineRun.quadratic());
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().contains("  nothing: the gradients read parameters and inputs only\n"), run.out());
        assertRow(run.outLines(), "parameters", "16", 16, 16, 16);
    }

    @Test
    void aMemoryBudgetRecomputesStoredValues() {
        // Planned, the deep sample needs 7856 bytes a row, 251392 for its batches of 32.
        CommandLineRun run = CommandLineRun.of("memory", CommandLineRun.sample("deep_mlp.model"),
                "--memory-budget", "200k", "--batch", "32");
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().contains("computed again by the backward pass instead of stored:"), run.out());
        String planned = run.outLines().stream().filter(l -> l.startsWith("  planned, recomputing")).findFirst()
                .orElseThrow(() -> new AssertionError(run.out()));
        long bytes = Long.parseLong(planned.substring(planned.lastIndexOf(' ') + 1));
        assertTrue(bytes <= 200 * 1024, planned);
    }

    @Test
    void aBudgetNothingMeetsIsBadInput() {
        CommandLineRun run = CommandLineRun.of("memory", CommandLineRun.sample("deep_mlp.model"),
                "--memory-budget", "1k");
        assertEquals(2, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("more than the memory budget of 1024 bytes"), run.transcript());
        assertTrue(run.err().contains("help: raise the budget, or train in smaller batches"), run.transcript());
    }

    @Test
    void badSizesAreBadInput() {
        for (String[] args : List.of(new String[] {"--batch", "0"}, new String[] {"--batch", "x"},
                new String[] {"--memory-budget", "lots"}, new String[] {"--memory-budget", "-5"})) {
            String[] all = new String[args.length + 2];
            all[0] = "memory";
            all[1] = CommandLineRun.quadratic();
            System.arraycopy(args, 0, all, 2, args.length);
            CommandLineRun run = CommandLineRun.of(all);
            assertEquals(2, run.exitCode(), String.join(" ", args) + ": " + run.transcript());
            assertTrue(run.err().startsWith("modelc: error: "), run.transcript());
        }
    }

    @Test
    void compileReportShowsTheFiguresBeforeAndAfterPlanning() {
        CommandLineRun run = CommandLineRun.of("compile", CommandLineRun.sample("digits_mlp.model"), "--report");
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.outLines().contains("  activation arrays   " + NAIVE_ROW + "·batch one per value, " + PLANNED_ROW
                + "·batch planned (6 arrays)"), run.out());
        assertTrue(run.outLines().contains("  total               " + 3 * PARAMS + " + " + NAIVE_ROW
                + "·batch one per value, " + 3 * PARAMS + " + " + PLANNED_ROW + "·batch planned"), run.out());
    }

    /** The row starting with {@code label}: its formula, then its value at each batch size. */
    private static void assertRow(List<String> lines, String label, String formula, long... values) {
        String row = lines.stream().filter(l -> l.strip().startsWith(label + "  ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + label + " in\n" + String.join("\n", lines)));
        String[] cells = row.strip().substring(label.length()).strip().split("\\s{2,}");
        assertEquals(formula, cells[0].strip(), row);
        assertEquals(values.length, cells.length - 1, row);
        for (int i = 0; i < values.length; i++) {
            assertEquals(Long.toString(values[i]), cells[i + 1].strip(), row);
        }
    }
}
