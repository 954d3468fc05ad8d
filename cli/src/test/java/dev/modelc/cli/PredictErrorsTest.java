package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to predict and eval: exit code 2, a message naming the file (and line), and no output file. */
class PredictErrorsTest {
    @TempDir
    static Path temp;

    static String digits;
    static Path checkpoint;

    @BeforeAll
    static void save() {
        digits = CommandLineRun.sample("digits_mlp.model");
        checkpoint = temp.resolve("d.safetensors");
        CommandLineRun run = CommandLineRun.of("train", digits, "--steps", "0", "--save", checkpoint.toString());
        assertEquals(0, run.exitCode(), run.transcript());
    }

    private static String row(int cells) {
        return String.join(",", Collections.nCopies(cells, "3"));
    }

    /** Only the files the test wrote: no output, no temporary file. */
    private static List<String> files(Path folder) throws Exception {
        try (Stream<Path> all = Files.list(folder)) {
            return all.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aRowOfTheWrongWidthIsNamedByLineAndNothingIsWritten() throws Exception {
        Path folder = Files.createDirectory(temp.resolve("width"));
        Path rows = folder.resolve("new.csv");
        Files.write(rows, List.of(row(64), row(64), row(63)));
        Path output = folder.resolve("preds.csv");
        CommandLineRun run = CommandLineRun.of("predict", digits, "--init", checkpoint.toString(), "--data",
                rows.toString(), "-o", output.toString());
        assertEquals(2, run.exitCode(), run.transcript());
        assertTrue(run.err().contains(rows + ":3: row has 63 columns, the first row (line 1) had 64"), run.err());
        assertEquals(List.of("new.csv"), files(folder));
    }

    @Test
    void aFirstRowOfTheWrongWidthSaysWhichWidthsFit() throws Exception {
        Path folder = Files.createDirectory(temp.resolve("first"));
        Path rows = folder.resolve("new.csv");
        Files.write(rows, List.of(row(66)));
        Path output = folder.resolve("preds.csv");
        Files.writeString(output, "old\n");
        CommandLineRun run = CommandLineRun.of("predict", digits, "--init", checkpoint.toString(), "--data",
                rows.toString(), "-o", output.toString());
        assertEquals(2, run.exitCode(), run.transcript());
        assertTrue(run.err().contains(rows + ":1: row has 66 cells, but the model was trained on rows of 65 (or 64 "
                + "without the label)"), run.err());
        assertEquals("old\n", Files.readString(output));
        assertEquals(List.of("new.csv", "preds.csv"), files(folder));
    }

    @Test
    void aCheckpointOfAnotherModelIsRefused() throws Exception {
        Path other = temp.resolve("quadratic.safetensors");
        assertEquals(0, CommandLineRun.of("train", CommandLineRun.quadratic(), "--steps", "0", "--save",
                other.toString()).exitCode());
        Path rows = temp.resolve("one.csv");
        Files.write(rows, List.of(row(64)));
        for (String command : new String[] {"predict", "eval"}) {
            List<String> args = new ArrayList<>(List.of(command, digits, "--init", other.toString(), "--data",
                    rows.toString()));
            CommandLineRun run = CommandLineRun.of(args.toArray(String[]::new));
            assertEquals(2, run.exitCode(), run.transcript());
            assertTrue(run.err().contains(other + ": it was saved from another model"), run.err());
            assertFalse(run.err().contains("Exception"), run.err());
        }
    }

    @Test
    void aModelWithoutOutputsCannotPredict() throws Exception {
        Path model = temp.resolve("no_outputs.model");
        Files.writeString(model, Files.readString(Path.of(digits)).replace("output probs", "probs"));
        Path rows = temp.resolve("two.csv");
        Files.write(rows, List.of(row(64)));
        Path output = temp.resolve("never.csv");
        CommandLineRun run = CommandLineRun.of("predict", model.toString(), "--init", checkpoint.toString(),
                "--data", rows.toString(), "-o", output.toString());
        assertEquals(2, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("declares no output, so it cannot predict; declare what predict computes with "
                + "a line such as `output probs = softmax(logits)`"), run.err());
        assertFalse(Files.exists(output));
    }

    @Test
    void aModelWithoutInputsHasNoRows() {
        CommandLineRun run = CommandLineRun.of("eval", CommandLineRun.quadratic(), "--init", checkpoint.toString());
        assertEquals(2, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("has no inputs"), run.err());
    }

    @Test
    void evalRefusesALabelOutsideTheClassesTrainedOn() throws Exception {
        Path rows = temp.resolve("label.csv");
        Files.write(rows, List.of(row(64) + ",2", row(64) + ",10"));
        CommandLineRun run = CommandLineRun.of("eval", digits, "--init", checkpoint.toString(), "--data",
                rows.toString());
        assertEquals(2, run.exitCode(), run.transcript());
        assertTrue(run.err().contains(rows + ":2: the 65th cell is 10, but "), run.err());
    }
}
