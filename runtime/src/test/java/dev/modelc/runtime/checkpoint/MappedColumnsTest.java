package dev.modelc.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.Dataset;
import dev.modelc.runtime.LearningRateSchedule;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.ModelSignature.Column;
import dev.modelc.runtime.ModelSignature.Feed;
import dev.modelc.runtime.ModelSignature.Range;
import dev.modelc.runtime.Preprocessing;
import dev.modelc.runtime.TrainingPosition;
import dev.modelc.runtime.data.CsvReader;
import dev.modelc.runtime.data.DataException;
import dev.modelc.runtime.data.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CSV file with a header feeds several inputs by column names and numbers, ignoring the other
 * columns; a checkpoint keeps the mapping, and new files are read by name in any column order.
 */
class MappedColumnsTest {
    private static final List<ModelSignature.Input> INPUTS = List.of(
            new ModelSignature.Input("x", List.of(ModelSignature.BATCH, 1, 2), false, 0),
            new ModelSignature.Input("ids", List.of(ModelSignature.BATCH, 2), true, 4),
            new ModelSignature.Input("y", List.of(ModelSignature.BATCH), false, 0));
    private static final String HEADER = "id,a,b,k1,k2,note,target";

    @TempDir
    Path temp;

    /** Row r: id r, a and b on different scales, two categories, an ignored column, a target. */
    private static List<double[]> rows() {
        List<double[]> rows = new ArrayList<>();
        for (int r = 0; r < 12; r++) {
            rows.add(new double[] {r, 100 + 7.0 * r, 0.01 * r * r, r % 4, (r * 3) % 4, -r, 2.5 * r});
        }
        return rows;
    }

    private Path write(String name, String header, List<double[]> rows, int[] order) throws Exception {
        StringBuilder text = new StringBuilder(header == null ? "" : header + "\n");
        for (double[] row : rows) {
            for (int k = 0; k < order.length; k++) {
                text.append(k == 0 ? "" : ",").append(row[order[k]]);
            }
            text.append('\n');
        }
        Path path = temp.resolve(name);
        Files.writeString(path, text);
        return path;
    }

    private static ModelSignature.Data data(boolean standardize) {
        return new ModelSignature.Data("rows.csv", -1, 0, 0.25, standardize, true, List.of(
                new Feed("x", List.of(new Range(Column.named("a"), Column.named("b"))), true),
                new Feed("ids", List.of(Range.of(Column.at(3)), Range.of(Column.named("k2"))), false),
                new Feed("y", List.of(Range.of(Column.LAST)), false)));
    }

    private Dataset train() throws Exception {
        Path path = write("rows.csv", HEADER, rows(), new int[] {0, 1, 2, 3, 4, 5, 6});
        return Dataset.of(new CsvReader().read(path, 0, true), INPUTS, data(true), 5);
    }

    @Test
    void eachInputReadsItsOwnColumnsAndOnlyItsFeaturesAreStandardized() throws Exception {
        Dataset d = train();
        assertArrayEquals(new int[] {1, 2}, d.columns(0));
        assertArrayEquals(new int[] {3, 4}, d.columns(1));
        assertArrayEquals(new int[] {6}, d.columns(2));
        double sum = 0;
        for (int row : d.trainRows()) {
            sum += d.value(row, 1);
        }
        assertEquals(0, sum / d.trainSize(), 1e-12, "x's columns have mean 0 over the training rows");
        for (int row = 0; row < 12; row++) {
            assertEquals(row % 4, d.value(row, 3), "integer columns keep their values");
            assertEquals(2.5 * row, d.value(row, 6), "the target keeps its units");
        }
    }

