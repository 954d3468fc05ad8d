package dev.modelc.runtime;

import static dev.modelc.runtime.TrainerTest.ids;
import static dev.modelc.runtime.TrainerTest.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.data.DataException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class EpochLogTest {
    private static final String SECONDS = "  \\(\\d+\\.\\d s\\)";

    private static String[] run(RecordingModel model, Dataset data, TrainingSettings settings) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Trainer.train(model, data, settings, new EpochLog(out));
        return bytes.toString(StandardCharsets.UTF_8).split("\n");
    }

    @Test
    void printsTestLossAndMetricsWhenRowsAreHeldOut() throws DataException {
        Dataset data = ids(10, 0.2, 1);
        String[] lines = run(model(data, 4), data, new TrainingSettings(2, 4, false, 100, 0));
        assertEquals(4, lines.length, String.join("\n", lines));
        assertEquals("training on 8 rows in batches of 4 (2 steps an epoch), testing on 2 rows", lines[0]);
        // The recording model's loss is the mean row id, its metric m the mean squared id.
        double trainLoss = Arrays.stream(data.trainRows()).average().orElseThrow();
        double testLoss = Arrays.stream(data.testRows()).average().orElseThrow();
        double testM = Arrays.stream(data.testRows()).mapToDouble(r -> r * r).average().orElseThrow();
        String expected = String.format(Locale.ROOT, "loss %.4f  test loss %.4f  test m %.4f",
                trainLoss, testLoss, testM);
        assertTrue(lines[1].matches("epoch 1/2  " + expected.replace(".", "\\.") + SECONDS), lines[1]);
        assertTrue(lines[2].startsWith("epoch 2/2  "), lines[2]);
        assertEquals("done: 2 epochs, 4 steps", lines[3]);
    }

    @Test
    void withoutTestRowsShowsTheTrainingMetrics() throws DataException {
        Dataset data = ids(3, 0, 1);
        String[] lines = run(model(data, 3), data, new TrainingSettings(12, 0, true, 100, 0));
        assertEquals("training on 3 rows in batches of 3 (1 step an epoch, shuffled), no test rows", lines[0]);
        // Ids 0, 1, 2: loss 1, mean squared id 5 / 3.
        assertTrue(lines[1].matches("epoch  1/12  loss 1\\.0000  train m 1\\.6667" + SECONDS), lines[1]);
    }

    @Test
    void saysWhyTrainingStoppedEarly() throws DataException {
        Dataset data = ids(10, 0, 1);
        String[] capped = run(model(data, 4), data, new TrainingSettings(5, 4, false, 4, 0));
        assertEquals("stopped: max_steps reached after 4 steps, in epoch 2 of 5", capped[capped.length - 1]);
        RecordingModel stopping = model(data, 4);
        stopping.stopAtForward = 2;
        String[] stopped = run(stopping, data, new TrainingSettings(5, 4, false, 100, 0));
        assertEquals("stopped: L < 0 after 1 step, in epoch 1 of 5", stopped[stopped.length - 1]);
        RecordingModel diverging = model(data, 4);
        diverging.nanAtForward = 1;
        String[] diverged = run(diverging, data, new TrainingSettings(5, 4, false, 100, 0));
        assertTrue(diverged[1].startsWith("epoch 1/5  loss NaN  train m "), diverged[1]);
        assertEquals("diverged: the loss L is NaN after 0 steps, in epoch 1 of 5", diverged[2]);
    }

    @Test
    void aResumedRunWithNothingLeftSaysSo() throws DataException {
        Dataset data = ids(10, 0, 1);
        TrainingSettings settings = new TrainingSettings(2, 4, false, 100, 0);
        Trainer.Result done = Trainer.train(model(data, 4), data, settings, Trainer.Listener.NONE);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        TrainerTest.resume(model(data, 4), data, settings, new EpochLog(new java.io.PrintStream(bytes, true,
                java.nio.charset.StandardCharsets.UTF_8)), done.position());
        String[] lines = bytes.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n");
        assertEquals("nothing to train: all 2 epochs are done", lines[lines.length - 1]);
        String[] none = run(model(data, 4), data, new TrainingSettings(2, 4, false, 0, 0));
        assertEquals("nothing to train: 0 steps of at most 0 are done", none[none.length - 1]);
    }

    @Test
    void numbersKeepFourDecimalsOrTurnScientific() {
        assertEquals("0.2314", EpochLog.number(0.23144));
        assertEquals("0.0000", EpochLog.number(0));
        assertEquals("1.500e-05", EpochLog.number(1.5e-5));
        assertEquals("-12.5000", EpochLog.number(-12.5));
        assertEquals("2.000e+07", EpochLog.number(2e7));
    }
}
