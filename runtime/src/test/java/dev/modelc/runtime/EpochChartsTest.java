package dev.modelc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelc.runtime.data.DataException;
import dev.modelc.runtime.plot.EpochCharts;
import dev.modelc.runtime.plot.Plots;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The charts of a run on data hold, for each epoch at the steps made by its end, the mean loss
 * and metric over its batches and their values on the test rows. The recording model's loss is
 * a batch's mean id and its metric the mean squared id, so both follow from which rows are
 * trained on and which are held out.
 */
class EpochChartsTest {
    private static List<Plots.Chart> charts(Dataset data, TrainingHistory history) {
        RecordingModel model = TrainerTest.model(data, 4);
        Trainer.train(model, data, new TrainingSettings(3, 4, false, 100, 1), history);
        return EpochCharts.of(model.signature(), "Recording", new Plots.Curve("", history.steps(), history.losses(),
                false), history.epochs());
    }

    private static double mean(int[] ids, IntToDoubleFunction value) {
        return Arrays.stream(ids).mapToDouble(value).average().orElseThrow();
    }

    private static double[] threeTimes(double value) {
        return new double[] {value, value, value};
    }

    private static List<String> labels(Plots.Chart chart) {
        return chart.curves().stream().map(Plots.Curve::label).toList();
    }

    @Test
    void eachEpochShowsTheTrainingMeanAndTheTestRowsAtItsLastStep() throws DataException {
        Dataset data = TrainerTest.ids(10, 0.3, 1);
        TrainingHistory history = new TrainingHistory();
        List<Plots.Chart> charts = charts(data, history);
        int[] train = data.trainRows();
        int[] test = data.testRows();
        assertEquals(7, train.length);
        assertEquals(2, charts.size(), "the loss, and the one metric");
        // Seven training rows in batches of 4: two steps an epoch.
        double[] ends = {2, 4, 6};

        Plots.Chart loss = charts.get(0);
        assertEquals("loss L", loss.yLabel());
        assertEquals(List.of(EpochCharts.EACH_STEP, EpochCharts.EPOCH_MEAN, EpochCharts.TEST), labels(loss));
        assertArrayEquals(history.steps(), loss.curves().get(0).steps());
        assertArrayEquals(history.losses(), loss.curves().get(0).losses());
        assertArrayEquals(ends, loss.curves().get(1).steps());
        assertArrayEquals(threeTimes(mean(train, id -> id)), loss.curves().get(1).losses(), 1e-12);
        assertArrayEquals(ends, loss.curves().get(2).steps());
        assertArrayEquals(threeTimes(mean(test, id -> id)), loss.curves().get(2).losses(), 1e-12);

        Plots.Chart metric = charts.get(1);
        assertEquals("m", metric.yLabel());
        assertEquals(List.of(EpochCharts.EPOCH_MEAN, EpochCharts.TEST), labels(metric));
        assertArrayEquals(threeTimes(mean(train, id -> (double) id * id)), metric.curves().get(0).losses(), 1e-9);
        assertArrayEquals(threeTimes(mean(test, id -> (double) id * id)), metric.curves().get(1).losses(), 1e-9);
    }

    @Test
    void withoutTestRowsThereIsNoTestCurve() throws DataException {
        List<Plots.Chart> charts = charts(TrainerTest.ids(10, 0, 1), new TrainingHistory());
        assertEquals(List.of(EpochCharts.EACH_STEP, EpochCharts.EPOCH_MEAN), labels(charts.get(0)));
        assertEquals(List.of(EpochCharts.EPOCH_MEAN), labels(charts.get(1)));
        assertArrayEquals(threeTimes(mean(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, id -> id)),
                charts.get(0).curves().get(1).losses(), 1e-12);
    }
}
