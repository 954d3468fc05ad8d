package dev.modelc.runtime;

import static dev.modelc.runtime.TrainerTest.ids;
import static dev.modelc.runtime.TrainerTest.model;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelc.runtime.data.DataException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The minibatch trainer sets the schedule's rate before every update and tells the schedule
 * each complete epoch's mean training loss. Ten rows in batches of four make three updates
 * per epoch; the recording model's loss is the batch's mean row id, so every epoch's mean
 * training loss is the same 4.5: a plateau.
 */
class ScheduledTrainerTest {

    private static List<Double> train(LearningRateSchedule schedule, TrainingSettings settings) throws DataException {
        Dataset data = ids(10, 0, 0);
        RecordingModel model = model(data, 4);
        new Trainer(model, data, settings, schedule).run(new TrainerTest.Recorder());
        return model.rates;
    }

    private static List<Double> repeated(double rate, int times) {
        return Collections.nCopies(times, rate);
    }

    @Test
    void everyUpdateGetsTheRateOfItsIndex() throws DataException {
        LearningRateSchedule step = LearningRateSchedule.of(
                new ModelSignature.Schedule("step", Map.of("step_size", 2.0, "gamma", 0.5), List.of()), 0.1, 6);
        assertEquals(List.of(0.1, 0.1, 0.05, 0.05, 0.025, 0.025), train(step, new TrainingSettings(2, 4, false, 100, 0)));
    }

    @Test
    void thePlateauReducesTheRateAfterAnEpochWithoutImprovement() throws DataException {
        LearningRateSchedule plateau = LearningRateSchedule.of(new ModelSignature.Schedule("reduce_on_plateau",
                Map.of("factor", 0.5, "patience", 0.0, "threshold", 1e-4, "cooldown", 0.0, "min_lr", 0.0),
                List.of()), 0.1, 9);
        List<Double> expected = new ArrayList<>(repeated(0.1, 6));
        expected.addAll(repeated(0.05, 3));
        assertEquals(expected, train(plateau, new TrainingSettings(3, 4, false, 100, 0)));
        assertEquals(new LearningRateSchedule.State(0.1, 9, 0.025, 4.5, 0, 0), plateau.state());
    }

    @Test
    void aPartialLastEpochIsNotCounted() throws DataException {
        LearningRateSchedule plateau = LearningRateSchedule.of(new ModelSignature.Schedule("reduce_on_plateau",
                Map.of("factor", 0.5, "patience", 5.0, "threshold", 1e-4, "cooldown", 0.0, "min_lr", 0.0),
                List.of()), 0.1, 9);
        train(plateau, new TrainingSettings(3, 4, false, 5, 0));
        assertEquals(0, plateau.state().badEpochs(), "the first epoch set the best loss; the second was cut short");
        assertEquals(4.5, plateau.state().bestLoss());
    }

    @Test
    void withoutASchedulePassedTheTrainBlocksRateIsTheBaseWhateverTheModelHolds() throws DataException {
        Dataset data = ids(10, 0, 0);
        RecordingModel model = model(data, 4);
        model.setLearningRate(0.3);
        Trainer.train(model, data, new TrainingSettings(1, 4, false, 100, 0), new TrainerTest.Recorder());
        assertEquals(repeated(LearningRateSchedule.DEFAULT_RATE, 3), model.rates,
                "the recording model has no train block, so gd's default rate");
    }

    @Test
    void theRunPlansEveryBatchOfEveryEpochUpToTheStepLimit() {
        assertEquals(6, new TrainingSettings(2, 4, false, 100, 0).plannedSteps(10));
        assertEquals(5, new TrainingSettings(2, 4, false, 5, 0).plannedSteps(10));
        TrainingSettings wholeSet = new TrainingSettings(3, 0, false, TrainingSettings.NO_STEP_LIMIT, 0);
        assertEquals(3, wholeSet.plannedSteps(10));
    }
}