    @Test
    void aCheckpointKeepsTheMappingAndNewFilesAreReadByName() throws Exception {
        Dataset d = train();
        Preprocessing p = Preprocessing.of(d, 0);
        StateModel model = new StateModel("f64", List.of(3));
        Path path = temp.resolve("m.safetensors");
        Checkpoint.of(model, TrainingPosition.START, new Checkpoint.Run(5, 4, true, d.trainSize(), p),
                LearningRateSchedule.of(model.signature(), 0.1, 0).state()).write(path);
        Preprocessing read = Checkpoint.read(path).preprocessing();
        assertEquals(p, read);
        assertTrue(read.mapped() && read.hasHeader());
        assertEquals(1, read.linesBeforeRows());
        // Columns shuffled, the ignored ones dropped: found by name, standardized as in training.
        Path shuffled = write("new.csv", "target,k2,b,k1,a", rows(), new int[] {6, 4, 2, 3, 1});
        Dataset again = Dataset.of(new CsvReader().read(shuffled, 0, true), INPUTS, read);
        for (int row = 0; row < 12; row++) {
            for (int input = 0; input < INPUTS.size(); input++) {
                int[] was = d.columns(input);
                int[] now = again.columns(input);
                for (int k = 0; k < was.length; k++) {
                    assertEquals(d.value(row, was[k]), again.value(row, now[k]), "row " + row + " input " + input);
                }
            }
        }
    }

    @Test
    void aFileThatDoesNotFitTheMappingNamesFileAndLine() throws Exception {
        Path noTarget = write("partial.csv", "a,b,k1,k2", rows(), new int[] {1, 2, 3, 4});
        DataException missing = assertThrows(DataException.class, () -> Dataset.of(
                new CsvReader().read(noTarget, 0, true), INPUTS, Preprocessing.of(train(), 0)));
        assertTrue(missing.getMessage().startsWith(noTarget + ":1: the header has no column named \"target\""),
                missing.getMessage());
        Path renamed = write("renamed.csv", "id,a,bee,k1,k2,note,target", rows(), new int[] {0, 1, 2, 3, 4, 5, 6});
        DataException unknown = assertThrows(DataException.class,
                () -> Dataset.of(new CsvReader().read(renamed, 0, true), INPUTS, data(true), 5));
        assertTrue(unknown.getMessage().contains(":1: the header has no column named \"b\""), unknown.getMessage());
        List<double[]> bad = rows();
        bad.get(4)[4] = 1.5;
        Path fraction = write("fraction.csv", HEADER, bad, new int[] {0, 1, 2, 3, 4, 5, 6});
        DataException notWhole = assertThrows(DataException.class,
                () -> Dataset.of(new CsvReader().read(fraction, 0, true), INPUTS, data(true), 5));
        assertTrue(notWhole.getMessage().startsWith(fraction + ":6: the 5th cell is 1.5, but input ids takes whole"),
                notWhole.getMessage());
        Path narrow = write("narrow.csv", HEADER + ",extra", rows(), new int[] {0, 1, 2, 3, 4, 5, 6});
        DataException width = assertThrows(DataException.class, () -> new CsvReader().read(narrow, 0, true));
        assertTrue(width.getMessage().startsWith(narrow + ":2: row has 7 columns, but the header (line 1) names 8"),
                width.getMessage());
    }

    @Test
    void numberedColumnsMustBeAsManyAsTheInputTakes() throws Exception {
        Path path = write("rows.csv", null, rows(), new int[] {0, 1, 2, 3, 4, 5, 6});
        ModelSignature.Data wide = new ModelSignature.Data("rows.csv", -1, 0, 0, false, false, List.of(
                new Feed("x", List.of(new Range(Column.at(0), Column.at(2))), true),
                new Feed("ids", List.of(new Range(Column.at(3), Column.at(4))), false),
                new Feed("y", List.of(Range.of(Column.LAST)), false)));
        Table table = new CsvReader().read(path, 0);
        DataException e = assertThrows(DataException.class, () -> Dataset.of(table, INPUTS, wide, 1));
        assertTrue(e.getMessage().startsWith(path + ":1: input x takes 2 values per row, but its columns "
                + "(columns(0, 2)) are 3"), e.getMessage());
    }
}
