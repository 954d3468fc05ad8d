package dev.modelc.runtime;

import static dev.modelc.runtime.DatasetTest.classes;
import static dev.modelc.runtime.DatasetTest.features;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelc.runtime.data.DataException;
import dev.modelc.runtime.data.Table;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchGathererTest {
    // Row r holds r, 100 + r, the class r % 4, then 0.5 * r.
    private static Table table() {
        double[][] cells = new double[6][];
        for (int r = 0; r < 6; r++) {
            cells[r] = new double[] {r, 100 + r, r % 4, 0.5 * r};
        }
        return Table.of("t.csv", 1, cells);
    }

    private static final List<ModelSignature.Input> INPUTS = List.of(features("x", 3), classes("y", 4));

    @Test
    void copiesTheChosenRowsIntoArraysOfTheModelsTypes() throws DataException {
        Dataset data = Dataset.of(table(), INPUTS, 2, 0, false, 0);
        RecordingModel model = new RecordingModel("f32", 4, INPUTS);
        BatchGatherer gatherer = new BatchGatherer(model, data);
        gatherer.bind(new int[] {9, 5, 2, 3, 9}, 1, 3);
        float[] x = (float[]) model.bound.get(0)[0];
        int[] y = (int[]) model.bound.get(0)[1];
        assertEquals(12, x.length, "capacity 4 times 3 features");
        assertEquals(4, y.length);
        float[] expectedX = {5, 105, 2.5f, 2, 102, 1, 3, 103, 1.5f};
        assertArrayEquals(expectedX, Arrays.copyOf(x, 9));
        assertArrayEquals(new int[] {1, 2, 3}, Arrays.copyOf(y, 3));
    }

    @Test
    void doublesForF64AndTheSameArraysForEveryBatch() throws DataException {
        Dataset data = Dataset.of(table(), List.of(features("x", 4)), -1, 0, false, 0);
        RecordingModel model = new RecordingModel("f64", 2, data.inputs());
        BatchGatherer gatherer = new BatchGatherer(model, data);
        gatherer.bind(new int[] {4}, 0, 1);
        gatherer.bind(new int[] {1, 0}, 0, 2);
        double[] first = (double[]) model.bound.get(0)[0];
        assertSame(first, model.bound.get(1)[0], "arrays are made once and refilled");
        assertArrayEquals(new double[] {1, 101, 1, 0.5, 0, 100, 0, 0}, first);
    }

    @Test
    void valuesArriveStandardized() throws DataException {
        Dataset data = Dataset.of(table(), INPUTS, 2, 0, true, 0);
        RecordingModel model = new RecordingModel("f64", 6, INPUTS);
        new BatchGatherer(model, data).bind(new int[] {0, 1, 2, 3, 4, 5}, 0, 6);
        double[] x = (double[]) model.bound.get(0)[0];
        // Column 0 holds 0..5: mean 2.5, deviation sqrt(35 / 12) over all six rows.
        double std = Math.sqrt(35.0 / 12);
        assertEquals((4 - 2.5) / std, x[4 * 3], 1e-12);
        assertEquals((104 - 102.5) / std, x[4 * 3 + 1], 1e-12);
        assertArrayEquals(new int[] {0, 1, 2, 3, 0, 1}, (int[]) model.bound.get(0)[1]);
    }

    @Test
    void refusesBatchesBeyondTheCapacityAndForeignData() throws DataException {
        Dataset data = Dataset.of(table(), INPUTS, 2, 0, false, 0);
        BatchGatherer gatherer = new BatchGatherer(new RecordingModel("f64", 2, INPUTS), data);
        assertThrows(IllegalArgumentException.class, () -> gatherer.bind(new int[] {0, 1, 2}, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> gatherer.bind(new int[] {0}, 0, 0));
        RecordingModel other = new RecordingModel("f64", 2, List.of(features("z", 3), classes("y", 4)));
        assertThrows(IllegalArgumentException.class, () -> new BatchGatherer(other, data));
    }
}
