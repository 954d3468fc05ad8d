package dev.modelc.runtime;

import static dev.modelc.runtime.TrainerTest.ids;
import static dev.modelc.runtime.TrainerTest.model;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelc.runtime.Trainer.Result;
import dev.modelc.runtime.Trainer.StopReason;
import dev.modelc.runtime.data.DataException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stopping and resuming minibatch training: the batches after a resume are those an unbroken
 * run trains, in the same shuffled order, and the interrupted epoch reports the same numbers.
 */
class TrainerResumeTest {
    // 23 training rows in batches of 5: five batches an epoch, the last of three rows.
    private static final int ROWS = 29;

    private static TrainingSettings settings(long maxSteps) {
        return new TrainingSettings(4, 5, true, maxSteps, 9);
    }

    @Test
    void aResumedRunTrainsTheBatchesOfAnUnbrokenOne() throws DataException {
        Dataset data = ids(ROWS, 0.2, 3);
        RecordingModel straight = model(data, 6);
        TrainerTest.Recorder whole = new TrainerTest.Recorder();
        Trainer.train(straight, data, settings(TrainingSettings.NO_STEP_LIMIT), whole);
        assertEquals(20, straight.updated.size());
        for (int split : new int[] {1, 5, 13, 19}) {
            RecordingModel first = model(data, 6);
            Result stopped = Trainer.train(first, data, settings(split), new TrainerTest.Recorder());
            assertEquals(StopReason.MAX_STEPS, stopped.reason());
            RecordingModel second = model(data, 6);
            TrainerTest.Recorder rest = new TrainerTest.Recorder();
            Result resumed = TrainerTest.resume(second, data, settings(TrainingSettings.NO_STEP_LIMIT), rest,
                    stopped.position());
            assertEquals(20, resumed.steps());
            assertEquals(StopReason.EPOCHS, resumed.reason());
            List<int[]> expected = straight.updated.subList(split, 20);
            assertArrayEquals(expected.toArray(new int[0][]), second.updated.toArray(new int[0][]), "split " + split);
            // Every epoch reported, the cut one first, says what the unbroken run's did: its loss covers all its rows.
            for (Trainer.EpochStats epoch : rest.epochs) {
                Trainer.EpochStats unbroken = whole.epochs.get((int) epoch.epoch() - 1);
                assertEquals(unbroken.train(), epoch.train(), "split " + split + ", epoch " + epoch.epoch());
                assertEquals(unbroken.test(), epoch.test());
                assertEquals(unbroken.steps(), epoch.steps());
            }
            assertEquals(split / 5 + 1, rest.epochs.get(0).epoch());
        }
    }

    @Test
    void aPositionAtAnEpochsEndStartsTheNextEpoch() throws DataException {
        Dataset data = ids(ROWS, 0.2, 3);
        Result stopped = Trainer.train(model(data, 6), data, settings(10),
                new TrainerTest.Recorder());
        assertEquals(2, stopped.position().epoch());
        assertEquals(5, stopped.position().batchesDone());
        TrainerTest.Recorder rest = new TrainerTest.Recorder();
        TrainerTest.resume(model(data, 6), data, settings(12), rest, stopped.position());
        assertEquals(3, rest.epochs.get(0).epoch());
        assertEquals(10, rest.epochs.get(0).train().rows(), "a fresh epoch, two batches of five");
    }

    @Test
    void nothingLeftToTrainEndsAtOnce() throws DataException {
        Dataset data = ids(ROWS, 0.2, 3);
        Result stopped = Trainer.train(model(data, 6), data, settings(7), new TrainerTest.Recorder());
        RecordingModel again = model(data, 6);
        Result resumed = TrainerTest.resume(again, data, settings(7), new TrainerTest.Recorder(),
                stopped.position());
        assertEquals(StopReason.MAX_STEPS, resumed.reason());
        assertNull(resumed.last());
        assertEquals(stopped.position(), resumed.position());
        assertEquals(0, again.forwarded.size());
    }

    @Test
    void aPositionFromOtherDataOrSeedIsRefused() throws DataException {
        Dataset data = ids(ROWS, 0.2, 3);
        Result stopped = Trainer.train(model(data, 6), data, settings(7), new TrainerTest.Recorder());
        TrainingSettings otherSeed = new TrainingSettings(4, 5, true, 20, 10);
        assertThrows(IllegalArgumentException.class, () -> TrainerTest.resume(model(data, 6), data, otherSeed,
                new TrainerTest.Recorder(), stopped.position()));
        Dataset more = ids(ROWS + 7, 0.2, 3);
        assertThrows(IllegalArgumentException.class, () -> TrainerTest.resume(model(more, 6), more,
                settings(20), new TrainerTest.Recorder(), stopped.position()));
    }
}
