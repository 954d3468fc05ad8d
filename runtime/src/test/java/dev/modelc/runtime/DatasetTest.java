package dev.modelc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelc.runtime.data.CsvReader;
import dev.modelc.runtime.data.DataException;
import dev.modelc.runtime.data.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {
    @TempDir
    Path dir;

    static ModelSignature.Input features(String name, int size) {
        return new ModelSignature.Input(name, List.of(ModelSignature.BATCH, size), false, 0);
    }

    static ModelSignature.Input classes(String name, int classes) {
        return new ModelSignature.Input(name, List.of(ModelSignature.BATCH), true, classes);
    }

    static ModelSignature.Input target(String name) {
        return new ModelSignature.Input(name, List.of(ModelSignature.BATCH), false, 0);
    }

    /** Rows {@code r} of {@code columns} cells holding {@code 10 * r + c}, and column 1 holding a class (r % 3). */
    static Table counting(int rows, int columns) {
        double[][] cells = new double[rows][columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                cells[r][c] = c == 1 ? r % 3 : 10 * r + c;
            }
        }
        return Table.of("table.csv", 1, cells);
    }

    @Test
    void oneInputTakesEveryColumn() throws DataException {
        Dataset data = Dataset.of(counting(4, 3), List.of(features("x", 3)), -1, 0, false, 1);
        assertArrayEquals(new int[] {0, 1, 2}, data.columns(0));
    }

    @Test
    void theLabelFeedsTheSecondInputAndTheRestTheFirst() throws DataException {
        List<ModelSignature.Input> inputs = List.of(features("x", 3), classes("y", 3));
        Dataset last = Dataset.of(counting(4, 4), List.of(features("x", 3), target("y")), -1, 0, false, 1);
        assertArrayEquals(new int[] {0, 1, 2}, last.columns(0));
        assertArrayEquals(new int[] {3}, last.columns(1));
        Dataset middle = Dataset.of(counting(4, 4), inputs, 1, 0, false, 1);
        assertArrayEquals(new int[] {0, 2, 3}, middle.columns(0));
        assertArrayEquals(new int[] {1}, middle.columns(1));
        assertEquals(2.0, middle.value(2, 1));
        assertEquals(32.0, middle.value(3, 2));
    }

    @Test
    void tablesThatDoNotFitTheInputsAreRefused() {
        assertRefused("table.csv: input x takes 4 values per row, but the rows have 4 columns: 3 besides the "
                + "label (the 4th cell, feeding input y)", counting(2, 4), -1, features("x", 4), target("y"));
        assertRefused("table.csv: input x takes 5 values per row, but the rows have 4 columns",
                counting(2, 4), -1, features("x", 5));
        assertRefused("table.csv: the label is column 4 (counting from 0), but the rows have 4 columns",
                counting(2, 4), 4, features("x", 3), target("y"));
        assertRefused("table.csv: the label column feeds input y, which takes 2 values per row; a label is one "
                + "column", counting(2, 4), -1, features("x", 3), features("y", 2));
        assertRefused("table.csv: the model has no inputs, so it takes no data", counting(2, 4), -1);
        assertRefused("table.csv: the model has 3 inputs (a, b, c); a CSV file feeds one input (every column) or "
                + "two (the features, then a label)", counting(2, 4), -1, features("a", 2), target("b"), target("c"));
    }

    @Test
    void classLabelsMustBeWholeNumbersInRange() throws IOException {
        assertLabelRefused("f,g,label\n1,2,0\n3,4,2.5\n", 3, ":3: the 3rd cell is 2.5, but input y takes whole "
                + "numbers from 0 to 2");
        assertLabelRefused("f,g,label\n1,2,-1\n", 3, ":2: the 3rd cell is -1, but input y takes whole numbers "
                + "from 0 to 2");
        assertLabelRefused("f,g,label\n1,2,0\n1,2,1\n1,2,2\n3,4,3\n", 3, ":5: the 3rd cell is 3, but input y "
                + "takes whole numbers from 0 to 2");
        assertLabelRefused("f,g,label\n1,2,1000\n1,2,-2\n", 0, ":3: the 3rd cell is -2, but input y takes whole "
                + "numbers from 0 to 2147483647");
    }

    @Test
    void splitSizesRoundTheTrainingShare() throws DataException {
        assertSplit(10, 0.25, 8);
        assertSplit(10, 0.2, 8);
        assertSplit(7, 0.3, 5);
        assertSplit(1000, 0.1, 900);
        assertSplit(1, 0.5, 1);
        Dataset all = Dataset.of(counting(5, 3), List.of(features("x", 3)), -1, 0, false, 9);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, all.trainRows());
        assertEquals(0, all.testSize());
    }

    @Test
    void theSplitShufflesRowsWithTheSeed() throws DataException {
        List<ModelSignature.Input> x = List.of(features("x", 3));
        Dataset a = Dataset.of(counting(100, 3), x, -1, 0.3, false, 42);
        // The definition: shuffle 0..n-1 with Rng(seed), the first round(n * (1 - f)) rows train.
        int[] order = IntStream.range(0, 100).toArray();
        new Rng(42).shuffle(order);
        int[] expectedTrain = Arrays.stream(order, 0, 70).sorted().toArray();
        assertArrayEquals(expectedTrain, a.trainRows());
        assertArrayEquals(a.trainRows(), Dataset.of(counting(100, 3), x, -1, 0.3, false, 42).trainRows());
        assertFalse(Arrays.equals(a.trainRows(), Dataset.of(counting(100, 3), x, -1, 0.3, false, 43).trainRows()));
    }

    @Test
    void aSplitLeavingNoTrainingRowsIsRefused() {
        DataException e = assertThrows(DataException.class,
                () -> Dataset.of(counting(1, 3), List.of(features("x", 3)), -1, 0.6, false, 0));
        assertEquals("table.csv: holding out 0.6 of 1 row for testing leaves none for training", e.getMessage());
    }

    @Test
    void standardizationUsesTheTrainingRowsAlone() throws DataException {
        double[][] cells = new double[40][];
        for (int r = 0; r < 40; r++) {
            cells[r] = new double[] {r * r * 0.5 - 3, 7.25, Math.sin(r), r % 4};
        }
        Table table = Table.of("t.csv", 1, cells);
        Dataset data = Dataset.of(table, List.of(features("x", 3), classes("y", 4)), -1, 0.25, true, 5);
        for (int c = 0; c < 3; c++) {
            int column = c;
            double[] train = Arrays.stream(data.trainRows()).mapToDouble(r -> cells[r][column]).toArray();
            double mean = Arrays.stream(train).sum() / train.length;
            double variance = Arrays.stream(train).map(v -> (v - mean) * (v - mean)).sum() / train.length;
            double std = column == 1 ? 1 : Math.sqrt(variance);
            assertEquals(mean, data.mean(c), 1e-12 * Math.max(1, Math.abs(mean)));
            assertEquals(std, data.std(c), 1e-12 * std);
            for (int r : new int[] {data.trainRows()[0], data.testRows()[0]}) {
                assertEquals((cells[r][c] - mean) / std, data.value(r, c), 1e-12);
            }
        }
        double allRowsMean = Arrays.stream(cells).mapToDouble(row -> row[0]).average().orElseThrow();
        assertNotEquals(allRowsMean, data.mean(0), 1e-6);
        assertEquals(0.0, data.value(data.testRows()[1], 1), "a constant column becomes 0");
        assertEquals(0.0, data.mean(3));
        assertEquals(1.0, data.std(3));
        assertEquals(cells[7][3], data.value(7, 3), "labels keep their values");
    }

    @Test
    void withoutStandardizationValuesAreTheTable() throws DataException {
        Dataset data = Dataset.of(counting(6, 3), List.of(features("x", 3)), -1, 0.5, false, 5);
        for (int c = 0; c < 3; c++) {
            assertEquals(0.0, data.mean(c));
            assertEquals(1.0, data.std(c));
        }
        assertEquals(50.0, data.value(5, 0));
        assertEquals(52.0, data.value(5, 2));
        assertEquals(1.0, data.value(4, 1));
    }

    private void assertSplit(int rows, double testFraction, int trainRows) throws DataException {
        Dataset data = Dataset.of(counting(rows, 3), List.of(features("x", 3)), -1, testFraction, false, 3);
        assertEquals(trainRows, data.trainSize(), rows + " rows, test " + testFraction);
        assertEquals(rows - trainRows, data.testSize());
        TreeSet<Integer> all = new TreeSet<>();
        Arrays.stream(data.trainRows()).forEach(all::add);
        Arrays.stream(data.testRows()).forEach(all::add);
        assertEquals(rows, all.size(), "train and test rows are disjoint and cover the table");
        assertEquals(rows - 1, all.last());
        assertArrayEquals(Arrays.stream(data.trainRows()).sorted().toArray(), data.trainRows());
    }

    private static void assertRefused(String message, Table table, int label, ModelSignature.Input... inputs) {
        DataException e = assertThrows(DataException.class,
                () -> Dataset.of(table, List.of(inputs), label, 0, false, 0));
        assertEquals(message, e.getMessage());
    }

    private void assertLabelRefused(String csv, int classCount, String message) throws IOException {
        Path file = Files.writeString(dir.resolve("labels.csv"), csv);
        DataException e = assertThrows(DataException.class, () -> Dataset.of(new CsvReader().read(file, 1),
                List.of(features("x", 2), classes("y", classCount)), -1, 0, false, 0));
        assertEquals(file + message, e.getMessage());
    }
}
