package dev.modelc.runtime;

import static dev.modelc.runtime.TrainerTest.ids;
import static dev.modelc.runtime.TrainerTest.model;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.data.DataException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What training writes besides its epoch lines: the per-step log, the history for plots, the progress bar. */
class TrainingOutputsTest {
    @Test
    void theStepLogHasARowPerStepWithThatStepsLossAndMetrics() throws DataException {
        Dataset data = ids(10, 0, 0);
        StringWriter csv = new StringWriter();
        Trainer.train(model(data, 4), data, new TrainingSettings(2, 4, false, 100, 1), new StepLog(csv));
        List<String> rows = csv.toString().lines().toList();
        assertEquals("step,epoch,lr,L,m", rows.get(0));
        assertEquals(7, rows.size(), "a header and two epochs of three batches");
        // Batch ids 0..3, 4..7, 8..9: the loss is the mean id, the metric the mean squared id; the rate is
        // gd's default, the recording model having no train block.
        assertEquals("0,1,0.01,1.5,3.5", rows.get(1));
        assertEquals("2,1,0.01,8.5,72.5", rows.get(3));
        assertEquals("3,2,0.01,1.5,3.5", rows.get(4));
    }

    @Test
    void theStepLogsRateIsTheOneThatStepsUpdateUses() throws DataException {
        Dataset data = ids(10, 0, 0);
        RecordingModel model = model(data, 4);
        LearningRateSchedule halving = LearningRateSchedule.of(
                new ModelSignature.Schedule("step", Map.of("step_size", 1.0, "gamma", 0.5), List.of()), 0.8, 6);
        StringWriter csv = new StringWriter();
        new Trainer(model, data, new TrainingSettings(2, 4, false, 100, 1), halving).run(new StepLog(csv));
        List<Double> logged = csv.toString().lines().skip(1).map(row -> Double.parseDouble(row.split(",")[2]))
                .toList();
        assertEquals(List.of(0.8, 0.4, 0.2, 0.1, 0.05, 0.025), logged);
        assertEquals(model.rates, logged, "the rate of each row is the rate its update was made with");
    }

    @Test
    void theHistoryKeepsEveryLossAndSaysWhenTheyGrew() throws DataException {
        Dataset data = ids(10, 0, 0);
        TrainingHistory history = new TrainingHistory();
        Trainer.train(model(data, 2), data, new TrainingSettings(1, 2, false, 100, 1), history);
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
        Trainer.Listener clock = new Trainer.Listener() {
            @Override
            public void step(TrainableModel model, long step, long epoch, double loss) {
                now[0] += 150_000_000L;
            }

            @Override
            public void epoch(TrainableModel model, Trainer.EpochStats stats) {
            }
        };
        Trainer.Listener lines = Trainer.Listener.onEpoch((model, stats) -> out.println("epoch line"));
        Trainer.train(model(data, 4), data, new TrainingSettings(2, 4, false, 100, 1),
                Trainer.Listener.all(List.of(clock, bar, lines)));
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
        TrainingSettings settings = new TrainingSettings(10, 4, false, 100, 1);
        RecordingModel model = model(data, 4);
        bar.started(model, new Trainer(model, data, settings, LearningRateSchedule.of(model.signature(), 100)).plan());
        bar.step(null, 0, 1, 1.0);
        // 100 steps planned (10 epochs of 10, max 100); 25 done in 5 s is 5 steps/s, 75 left take 15 s.
        assertEquals("epoch 3/10 [######..................]  25%  5 steps/s  loss 0.5000  0:15 left",
                bar.line(25, 3, 0.5, 5));
        assertEquals("1:01:01", ProgressBar.clockTime(3661));
    }
}
