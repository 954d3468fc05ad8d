package dev.modelc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each schedule's rates against values worked out by hand from its definition. */
class LearningRateScheduleTest {
    private static final double EXACT = 1e-15;

    private static LearningRateSchedule schedule(String name, Map<String, Double> parameters, long plannedSteps) {
        return LearningRateSchedule.of(new ModelSignature.Schedule(name, parameters, List.of()), 0.1, plannedSteps);
    }

    private static double[] rates(LearningRateSchedule schedule, int count) {
        double[] rates = new double[count];
        for (int t = 0; t < count; t++) {
            rates[t] = schedule.rate(t);
        }
        return rates;
    }

    @Test
    void constantKeepsTheBaseRate() {
        assertArrayEquals(new double[] {0.1, 0.1, 0.1}, rates(schedule("constant", Map.of(), 3), 3), EXACT);
    }

    @Test
    void stepMultipliesByGammaEveryStepSizeUpdates() {
        LearningRateSchedule step = schedule("step", Map.of("step_size", 2.0, "gamma", 0.5), 10);
        assertArrayEquals(new double[] {0.1, 0.1, 0.05, 0.05, 0.025}, rates(step, 5), EXACT);
    }

    @Test
    void multistepMultipliesByGammaAtEachMilestone() {
        LearningRateSchedule multistep = LearningRateSchedule.of(
                new ModelSignature.Schedule("multistep", Map.of("gamma", 0.1), List.of(1L, 3L)), 0.1, 10);
        assertArrayEquals(new double[] {0.1, 0.01, 0.01, 0.001, 0.001}, rates(multistep, 5), 1e-17);
    }

    @Test
    void exponentialMultipliesByGammaEveryUpdate() {
        LearningRateSchedule exponential = schedule("exponential", Map.of("gamma", 0.5), 10);
        assertArrayEquals(new double[] {0.1, 0.05, 0.025, 0.0125}, rates(exponential, 4), EXACT);
    }

    @Test
    void inverseTimeDividesByOnePlusKTimesT() {
        LearningRateSchedule inverse = schedule("inverse_time", Map.of("k", 1.0), 10);
        assertArrayEquals(new double[] {0.1, 0.05, 0.1 / 3, 0.025}, rates(inverse, 4), EXACT);
    }

    @Test
    void linearWarmupRampsUpThenHolds() {
        LearningRateSchedule warmup = schedule("linear_warmup", Map.of("steps", 4.0), 10);
        assertArrayEquals(new double[] {0.025, 0.05, 0.075, 0.1, 0.1, 0.1}, rates(warmup, 6), EXACT);
    }

    @Test
    void cosineFallsFromTheBaseToTheMinimumOverItsSteps() {
        LearningRateSchedule cosine = schedule("cosine", Map.of("steps", 4.0, "warmup", 0.0, "min_lr", 0.0), 100);
        // 0.1 * (1 + cos(pi * t / 4)) / 2 for t < 4, then the minimum.
        double half = Math.sqrt(0.5);
        assertArrayEquals(new double[] {0.1, 0.05 * (1 + half), 0.05, 0.05 * (1 - half), 0, 0},
                rates(cosine, 6), EXACT);
    }

    @Test
    void cosineWarmsUpFirstAndStopsAtItsMinimum() {
        LearningRateSchedule cosine = schedule("cosine", Map.of("steps", 5.0, "warmup", 2.0, "min_lr", 0.02), 100);
        // warmup 0.05, 0.1; then 0.02 + 0.08 * (1 + cos(pi * (t - 2) / 3)) / 2: 0.1, 0.08, 0.04; then 0.02.
        assertArrayEquals(new double[] {0.05, 0.1, 0.1, 0.08, 0.04, 0.02, 0.02}, rates(cosine, 7), EXACT);
    }

    @Test
    void cosineWithoutStepsSpansThePlannedRun() {
        LearningRateSchedule cosine = schedule("cosine", Map.of("warmup", 0.0, "min_lr", 0.0), 2);
        assertArrayEquals(new double[] {0.1, 0.05, 0}, rates(cosine, 3), EXACT);
        assertEquals(2, cosine.state().plannedSteps());
    }

