package dev.modelc.runtime;

import static dev.modelc.runtime.DatasetTest.features;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelc.runtime.Trainer.EpochStats;
import dev.modelc.runtime.Trainer.Result;
import dev.modelc.runtime.Trainer.StopReason;
import dev.modelc.runtime.data.DataException;
import dev.modelc.runtime.data.Table;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TrainerTest {
    /** Collects what the trainer reports. */
    static final class Recorder implements Trainer.Listener {
        final List<EpochStats> epochs = new ArrayList<>();
        Result result;

        @Override
        public void epoch(TrainableModel model, EpochStats stats) {
            epochs.add(stats);
        }

        @Override
        public void finished(TrainableModel model, Result result) {
            this.result = result;
        }
    }

    /** A table whose row r holds the id r and then r * r. */
    static Dataset ids(int rows, double testFraction, long seed) throws DataException {
        double[][] cells = new double[rows][];
        for (int r = 0; r < rows; r++) {
            cells[r] = new double[] {r, (double) r * r};
        }
        return Dataset.of(Table.of("ids.csv", 1, cells), List.of(features("x", 2)), -1, testFraction, false, seed);
    }

    /** Goes on from {@code position} under the model's own schedule. */
    static Result resume(TrainableModel model, Dataset data, TrainingSettings settings, Trainer.Listener listener,
                         TrainingPosition position) {
        LearningRateSchedule schedule = LearningRateSchedule.of(model.signature(), settings.plannedSteps(data));
        return new Trainer(model, data, settings, schedule).resumeFrom(position).run(listener);
    }

    static RecordingModel model(Dataset data, int capacity) {
        return new RecordingModel("f64", capacity, data.inputs());
    }

    @Test
    void withoutShuffleBatchesFollowTheTableAndKeepThePartialLast() throws DataException {
        Dataset data = ids(10, 0, 0);
        RecordingModel model = model(data, 4);
        Result result = Trainer.train(model, data, new TrainingSettings(2, 4, false, 100, 1), new Recorder());
        int[][] epoch = {{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9}};
        assertArrayEquals(new int[][] {epoch[0], epoch[1], epoch[2], epoch[0], epoch[1], epoch[2]},
                model.updated.toArray(new int[0][]));
        assertEquals(6, result.steps());
        assertEquals(StopReason.EPOCHS, result.reason());
        assertEquals(6, model.forwarded.size(), "no test rows, so no evaluation passes");
    }

    @Test
    void batchSizeZeroIsTheWholeTrainingSet() throws DataException {
        Dataset data = ids(7, 0, 0);
        RecordingModel model = model(data, 7);
        Trainer.train(model, data, new TrainingSettings(3, 0, false, 100, 1), new Recorder());
        assertEquals(3, model.updated.size());
        model.updated.forEach(batch -> assertArrayEquals(IntStream.range(0, 7).toArray(), batch));
    }

    @Test
    void shuffledEpochsCoverEveryTrainingRowOnceInSeededOrder() throws DataException {
        Dataset data = ids(30, 0.2, 4);
        List<int[]> first = shuffledEpochs(data, 17);
        for (int[] epoch : first) {
            assertArrayEquals(data.trainRows(), Arrays.stream(epoch).sorted().toArray(),
                    "an epoch visits every training row exactly once");
        }
        assertFalse(Arrays.equals(first.get(0), first.get(1)), "each epoch has its own order");
        assertFalse(Arrays.equals(first.get(0), data.trainRows()), "the order is shuffled");
        List<int[]> again = shuffledEpochs(data, 17);
        for (int e = 0; e < first.size(); e++) {
            assertArrayEquals(first.get(e), again.get(e), "the same seed gives the same order");
        }
        assertFalse(Arrays.equals(first.get(0), shuffledEpochs(data, 18).get(0)));
    }

    /** The rows of each of 3 epochs, batches of 5 (so 24 training rows end in a partial batch of 4). */
    private static List<int[]> shuffledEpochs(Dataset data, long seed) {
        RecordingModel model = model(data, 6);
        Trainer.train(model, data, new TrainingSettings(3, 5, true, 1000, seed), new Recorder());
        List<int[]> epochs = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            List<int[]> batches = model.updated.subList(5 * e, 5 * e + 5);
            assertEquals(4, batches.get(4).length);
            epochs.add(batches.stream().flatMapToInt(Arrays::stream).toArray());
        }
        assertEquals(15, model.updated.size());
        return epochs;
    }

    @Test
    void lossesAndMetricsAreAveragedWeightedByRows() throws DataException {
        Dataset data = ids(40, 0.25, 8);
        RecordingModel model = model(data, 4);
        Recorder recorder = new Recorder();
        Trainer.train(model, data, new TrainingSettings(1, 3, false, 100, 1), recorder);
        EpochStats stats = recorder.epochs.get(0);
        // The loss of a batch is the mean id of its rows, the metric the mean squared id: weighting by
        // rows makes the averages the means over all rows, which unequal batches would otherwise skew.
        double[] train = Arrays.stream(data.trainRows()).asDoubleStream().toArray();
        double[] test = Arrays.stream(data.testRows()).asDoubleStream().toArray();
        assertEquals(30, stats.train().rows());
        assertEquals(Arrays.stream(train).average().orElseThrow(), stats.train().loss(), 1e-12);
        assertEquals(Arrays.stream(train).map(v -> v * v).average().orElseThrow(),
                stats.train().metrics().get(0), 1e-9);
        assertEquals(10, stats.test().rows());
        assertEquals(Arrays.stream(test).average().orElseThrow(), stats.test().loss(), 1e-12);
        assertEquals(Arrays.stream(test).map(v -> v * v).average().orElseThrow(), stats.test().metrics().get(0),
                1e-9);
        assertEquals(10, model.updated.size());
        assertEquals(10, model.backwards, "evaluation runs no backward pass");
        assertEquals(10 + 3, model.forwarded.size(), "ten test rows are evaluated in chunks of at most four");
        assertArrayEquals(data.testRows(), model.forwarded.subList(10, 13).stream()
                .flatMapToInt(Arrays::stream).toArray());
    }

    @Test
    void maxStepsStopsMidEpoch() throws DataException {
        Dataset data = ids(10, 0, 0);
        RecordingModel model = model(data, 3);
        Recorder recorder = new Recorder();
        Result result = Trainer.train(model, data, new TrainingSettings(5, 3, false, 6, 1), recorder);
        assertEquals(StopReason.MAX_STEPS, result.reason());
        assertEquals(6, result.steps());
        assertEquals(2, recorder.epochs.size());
        assertEquals(2, result.last().epoch());
        assertEquals(6, result.last().train().rows(), "the partial epoch saw two batches of three");
        assertEquals(result, recorder.result);
    }

    @Test
    void maxStepsAtTheLastBatchIsAnOrdinaryEnd() throws DataException {
        Dataset data = ids(10, 0, 0);
        Result result = Trainer.train(model(data, 3), data, new TrainingSettings(2, 3, false, 8, 1), new Recorder());
        assertEquals(StopReason.EPOCHS, result.reason());
        assertEquals(8, result.steps());
    }

    @Test
    void aStopRequestEndsTrainingBeforeThatUpdate() throws DataException {
        Dataset data = ids(10, 0.2, 0);
        RecordingModel model = model(data, 2);
        model.stopAtForward = 3;
        Recorder recorder = new Recorder();
        Result result = Trainer.train(model, data, new TrainingSettings(4, 2, false, 100, 1), recorder);
        assertEquals(StopReason.CONDITION, result.reason());
        assertEquals(2, result.steps());
        assertEquals(2, model.updated.size());
        assertEquals(1, recorder.epochs.size());
        assertEquals(6, recorder.epochs.get(0).train().rows(), "the stopping batch's loss is still counted");
        assertEquals(2, recorder.epochs.get(0).test().rows(), "the test rows are measured at the end");
    }

    @Test
    void aLossThatIsNotFiniteEndsTrainingAsDiverged() throws DataException {
        Dataset data = ids(10, 0, 0);
        RecordingModel model = model(data, 4);
        model.nanAtForward = 5;
        Recorder recorder = new Recorder();
        Result result = Trainer.train(model, data, new TrainingSettings(4, 4, false, 100, 1), recorder);
        assertEquals(StopReason.DIVERGED, result.reason());
        assertEquals(4, result.steps());
        assertEquals(2, result.last().epoch());
        assertEquals(Double.NaN, result.last().train().loss());
        assertNull(result.last().test());
    }

    @Test
    void evaluationChunksByCapacity() throws DataException {
        Dataset data = ids(9, 0, 0);
        RecordingModel model = model(data, 4);
        Trainer.Evaluation evaluation = Trainer.evaluate(model,
                new BatchGatherer(model, data), new int[] {8, 1, 2, 3, 4});
        assertEquals(2, model.forwarded.size());
        assertEquals(18 / 5.0, evaluation.loss(), 1e-12, "(8 + 1 + 2 + 3 + 4) / 5, not the mean of chunk means");
        assertNotEquals(((8 + 1 + 2 + 3) / 4.0 + 4) / 2, evaluation.loss(), 1e-6);
        assertEquals((64 + 1 + 4 + 9 + 16) / 5.0, evaluation.metrics().get(0), 1e-12);
        assertEquals(0, model.updated.size());
        assertEquals(List.of(false, false), model.training, "evaluated, not trained: no dropout");
        model.forward();
        assertEquals(true, model.training.get(2), "training again afterwards");
    }

    @Test
    void capacityCoversABatchAndATestChunk() {
        assertEquals(200, TrainingSettings.capacityFor(32, 1000, 200));
        assertEquals(64, TrainingSettings.capacityFor(64, 1000, 50));
        assertEquals(4096, TrainingSettings.capacityFor(32, 1000, 100_000));
        assertEquals(1000, TrainingSettings.capacityFor(0, 1000, 10));
        assertEquals(10, TrainingSettings.capacityFor(64, 10, 0));
    }

    @Test
    void settingsComeFromTheTrainBlock() {
        ModelSignature.TrainDefaults train = new ModelSignature.TrainDefaults("sgd", Map.of("lr", 0.1, "momentum", 0.9),
                ModelSignature.Schedule.CONSTANT, 0, 500, 42, 32, true, 20, null);
        assertEquals(new TrainingSettings(20, 32, true, 500, 42), TrainingSettings.of(train));
    }

    @Test
    void aModelTooSmallForTheBatchIsRefused() throws DataException {
        Dataset data = ids(10, 0, 0);
        assertThrows(IllegalArgumentException.class, () -> Trainer.train(model(data, 3), data,
                new TrainingSettings(1, 4, false, 10, 0), new Recorder()));
        assertThrows(IllegalArgumentException.class, () -> new TrainingSettings(0, 4, false, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new TrainingSettings(1, -1, false, 10, 0));
    }
}
