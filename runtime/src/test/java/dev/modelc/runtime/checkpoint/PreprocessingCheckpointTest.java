package dev.modelc.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.Dataset;
import dev.modelc.runtime.LearningRateSchedule;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Preprocessing;
import dev.modelc.runtime.TrainingPosition;
import dev.modelc.runtime.data.DataException;
import dev.modelc.runtime.data.Table;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How training read its rows goes into the checkpoint and comes back exactly, and reads new rows the same way. */
class PreprocessingCheckpointTest {
    private static final List<ModelSignature.Input> INPUTS = List.of(
            new ModelSignature.Input("x", List.of(ModelSignature.BATCH, 2), false, 0),
            new ModelSignature.Input("y", List.of(ModelSignature.BATCH), true, 0));

    @TempDir
    Path temp;

    /** Label in the middle column, features around it on very different scales. */
    private static Dataset data() throws DataException {
        double[][] rows = new double[20][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = new double[] {1000 + 37.5 * r, r % 3, 0.001 * r * r - 0.3};
        }
        return Dataset.of(Table.of("t.csv", 2, rows), INPUTS, 1, 0.25, true, 9);
    }

    @Test
    void theFeaturesOfARawRowAreWhatTrainingFedTheModel() throws Exception {
        Dataset data = data();
        Preprocessing p = Preprocessing.of(data, 1);
        assertEquals(3, p.columns());
        assertEquals(1, p.labelColumn());
        assertEquals(1, p.skipLines());
        assertEquals(3, p.classes());
        for (int row = 0; row < data.table().rows(); row++) {
            double[] raw = {data.table().get(row, 0), data.table().get(row, 1), data.table().get(row, 2)};
            double[] expected = {data.value(row, 0), data.value(row, 2)};
            assertArrayEquals(expected, p.features(raw));
            assertArrayEquals(expected, p.features(new double[] {raw[0], raw[2]}));
        }
        assertTrue(p.mean(0) > 1000, "the features were standardized");
        assertThrows(IllegalArgumentException.class, () -> p.features(new double[4]));
        assertThrows(IllegalArgumentException.class, () -> p.features(new double[1]));
    }

    @Test
    void aCheckpointKeepsItExactly() throws Exception {
        Preprocessing p = Preprocessing.of(data(), 1);
        StateModel model = new StateModel("f64", List.of(3));
        Path path = temp.resolve("p.safetensors");
        Checkpoint.Run run = new Checkpoint.Run(9, 4, true, 15, p);
        Checkpoint.of(model, TrainingPosition.START, run, LearningRateSchedule.of(model.signature(), 0.1, 0).state())
                .write(path);
        Checkpoint read = Checkpoint.read(path);
        assertEquals(p, read.preprocessing());
        assertEquals(run, read.run());
        assertTrue(read.isModelc());
    }

    @Test
    void aCheckpointWithoutDataHasNone() throws Exception {
        StateModel model = new StateModel("f64", List.of(3));
        Path path = temp.resolve("none.safetensors");
        Checkpoint.of(model, TrainingPosition.START, new Checkpoint.Run(0, 0, false, 0),
                LearningRateSchedule.of(model.signature(), 0.1, 0).state()).write(path);
        assertNull(Checkpoint.read(path).preprocessing());
    }

    @Test
    void newRowsAreStandardizedWithTheTrainingNumbersNotTheirOwn() throws Exception {
        Dataset training = data();
        Preprocessing p = Preprocessing.of(training, 0);
        Table fresh = Table.of("new.csv", 1, new double[][] {{5000, 1, 2}, {7000, 2, 3}});
        Dataset rows = Dataset.of(fresh, INPUTS, p);
        assertEquals(2, rows.trainSize());
        assertEquals(0, rows.testSize());
        assertEquals((5000 - p.mean(0)) / p.std(0), rows.value(0, 0));
        assertEquals((3 - p.mean(1)) / p.std(1), rows.value(1, 2));
        DataException wide = assertThrows(DataException.class, () -> Dataset.of(Table.of("w.csv", 1,
                new double[][] {{1, 2, 3, 4}}), INPUTS, p));
        assertEquals("w.csv:1: row has 4 columns, but the model was trained on rows of 3", wide.getMessage());
        DataException label = assertThrows(DataException.class, () -> Dataset.of(Table.of("l.csv", 1,
                new double[][] {{1, 2, 3}, {1, 3, 3}}), INPUTS, p));
        assertEquals("l.csv:2: the 2nd cell is 3, but the model was trained on classes 0 to 2", label.getMessage());
        assertFalse(p.withLabel(2));
    }
}
