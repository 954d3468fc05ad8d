package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.ModelCompiler;
import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.runtime.Dataset;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.data.Table;
import dev.modelc.runtime.training.Training;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modelc eval} and {@code modelc predict} on the digits model as {@code modelc train
 * --save} left it: eval repeats the last epoch's held-out numbers, and predict, given those
 * rows without their labels, classifies as many of them right.
 */
class PredictEvalTest {
    @TempDir
    static Path temp;

    static Path model;
    static Path checkpoint;
    static CommandLineRun training;

    @BeforeAll
    static void train() {
        model = Path.of(CommandLineRun.sample("digits_mlp.model"));
        checkpoint = temp.resolve("d.safetensors");
        training = CommandLineRun.of("train", model.toString(), "--save", checkpoint.toString());
        assertEquals(0, training.exitCode(), training.transcript());
    }

    /** The digits rows, split as training split them. */
    private static Dataset digits() throws Exception {
        ModelCompiler.LoadedModel loaded = ModelCompiler.compile(SourceFile.read(model),
                new ModelCompiler.Options("", Dtype.F64)).load();
        return Training.of(loaded.signature()).modelFolder(model.getParent()).dataset();
    }

    /** The held-out rows as CSV lines of the raw cells, with or without the label. */
    private static List<String> heldOutRows(boolean withLabel) throws Exception {
        Dataset data = digits();
        Table table = data.table();
        int label = data.columns(1)[0];
        List<String> lines = new ArrayList<>();
        for (int row : data.testRows()) {
            List<String> cells = new ArrayList<>();
            for (int c = 0; c < table.columns(); c++) {
                if (withLabel || c != label) {
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

    @Test
    void evalReportsTheHeldOutNumbersOfTheLastEpoch() throws Exception {
        CommandLineRun eval = CommandLineRun.of("eval", model.toString(), "--init", checkpoint.toString());
        assertEquals(0, eval.exitCode(), eval.transcript());
        assertTrue(eval.out().contains("accuracy " + lastEpoch("test accuracy")), eval.transcript());
        assertTrue(eval.out().contains("loss " + lastEpoch("test loss")), eval.transcript());

        // The same run from Java gives the exact numbers, which --json prints in full.
        ModelCompiler.LoadedModel loaded = ModelCompiler.compile(SourceFile.read(model),
                new ModelCompiler.Options("", Dtype.F64)).load();
        Training java = Training.of(loaded.signature()).modelFolder(model.getParent());
        TrainableModel trained = java.newModel(loaded::create);
        Trainer.Evaluation test = java.run(trained, Trainer.Listener.NONE).last().test();
        CommandLineRun json = CommandLineRun.of("eval", model.toString(), "--init", checkpoint.toString(), "--json");
        assertEquals(0, json.exitCode(), json.transcript());
        assertTrue(json.out().contains("\"rows\": " + test.rows() + ","), json.out());
        assertTrue(json.out().contains("\"loss\": " + test.loss() + ","), json.out());
        assertTrue(json.out().contains("\"accuracy\": " + test.metrics().get(0) + "}"), json.out());
    }

    @Test
    void predictOnTheHeldOutRowsWithoutLabelsIsAsAccurate() throws Exception {
        Dataset data = digits();
        List<Integer> labels = new ArrayList<>();
        for (int row : data.testRows()) {
            labels.add((int) data.table().get(row, data.columns(1)[0]));
        }
        Path rows = temp.resolve("held-out.csv");
        Files.write(rows, heldOutRows(false));
        Path predictions = temp.resolve("preds.csv");
        CommandLineRun predict = CommandLineRun.of("predict", model.toString(), "--init", checkpoint.toString(),
                "--data", rows.toString(), "-o", predictions.toString());
        assertEquals(0, predict.exitCode(), predict.transcript());

        List<String> out = Files.readAllLines(predictions);
        List<String> header = List.of(out.get(0).split(","));
        assertEquals("probs[0]", header.get(0));
        assertEquals(List.of("probs[9]", "argmax"), header.subList(9, 11));
        assertEquals(labels.size() + 1, out.size());
        int right = 0;
        for (int r = 0; r < labels.size(); r++) {
            String[] cells = out.get(r + 1).split(",");
            double sum = 0;
            for (int k = 0; k < 10; k++) {
                sum += Double.parseDouble(cells[k]);
            }
            assertEquals(1, sum, 1e-9, "probabilities of row " + r);
            right += Integer.parseInt(cells[10]) == labels.get(r) ? 1 : 0;
        }
        CommandLineRun json = CommandLineRun.of("eval", model.toString(), "--init", checkpoint.toString(), "--json");
        Matcher accuracy = Pattern.compile("\"accuracy\": ([0-9.E-]+)").matcher(json.out());
        assertTrue(accuracy.find(), json.transcript());
        assertEquals(Double.parseDouble(accuracy.group(1)) * labels.size(), right, 1e-9);
    }

    @Test
    void evalOnAFileOfTheHeldOutRowsGivesTheHeldOutNumbers() throws Exception {
        Path rows = temp.resolve("held-out-labelled.csv");
        Files.write(rows, heldOutRows(true));
        CommandLineRun file = CommandLineRun.of("eval", model.toString(), "--init", checkpoint.toString(), "--data",
                rows.toString(), "--json");
        assertEquals(0, file.exitCode(), file.transcript());
        CommandLineRun heldOut = CommandLineRun.of("eval", model.toString(), "--init", checkpoint.toString(),
                "--json");
        assertEquals(numbers(heldOut.out()), numbers(file.out()));
    }

    /** The JSON from "rows" on: the numbers without the names of the files. */
    private static String numbers(String json) {
        return json.substring(json.indexOf("\"rows\""));
    }
}