    private static LearningRateSchedule plateau(double patience, double cooldown, double minRate) {
        return schedule("reduce_on_plateau", Map.of("factor", 0.5, "patience", patience, "threshold", 0.1,
                "cooldown", cooldown, "min_lr", minRate), 0);
    }

    /** The rate after each epoch's loss. */
    private static double[] afterEpochs(LearningRateSchedule schedule, double... losses) {
        double[] rates = new double[losses.length];
        for (int e = 0; e < losses.length; e++) {
            schedule.epochEnded(losses[e]);
            rates[e] = schedule.rate(1000);
        }
        return rates;
    }

    @Test
    void plateauHalvesTheRateAfterMoreThanPatienceEpochsWithoutImprovement() {
        // Better means below 0.9 * best. 10 sets the best; 9.5 and 9.2 are no better (9.2 > 9); the third such
        // epoch is more than patience 2, so the rate halves; 8 is better again (< 9).
        assertArrayEquals(new double[] {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025},
                afterEpochs(plateau(2, 0, 0), 10, 9.5, 9.2, 9.1, 8, 8, 8, 8), EXACT);
    }

    @Test
    void plateauCooldownIgnoresTheEpochsRightAfterAReduction() {
        // patience 0: every epoch without improvement reduces, except the one cooldown epoch after each reduction.
        assertArrayEquals(new double[] {0.1, 0.05, 0.05, 0.025, 0.025},
                afterEpochs(plateau(0, 1, 0), 1, 1, 1, 1, 1), EXACT);
    }

    @Test
    void plateauNeverGoesBelowItsMinimum() {
        assertArrayEquals(new double[] {0.1, 0.05, 0.04, 0.04},
                afterEpochs(plateau(0, 0, 0.04), 1, 1, 1, 1), EXACT);
    }

    @Test
    void onlyThePlateauListensToEpochs() {
        LearningRateSchedule step = schedule("step", Map.of("step_size", 1.0, "gamma", 0.5), 10);
        step.epochEnded(1);
        step.epochEnded(1);
        assertEquals(0.1, step.rate(0));
        assertEquals(step.state(), schedule("step", Map.of("step_size", 1.0, "gamma", 0.5), 10).state());
    }

    @Test
    void aRestoredScheduleGoesOnExactlyWhereTheSavedOneWas() {
        LearningRateSchedule original = plateau(1, 1, 0);
        afterEpochs(original, 5, 5, 5);
        LearningRateSchedule.State saved = original.state();
        LearningRateSchedule restored = LearningRateSchedule.restore(original.spec(), saved);
        assertEquals(saved, restored.state());
        assertArrayEquals(afterEpochs(original, 5, 4, 4, 4, 4), afterEpochs(restored, 5, 4, 4, 4, 4));
        assertEquals(original.state(), restored.state());
    }

    @Test
    void aScheduleMissingAParameterIsRefused() {
        ModelSignature.Schedule incomplete = new ModelSignature.Schedule("step", Map.of("gamma", 0.5), List.of());
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.of(incomplete, 0.1, 10));
        ModelSignature.Schedule unknown = new ModelSignature.Schedule("triangle", Map.of(), List.of());
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.of(unknown, 0.1, 10));
        assertThrows(IllegalArgumentException.class, () -> schedule("constant", Map.of(), 1).rate(-1));
    }

    @Test
    void readsAsTheTrainBlockWritesIt() {
        assertEquals("cosine(min_lr = 0.0, warmup = 100.0)",
                schedule("cosine", Map.of("warmup", 100.0, "min_lr", 0.0), 10).toString());
        assertEquals("multistep(milestones = [30, 80], gamma = 0.1)", LearningRateSchedule.of(
                new ModelSignature.Schedule("multistep", Map.of("gamma", 0.1), List.of(30L, 80L)), 1, 1).toString());
    }
}
