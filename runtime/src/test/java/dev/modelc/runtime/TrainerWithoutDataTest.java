package dev.modelc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.modelc.runtime.Trainer.Result;
import dev.modelc.runtime.Trainer.StopReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Training without data: every step is the whole (empty) batch, and after the last update one
 * more forward pass says where training ended. The parabola's x is multiplied by 1 - 2 lr each
 * update, so every figure here follows from that by hand.
 */
class TrainerWithoutDataTest {
    /** Every step's number and loss, as told. */
    private static final class Steps implements Trainer.Listener {
        final List<Long> steps = new ArrayList<>();
        final List<Double> losses = new ArrayList<>();

        @Override
        public void step(TrainableModel model, long step, long epoch, double loss) {
            assertEquals(0, epoch, "no epochs without data");
            steps.add(step);
            losses.add(loss);
        }
    }

    private static Result train(Parabola model, Trainer.Listener listener) {
        return Trainer.train(model, TrainingSettings.of(model.signature()), listener);
    }

    @Test
    void theLastUpdateIsMeasuredByOneMoreForwardPass() {
        Parabola model = new Parabola(0.01, 5);
        Steps told = new Steps();
        Result result = train(model, told);
        assertEquals(StopReason.MAX_STEPS, result.reason());
        assertEquals(5, result.steps());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), told.steps);
        assertEquals(6, model.forwards);
        double x = 3;
        for (int i = 0; i < 5; i++) {
            x -= 0.01 * 2 * x;
        }
        assertEquals(x * x, result.loss(), "the loss at the parameters left");
        assertEquals(TrainingPosition.afterUpdates(5), result.position());
        assertNull(result.last(), "no epochs without data");
    }

    @Test
    void theStopConditionIsCheckedAfterTheLastUpdateToo() {
        // lr 0.25 halves x: J = 9 / 4^n falls below 1e-4 at n = 9.
        assertEquals(StopReason.CONDITION, train(new Parabola(0.25, 9), Trainer.Listener.NONE).reason());
        Result unlimited = train(new Parabola(0.25, 100), Trainer.Listener.NONE);
        assertEquals(StopReason.CONDITION, unlimited.reason());
        assertEquals(9, unlimited.steps());
        assertEquals(StopReason.MAX_STEPS, train(new Parabola(0.25, 8), Trainer.Listener.NONE).reason());
    }

    @Test
    void aTrainBlockWithoutMaxStepsMakesAThousandUpdates() {
        Parabola model = new Parabola(1e-6, TrainingSettings.UNSET);
        Result result = train(model, Trainer.Listener.NONE);
        assertEquals(StopReason.MAX_STEPS, result.reason());
        assertEquals(TrainingSettings.DEFAULT_STEPS_WITHOUT_DATA, result.steps());
    }

    @Test
    void aLossThatIsNotFiniteEndsTheRunBeforeItsUpdate() {
        Parabola model = new Parabola(1e200, 10);
        Result result = train(model, Trainer.Listener.NONE);
        assertEquals(StopReason.DIVERGED, result.reason());
        assertEquals(Double.POSITIVE_INFINITY, result.loss());
        assertEquals(1, result.steps(), "x = 3 - 6e200 is finite, its square is not");
        assertEquals("the loss J is Infinity after 1 update", result.nonFinite().describe("update"));
    }

    @Test
    void theScheduleSetsEveryRateWhateverTheModelHeld() {
        Parabola model = new Parabola(0.1, 3);
        model.setLearningRate(0.4);
        LearningRateSchedule halving = LearningRateSchedule.of(
                new ModelSignature.Schedule("step", java.util.Map.of("step_size", 1.0, "gamma", 0.5), List.of()),
                0.2, 3);
        new Trainer(model, null, TrainingSettings.of(model.signature()), halving).run(Trainer.Listener.NONE);
        assertEquals(3 * (1 - 0.4) * (1 - 0.2) * (1 - 0.1), model.x, 1e-15);
    }
}
