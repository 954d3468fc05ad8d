package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelc.runtime.LearningRateSchedule;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.TrainingSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each schedule of the train block, run by the trainer on {@code L = a^2 / 2} from a = 1 with
 * gradient descent, so that update t multiplies a by (1 - lr_t); the rates are worked out by
 * hand from each schedule's definition, for a run of three updates.
 */
class ScheduledTrainingTest {

    static Stream<Arguments> schedules() {
        double third = 0.1 / 3;
        return Stream.of(
                Arguments.of("constant", new double[] {0.1, 0.1, 0.1}),
                Arguments.of("step(step_size = 2, gamma = 0.5)", new double[] {0.1, 0.1, 0.05}),
                Arguments.of("step(step_size = 2)", new double[] {0.1, 0.1, 0.01}),
                Arguments.of("multistep(milestones = [1, 2], gamma = 0.1)", new double[] {0.1, 0.01, 0.001}),
                Arguments.of("exponential(gamma = 0.5)", new double[] {0.1, 0.05, 0.025}),
                Arguments.of("inverse_time(k = 1)", new double[] {0.1, 0.05, third}),
                Arguments.of("linear_warmup(steps = 2)", new double[] {0.05, 0.1, 0.1}),
                // 0.1 * (1 + cos(pi * t / 3)) / 2: 0.1, 0.075, 0.025
                Arguments.of("cosine(steps = 3)", new double[] {0.1, 0.075, 0.025}),
                Arguments.of("cosine()", new double[] {0.1, 0.075, 0.025}),
                // warmup (0 + 1) / 1 * 0.1; then 0.01 + 0.09 * (1 + cos(pi * (t - 1) / 3)) / 2: 0.1, 0.0775
                Arguments.of("cosine(steps = 4, warmup = 1, min_lr = 0.01)", new double[] {0.1, 0.1, 0.0775}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedules")
    void threeUpdatesFollowTheSchedule(String schedule, double[] rates) {
        TrainableModel model = OptimizerUpdatesTest.compile("param a = 1.0\nloss L = 0.5 * a^2\n"
                + "train {\n  optimizer gd(lr = 0.1)\n  schedule " + schedule + "\n}\n");
        Run run = Run.of(model, 3);
        double a = 1;
        for (int t = 0; t < 3; t++) {
            a *= 1 - rates[t];
            assertEquals(a, run.params.get(t + 1), 1e-15, "a after update " + (t + 1));
            assertEquals(rates[t], run.rates.get(t), 1e-15, "rate of update " + (t + 1));
        }
    }

    @Test
    void thePlateauHalvesTheRateOnceTheLossStopsFalling() {
        // At lr 2 each update sends a to -a: the loss stays 0.5. The first loss sets the best, the second is no
        // better and patience is 0, so the third update has half the rate and lands on a = 1 - 1 * 1 = 0.
        TrainableModel model = OptimizerUpdatesTest.compile("param a = 1.0\nloss L = 0.5 * a^2\n"
                + "train {\n  optimizer gd(lr = 2)\n  schedule reduce_on_plateau(factor = 0.5, patience = 0)\n}\n");
        Run run = Run.of(model, 3);
        assertEquals(List.of(1.0, -1.0, 1.0, 0.0), run.params);
        // The fourth rate is the one the model holds at the last forward pass, after the third loss was no better.
        assertEquals(List.of(2.0, 2.0, 1.0, 0.5), run.rates);
    }

    @Test
    void anotherBaseRateScalesTheWholeSchedule() {
        // As `--lr 0.2` does: the schedule starts from the rate given, not from the train block's, whatever
        // the model held before.
        TrainableModel model = OptimizerUpdatesTest.compile("param a = 1.0\nloss L = 0.5 * a^2\n"
                + "train {\n  optimizer gd(lr = 0.1)\n  schedule step(step_size = 2, gamma = 0.5)\n}\n");
        model.setLearningRate(5);
        Run run = Run.of(model, LearningRateSchedule.of(model.signature(), 0.2, 3), 3);
        assertArrayEquals(new double[] {0.8, 0.64, 0.576},
                run.params.subList(1, 4).stream().mapToDouble(Double::doubleValue).toArray(), 1e-15);
    }

    /** Each step's parameter {@code a} and the rate the model holds then, which that step's update uses. */
    private record Run(List<Double> params, List<Double> rates) {
        static Run of(TrainableModel model, long steps) {
            return of(model, LearningRateSchedule.of(model.signature(), steps), steps);
        }

        static Run of(TrainableModel model, LearningRateSchedule schedule, long steps) {
            Run run = new Run(new ArrayList<>(), new ArrayList<>());
            TrainingSettings settings = TrainingSettings.of(model.signature()).withMaxSteps(steps);
            new Trainer(model, null, settings, schedule).run(Trainer.Listener.onStep((m, step, epoch, loss) -> {
                run.params.add(m.param(0, 0));
                run.rates.add(m.learningRate());
            }));
            return run;
        }
    }
}
