package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.ModelCompiler;
import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.runtime.Dataset;
import dev.modelc.runtime.data.Table;
import dev.modelc.runtime.training.Training;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code samples/regularized.model} (dropout, batch norm and layer norm) trains from the sample
 * folder to its stated held-out accuracy, and {@code modelc eval} and {@code modelc predict} run it
 * in inference mode: the running statistics and no dropout, so the same rows give the same
 * numbers every time, and a row's prediction does not depend on the rows predicted with it.
 */
class RegularizedSampleTest {
    @TempDir
    static Path temp;

    static Path model;
    static Path checkpoint;
    static CommandLineRun training;

    @BeforeAll
    static void train() {
        model = Path.of(CommandLineRun.sample("regularized.model"));
        checkpoint = temp.resolve("r.safetensors");
        training = CommandLineRun.of("train", model.toString(), "--save", checkpoint.toString());
        assertEquals(0, training.exitCode(), training.transcript());
    }

    @Test
    void itReachesNinetySevenPercentOnTheHeldOutRows() {
        assertTrue(training.out().contains("done: 10 epochs, 450 steps"), training.transcript());
        assertTrue(Double.parseDouble(lastEpoch("test accuracy")) >= 0.97, training.transcript());
    }

    @Test
    void evalGivesTheSameNumbersTwiceAndTheHeldOutNumbersOfTraining() {
        CommandLineRun first = CommandLineRun.of("eval", model.toString(), "--init", checkpoint.toString());
        CommandLineRun second = CommandLineRun.of("eval", model.toString(), "--init", checkpoint.toString());
        assertEquals(0, first.exitCode(), first.transcript());
        assertEquals(first.out(), second.out());
        assertTrue(first.out().contains("accuracy " + lastEpoch("test accuracy")), first.transcript());
        assertTrue(first.out().contains("loss " + lastEpoch("test loss")), first.transcript());
    }

    @Test
    void predictGivesEachRowTheSameOutputTwiceAndInAnyCompany() throws Exception {
        List<String> rows = heldOutRows();
        Path forward = temp.resolve("rows.csv");
        Files.write(forward, rows);
        List<String> reversedRows = new ArrayList<>(rows);
        Collections.reverse(reversedRows);
        Path backward = temp.resolve("reversed.csv");
        Files.write(backward, reversedRows);
        Path single = temp.resolve("one.csv");
        Files.write(single, rows.subList(7, 8));

        List<String> once = predict(forward, "once.csv");
        assertEquals(once, predict(forward, "twice.csv"), "the same rows predicted twice");
        List<String> reversed = predict(backward, "reversed-out.csv");
        assertEquals(once.size(), reversed.size());
        for (int r = 1; r < once.size(); r++) {
            assertEquals(once.get(r), reversed.get(once.size() - r), "row " + (r - 1) + " predicted among others");
        }
        assertEquals(once.get(8), predict(single, "one-out.csv").get(1), "row 7 predicted alone");
        // Not a constant: the rows get different probabilities.
        assertNotEquals(once.get(1), once.get(2));
    }

    private static List<String> predict(Path rows, String out) throws Exception {
        Path predictions = temp.resolve(out);
        CommandLineRun run = CommandLineRun.of("predict", model.toString(), "--init", checkpoint.toString(),
                "--data", rows.toString(), "-o", predictions.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        return Files.readAllLines(predictions);
    }

    /** The held-out rows, split as training split them, as CSV lines of the raw cells without the label. */
    private static List<String> heldOutRows() throws Exception {
        ModelCompiler.LoadedModel loaded = ModelCompiler.compile(SourceFile.read(model),
                new ModelCompiler.Options("", Dtype.F64)).load();
        Dataset data = Training.of(loaded.signature()).modelFolder(model.getParent()).dataset();
        Table table = data.table();
        int label = data.columns(1)[0];
        List<String> lines = new ArrayList<>();
        for (int row : data.testRows()) {
            List<String> cells = new ArrayList<>();
            for (int c = 0; c < table.columns(); c++) {
                if (c != label) {
                    cells.add(Double.toString(table.get(row, c)));
                }
            }
            lines.add(String.join(",", cells));
        }
        return lines;
    }

    /** The last epoch line's value of {@code name}, as printed. */
    private static String lastEpoch(String name) {
        List<String> epochs = training.outLines().stream().filter(l -> l.startsWith("epoch ")).toList();
        Matcher m = Pattern.compile(" " + name + " (\\S+)").matcher(epochs.get(epochs.size() - 1));
        assertTrue(m.find(), epochs.get(epochs.size() - 1));
        return m.group(1);
    }
}
