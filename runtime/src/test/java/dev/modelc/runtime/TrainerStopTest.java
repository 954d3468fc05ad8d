package dev.modelc.runtime;

import static dev.modelc.runtime.TrainerTest.ids;
import static dev.modelc.runtime.TrainerTest.model;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.Trainer.Result;
import dev.modelc.runtime.Trainer.StopReason;
import dev.modelc.runtime.data.DataException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Trainer#requestStop()}: the run ends after the step in progress, says it was asked to,
 * and leaves a position from which a resumed run trains what an unbroken one would.
 */
class TrainerStopTest {
    // 23 training rows in batches of 5: five batches an epoch; four epochs, 20 steps.
    private static final TrainingSettings SETTINGS = new TrainingSettings(4, 5, true, TrainingSettings.NO_STEP_LIMIT,
            9);

    private static Trainer trainer(RecordingModel model, Dataset data) {
        return new Trainer(model, data, SETTINGS, LearningRateSchedule.of(model.signature(), 20));
    }

    /** Asks its trainer to stop when told step {@code at}. */
    private static Trainer.Listener stopAtStep(Trainer[] trainer, long at) {
        return Trainer.Listener.onStep((model, step, epoch, loss) -> {
            if (step == at) {
                trainer[0].requestStop();
            }
        });
    }

    @Test
    void aRequestDuringAStepEndsTheRunAfterItsUpdateAndResumesExactly() throws DataException {
        Dataset data = ids(29, 0.2, 3);
        RecordingModel straight = model(data, 6);
        trainer(straight, data).run(Trainer.Listener.NONE);
        for (long at : new long[] {0, 3, 4, 12, 19}) {
            RecordingModel first = model(data, 6);
            Trainer[] running = {trainer(first, data)};
            TrainerTest.Recorder told = new TrainerTest.Recorder();
            Result stopped = running[0].run(Trainer.Listener.all(stopAtStep(running, at), told));
            assertEquals(at == 19 ? StopReason.EPOCHS : StopReason.REQUESTED, stopped.reason(), "at " + at);
            assertEquals(at + 1, stopped.steps(), "the step in progress keeps its update");
            assertEquals(stopped, told.result);
            assertTrue(stopped.last().test() != null, "the stopping epoch is measured as any last one");
            RecordingModel second = model(data, 6);
            trainer(second, data).resumeFrom(stopped.position()).run(Trainer.Listener.NONE);
            first.updated.addAll(second.updated);
            assertArrayEquals(straight.updated.toArray(new int[0][]), first.updated.toArray(new int[0][]),
                    "stopped at " + at + " and resumed: the batches of an unbroken run");
        }
    }

    @Test
    void aRequestAtAnEpochsEndStopsBeforeTheNextEpoch() throws DataException {
        Dataset data = ids(29, 0.2, 3);
        RecordingModel model = model(data, 6);
        Trainer trainer = trainer(model, data);
        Result result = trainer.run(Trainer.Listener.onEpoch((m, stats) -> trainer.requestStop()));
        assertEquals(StopReason.REQUESTED, result.reason());
        assertEquals(5, result.steps());
        assertEquals(1, result.position().epoch());
        assertEquals(5, result.position().batchesDone(), "the whole epoch, so a resumed run starts the next");
    }

    @Test
    void aRequestBeforeTheRunTrainsNothing() throws DataException {
        Dataset data = ids(29, 0.2, 3);
        RecordingModel model = model(data, 6);
        Trainer trainer = trainer(model, data);
        trainer.requestStop();
        Result result = trainer.run(Trainer.Listener.NONE);
        assertEquals(StopReason.REQUESTED, result.reason());
        assertEquals(0, model.forwarded.size());
        assertEquals(TrainingPosition.START, result.position());
        assertNull(result.last());
        Parabola parabola = new Parabola(0.01, 10);
        Trainer idle = new Trainer(parabola, null, TrainingSettings.of(parabola.signature()),
                LearningRateSchedule.of(parabola.signature(), 10));
        idle.requestStop();
        assertEquals(0, idle.run(Trainer.Listener.NONE).steps());
        assertEquals(0, parabola.forwards);
    }

    @Test
    void withoutDataTheRunStopsAfterTheUpdateAndResumesToTheSameBits() {
        Parabola straight = new Parabola(0.01, 30);
        Trainer.train(straight, TrainingSettings.of(straight.signature()), Trainer.Listener.NONE);
        Parabola first = new Parabola(0.01, 30);
        Trainer[] running = {new Trainer(first, null, TrainingSettings.of(first.signature()),
                LearningRateSchedule.of(first.signature(), 30))};
        Result stopped = running[0].run(stopAtStep(running, 11));
        assertEquals(StopReason.REQUESTED, stopped.reason());
        assertEquals(12, stopped.steps());
        Parabola second = new Parabola(0.01, 30);
        second.x = first.x;
        second.setStepCount(first.stepCount());
        Result rest = new Trainer(second, null, TrainingSettings.of(second.signature()),
                LearningRateSchedule.of(second.signature(), 30)).resumeFrom(stopped.position())
                .run(Trainer.Listener.NONE);
        assertEquals(30, rest.steps());
        assertEquals(Double.doubleToRawLongBits(straight.x), Double.doubleToRawLongBits(second.x));
    }

    @Test
    void anotherThreadCanStopARun() throws Exception {
        Parabola model = new Parabola(1e-12, TrainingSettings.NO_STEP_LIMIT - 1);
        Trainer trainer = new Trainer(model, null, TrainingSettings.of(model.signature()),
                LearningRateSchedule.of(model.signature(), 1));
        CountDownLatch running = new CountDownLatch(1);
        Thread stopper = new Thread(() -> {
            try {
                running.await();
                trainer.requestStop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stopper.start();
        Result result = trainer.run(Trainer.Listener.onStep((m, step, epoch, loss) -> running.countDown()));
        stopper.join(TimeUnit.SECONDS.toMillis(10));
        assertEquals(StopReason.REQUESTED, result.reason());
        assertTrue(trainer.isStopRequested());
        assertEquals(TrainingPosition.afterUpdates(result.steps()), result.position());
    }
}
