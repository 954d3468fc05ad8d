package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watching the held-out rows once an epoch: {@code stop when test_<value> ...} ends the run at
 * the first epoch whose held-out value meets it, {@code reduce_on_plateau(held_out = true)} cuts
 * the rate when the held-out loss stops falling, and {@code --save-best} keeps the checkpoint of
 * the best epoch, from which a resumed run ends where the unbroken run ends, bit for bit.
 */
class HeldOutTest {
    private static final Pattern EPOCH = Pattern.compile(
            "epoch +(\\d+)/\\d+ +loss \\S+ +test loss (\\S+) +test accuracy (\\S+)");

    @TempDir
    Path temp;

    /** Two noisy classes on a line through a 3-column table with a header, and the model's train block. */
    private Path model(String train) throws Exception {
        StringBuilder rows = new StringBuilder("a,b,noise,label\n");
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int r = 0; r < 240; r++) {
            double a = random.nextDouble(-1, 1);
            double b = random.nextDouble(-1, 1);
            double noisy = a - 0.5 * b + random.nextDouble(-0.3, 0.3);
            rows.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%d%n", a, b, random.nextDouble(), noisy > 0 ? 1 : 0));
        }
        Files.writeString(temp.resolve("rows.csv"), rows);
        Path model = temp.resolve("m.model");
        Files.writeString(model, """
                model Watched
                input x : [batch, 2]
                input y : int[batch]
                param W : [2, 2] = 0
                param b : [2] = 0
                logits = x @ W + b
                loss L = mean(softmax_cross_entropy(logits, y))
                metric accuracy = mean(argmax(logits, axis = 1) == y)
                train {
                  data csv("rows.csv", header = true, test = 0.25, x = columns("a", "b"), y = "label")
                  batch 20 shuffle
                  seed 4
                """ + train + "\n}\n");
        return model;
    }

    /** Per epoch line: epoch, test loss, test accuracy. */
    private static List<double[]> epochs(CommandLineRun run) {
        List<double[]> epochs = new ArrayList<>();
        Matcher m = EPOCH.matcher(run.out());
        while (m.find()) {
            epochs.add(new double[] {Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)),
                Double.parseDouble(m.group(3))});
        }
        return epochs;
    }

    @Test
    void theRunStopsAtTheFirstEpochWhoseHeldOutAccuracyMeetsTheCondition() throws Exception {
        Path model = model("optimizer sgd(lr = 0.02)\nepochs 40\nstop when test_accuracy >= 0.9");
        CommandLineRun run = CommandLineRun.of("train", model.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        List<double[]> epochs = epochs(run);
        double[] last = epochs.get(epochs.size() - 1);
        assertTrue(last[2] >= 0.9, run.transcript());
        assertTrue(epochs.size() > 1 && epochs.size() < 40, run.transcript());
        epochs.subList(0, epochs.size() - 1).forEach(e -> assertTrue(e[2] < 0.9, run.transcript()));
        assertTrue(run.out().contains("stopped: test_accuracy >= 0.9 after " + (long) last[0] * 9 + " steps, in epoch "
                + (long) last[0] + " of 40"), run.transcript());
    }

    @Test
    void saveBestKeepsTheEpochOfTheLowestHeldOutLossAndResumesExactly() throws Exception {
        Path model = model("optimizer sgd(lr = 0.5, momentum = 0.9)\nepochs 12");
        Path best = temp.resolve("best.st");
        Path unbroken = temp.resolve("unbroken.st");
        CommandLineRun run = CommandLineRun.of("train", model.toString(), "--save-best", best.toString(), "--save",
                unbroken.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        List<double[]> epochs = epochs(run);
        double[] lowest = epochs.get(0);
        for (double[] e : epochs) {
            lowest = e[1] < lowest[1] ? e : lowest;
        }
        assertTrue(run.out().contains("saved the best test_loss (" + String.format(Locale.ROOT, "%.4f", lowest[1])
                + ", epoch " + (long) lowest[0] + ", step " + (long) lowest[0] * 9 + ") to " + best), run.transcript());
        CommandLineRun eval = CommandLineRun.of("eval", model.toString(), "--init", best.toString());
        assertTrue(eval.out().contains(String.format(Locale.ROOT, "loss %.4f  accuracy %.4f", lowest[1], lowest[2])),
                eval.transcript());
        Path resumed = temp.resolve("resumed.st");
        CommandLineRun rest = CommandLineRun.of("train", model.toString(), "--resume", best.toString(), "--save",
                resumed.toString());
        assertEquals(0, rest.exitCode(), rest.transcript());
        assertArrayEquals(Files.readAllBytes(unbroken), Files.readAllBytes(resumed));
    }

    @Test
    void thePlateauWatchingHeldOutRowsCutsTheRateAfterAnEpochWithoutABetterHeldOutLoss() throws Exception {
        Path model = model("optimizer sgd(lr = 0.5, momentum = 0.9)\nepochs 10\n"
                + "schedule reduce_on_plateau(factor = 0.5, patience = 0, threshold = 0, held_out = true)");
        Path log = temp.resolve("log.csv");
        CommandLineRun run = CommandLineRun.of("train", model.toString(), "--log", log.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        List<double[]> epochs = epochs(run);
        // The rate of each epoch's first update, from the log (step,epoch,lr,...).
        double[] rates = new double[epochs.size() + 1];
        for (String line : Files.readAllLines(log).subList(1, 1 + 9 * epochs.size())) {
            String[] cells = line.split(",");
            int epoch = Integer.parseInt(cells[1]);
            rates[epoch] = rates[epoch] == 0 ? Double.parseDouble(cells[2]) : rates[epoch];
        }
        double best = Double.POSITIVE_INFINITY;
        double rate = 0.5;
        int cuts = 0;
        for (double[] e : epochs) {
            assertEquals(rate, rates[(int) e[0]], 1e-12, "epoch " + (long) e[0] + "\n" + run.transcript());
            if (e[1] < best) {
                best = e[1];
            } else {
                rate /= 2;
                cuts++;
            }
        }
        assertTrue(cuts > 0, "the held-out loss never rose, so nothing was tested:\n" + run.transcript());
    }

    @Test
    void saveBestWithoutHeldOutRowsIsRefusedBeforeTraining() throws Exception {
        Path model = model("epochs 2");
        Files.writeString(model, Files.readString(model).replace("test = 0.25, ", ""));
        Path best = temp.resolve("never.st");
        CommandLineRun run = CommandLineRun.of("train", model.toString(), "--save-best", best.toString());
        assertEquals(2, run.exitCode(), run.transcript());
        assertTrue(run.err().contains("--save-best keeps the checkpoint of the best held-out value, but this run "
                + "holds no rows out"), run.transcript());
        assertTrue(!Files.exists(best) && !run.out().contains("epoch 1/"), run.transcript());
    }
}
