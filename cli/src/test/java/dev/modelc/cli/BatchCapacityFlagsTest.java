package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch sizes the model's arrays cannot hold: {@code --batch} within the 2^20 rows a batch may
 * have, but too many rows for the widest value's Java array, is bad input (exit 2) with the most
 * rows that fit, found before the model is made, never an internal error or an attempt to allocate.
 */
class BatchCapacityFlagsTest {
    /** {@code h} holds 4,194,304 elements a row, so an array of it holds at most 511 rows. */
    private static final String WIDE = "model Wide\ninput x : [batch, 1]\nparam v : [1, 4194304] = 0\n"
            + "h = x * v\nloss L = mean(h)\ntrain {\n  data csv(\"rows.csv\", label = 0)\n}\n";

    @TempDir
    Path folder;

    @Test
    void aBatchTooLargeForTheWidestValueIsBadInput() throws IOException {
        String model = write();
        // (2^31 - 9) / 4194304 = 511.99...: 511 rows fit, 600 need 2,516,582,400 elements.
        String expected = "modelc: error: a batch of 600 rows makes `h` [batch, 4194304] hold 2,516,582,400 "
                + "elements, more than a Java array can (2,147,483,639); use a batch of at most 511 rows";
        CommandLineRun run = CommandLineRun.of("train", model, "--batch", "600", "--steps", "1");
        assertEquals(2, run.exitCode(), run.transcript());
        assertEquals(List.of(expected), run.errLines().stream().filter(l -> l.startsWith("modelc:")).toList());
        assertTrue(!run.out().contains("epoch"), run.transcript());
    }

    @Test
    void trainingOnAllRowsAtOnceSaysSo() throws IOException {
        CommandLineRun run = CommandLineRun.of("train", write(), "--batch", "0", "--steps", "1");
        assertEquals(2, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("a batch of 600 rows makes `h` [batch, 4194304] hold")
                && run.err().contains("(--batch 0 trains on all rows at once)"), run.transcript());
    }

    @Test
    void gradcheckRefusesTheSameBatch() throws IOException {
        CommandLineRun run = CommandLineRun.of("gradcheck", write(), "--batch", "600");
        assertEquals(2, run.exitCode(), run.transcript());
        assertTrue(run.err().startsWith("modelc: error: --batch 600: a batch of 600 rows makes `h`"),
                run.transcript());
        assertEquals("", run.out());
    }

    @Test
    void flagsBeyondEveryLimitAreBadInput() throws IOException {
        String model = write();
        for (String[] args : List.of(new String[] {"train", model, "--batch", "1048577"},
                new String[] {"train", model, "--batch", "-1"},
                new String[] {"train", model, "--batch", "1099511627776"},
                new String[] {"train", model, "--steps", "-5"},
                new String[] {"train", model, "--epochs", "0"},
                new String[] {"train", model, "--epochs", "99999999999999999999"},
                new String[] {"gradcheck", model, "--batch", "99999999999"})) {
            CommandLineRun run = CommandLineRun.of(args);
            assertEquals(2, run.exitCode(), String.join(" ", args) + "\n" + run.transcript());
            assertTrue(run.err().startsWith("modelc: error: "), run.transcript());
            assertTrue(!run.err().contains("Exception"), run.transcript());
        }
    }

    /** The model and 600 rows of data beside it. */
    private String write() throws IOException {
        String rows = IntStream.range(0, 600).mapToObj(i -> i % 7 + "\n").collect(Collectors.joining());
        Files.writeString(folder.resolve("rows.csv"), rows, StandardCharsets.UTF_8);
        return Files.writeString(folder.resolve("wide.model"), WIDE, StandardCharsets.UTF_8).toString();
    }
}
