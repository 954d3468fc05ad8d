package dev.modelc.runtime;

import static dev.modelc.runtime.MinibatchTrainerTest.ids;
import static dev.modelc.runtime.MinibatchTrainerTest.model;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.MinibatchTrainer.Settings;
import dev.modelc.runtime.data.DataException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What training writes besides its epoch lines: the per-step log, the history for plots, the progress bar. */
class TrainingOutputsTest {
    @Test
    void theStepLogHasARowPerStepWithThatStepsLossAndMetrics() throws DataException {
        Dataset data = ids(10, 0, 0);
        StringWriter csv = new StringWriter();
        MinibatchTrainer.train(model(data, 4), data, new Settings(2, 4, false, 100, 1), new StepLog(csv));
        List<String> rows = csv.toString().lines().toList();
        assertEquals("step,epoch,lr,L,m", rows.get(0));
        assertEquals(7, rows.size(), "a header and two epochs of three batches");
        // Batch ids 0..3, 4..7, 8..9: the loss is the mean id, the metric the mean squared id.
        assertEquals("0,1,0.0,1.5,3.5", rows.get(1));
        assertEquals("2,1,0.0,8.5,72.5", rows.get(3));
        assertEquals("3,2,0.0,1.5,3.5", rows.get(4));
    }

    @Test
    void theHistoryKeepsEveryLossAndSaysWhenTheyGrew() throws DataException {
        Dataset data = ids(10, 0, 0);
        TrainingHistory history = new TrainingHistory();
        MinibatchTrainer.train(model(data, 2), data, new Settings(1, 2, false, 100, 1), history);
        assertArrayEquals(new double[] {0, 1, 2, 3, 4}, history.steps());
        assertArrayEquals(new double[] {0.5, 2.5, 4.5, 6.5, 8.5}, history.losses());
        assertTrue(history.diverged(), "the ids, and so the losses, only grow");
        assertEquals(0, history.pathX().length, "no path without two scalar params");
        assertFalse(new TrainingHistory().diverged());
    }

    @Test
    void theProgressBarWaitsThenRedrawsInPlaceAndWipesItselfForEpochLines() throws DataException {
        Dataset data = ids(40, 0, 0);
        long[] now = {0};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ProgressBar bar = new ProgressBar(out, () -> now[0]);
        MinibatchTrainer.Listener clock = new MinibatchTrainer.Listener() {
            @Override
            public void step(TrainableModel model, long step, long epoch, double loss) {
                now[0] += 150_000_000L;
            }

            @Override
            public void epoch(TrainableModel model, MinibatchTrainer.EpochStats stats) {
            }
        };
        MinibatchTrainer.Listener lines = (model, stats) -> out.println("epoch line");
        MinibatchTrainer.train(model(data, 4), data, new Settings(2, 4, false, 100, 1),
                MinibatchTrainer.Listener.all(List.of(clock, bar, lines)));
        String text = bytes.toString(StandardCharsets.UTF_8);
        String[] draws = text.split("\r");
        // Steps come every 0.15 s: the fourth, at 0.6 s, is the first after the quiet half second.
        assertEquals("", draws[0]);
        assertTrue(draws[1].startsWith("epoch 1/2 [####....................]  15%  "), draws[1]);
        assertTrue(Arrays.stream(draws).anyMatch(d -> d.matches("epoch 2/2 \\[#+\\.*\\] +\\d+%  \\d+ steps/s  loss "
                + "\\d+\\.\\d{4}  \\d+:\\d\\d left *")), text);
        assertTrue(Arrays.stream(draws).anyMatch(d -> d.matches(" +") ), "a wipe of blanks");
        assertTrue(text.contains("\r" + " ".repeat(draws[1].length())), "wiped as wide as it was drawn");
        assertTrue(text.endsWith("epoch line\n"), "the wipe comes before the epoch line: " + text);
    }

    @Test
    void theBarSaysHowFarAndHowLong() throws DataException {
        Dataset data = ids(40, 0, 0);
        ProgressBar bar = new ProgressBar(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                () -> 0);
        bar.started(model(data, 4), data, new Settings(10, 4, false, 100, 1));
        bar.step(null, 0, 1, 1.0);
        // 100 steps planned (10 epochs of 10, max 100); 25 done in 5 s is 5 steps/s, 75 left take 15 s.
        assertEquals("epoch 3/10 [######..................]  25%  5 steps/s  loss 0.5000  0:15 left",
                bar.line(25, 3, 0.5, 5));
        assertEquals("1:01:01", ProgressBar.clockTime(3661));
    }
}
