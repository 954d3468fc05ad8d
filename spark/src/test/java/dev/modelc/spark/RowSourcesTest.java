package dev.modelc.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.data.DataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows read for training are numbered by file and by place in the file, whatever the files'
 * sizes and the partitions; a bad value is told with its file and line (CSV) or row (Parquet),
 * counted in the whole file.
 */
class RowSourcesTest {
    private static final String MODEL = """
            model Read
            input x : [batch, 3]
            input y : int[batch]
            param W : [3, 2] = 0.1
            loss L = mean(softmax_cross_entropy(x @ W, y))
            train {
              seed 1
            }
            """;

    @TempDir
    static Path folder;
    static ModelSignature signature;
    static double[][] table;

    @BeforeAll
    static void model() {
        signature = ModelClasses.signature(TestModels.compile(LocalSpark.session(), MODEL));
        table = TestData.rows(700, 3, 2, 31);
    }

    @Test
    void parquetFilesOfUnequalSizesGiveTheRowsInFileOrder() throws Exception {
        SparkSession spark = LocalSpark.session();
        Path rows = Files.createDirectories(folder.resolve("rows.parquet"));
        int[] cuts = {0, 100, 450, 700};
        for (int part = 0; part < 3; part++) {
            writeParquet(spark, Arrays.copyOfRange(table, cuts[part], cuts[part + 1]),
                    rows.resolve("part-" + part + ".parquet"));
        }
        assertArrayEquals(table, readBack(spark, rows.toString()));
    }

    @Test
    void aCsvFileInSeveralSplitsGivesItsRowsInOrder() throws Exception {
        SparkSession spark = LocalSpark.session();
        Path file = TestData.csv(folder, "order.csv", table, "x0,x1,x2,label");
        assertArrayEquals(table, readBack(spark, file.toString(), 1));
    }

    @Test
    void idxFilesAreRefusedWithTheWayToGiveTheirRows() {
        ModelSignature.Data idx = ModelSignature.Data.idx(
                new ModelSignature.Idx("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"), 0.2, false);
        DataException e = assertThrows(DataException.class, () -> TrainingRows.read(LocalSpark.session(), signature,
                "train-images-idx3-ubyte.gz", idx, 1));
        assertEquals("train-images-idx3-ubyte.gz: the train block reads IDX files, which Spark does not read: give "
                + "--data with the same rows as CSV or Parquet, an image's values then its label", e.getMessage());
    }

    @Test
    void theSameRowsAsCsvAreReadForAnIdxModel() throws Exception {
        ModelSignature.Data idx = ModelSignature.Data.idx(
                new ModelSignature.Idx("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"), 0.2, false);
        Path file = TestData.csv(folder, "idx-rows.csv", table, null);
        try (TrainingRows rows = TrainingRows.read(LocalSpark.session(), signature, file.toString(),
                idx.withPath(file.toString()), 1)) {
            assertEquals(table.length, rows.trainSize() + rows.testSize());
        }
    }

    @Test
    void aBadCellIsToldWithItsLineInTheWholeFile() throws Exception {
        Path file = TestData.csv(folder, "bad.csv", table, null);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(612, lines.get(612).replaceFirst(",[^,]*,", ",abc,"));
        Files.write(file, lines);
        DataException e = assertThrows(DataException.class, () -> RowSources.read(LocalSpark.session(), signature,
                new RowSources.Spec(file.toString(), -1, 0, false)));
        assertEquals(file + ":613: the 2nd cell is not a number: \"abc\"", e.getMessage());
    }

    @Test
    void anEmptyParquetValueIsToldWithItsRowInTheFile() throws Exception {
        SparkSession spark = LocalSpark.session();
        Path rows = Files.createDirectories(folder.resolve("nulls.parquet"));
        List<Row> values = new ArrayList<>();
        for (int r = 0; r < 50; r++) {
            values.add(RowFactory.create(1.0 * r, r == 41 ? null : 2.0, 3.0, r % 2));
        }
        StructType schema = new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType)
                .add("c", DataTypes.DoubleType).add("label", DataTypes.IntegerType);
        Path temporary = folder.resolve("nulls-written");
        spark.createDataFrame(values, schema).coalesce(1).write().parquet(temporary.toString());
        Path part = onlyPart(temporary);
        Files.move(part, rows.resolve("part-0.parquet"));
        DataException e = assertThrows(DataException.class, () -> RowSources.read(spark, signature,
                new RowSources.Spec(rows.toString(), -1, 0, false)));
        assertEquals(rows.resolve("part-0.parquet") + ": row 42: the 2nd cell (column `b`) is empty (null)",
                e.getMessage());
    }

    private static double[][] readBack(SparkSession spark, String path) throws Exception {
        return readBack(spark, path, 0);
    }

    private static double[][] readBack(SparkSession spark, String path, int skip) throws Exception {
        try (PartitionedRows rows = RowSources.read(spark, signature, new RowSources.Spec(path, -1, skip, false));
             RowSplit split = RowSplit.of(rows, 0, 1)) {
            ClusterPasses passes = new ClusterPasses(rows, split, TestModels.compile(spark, MODEL), 8);
            int[] all = new int[rows.rows];
            Arrays.setAll(all, i -> i);
            Object[] inputs = passes.gather(all);
            double[] x = (double[]) inputs[0];
            int[] y = (int[]) inputs[1];
            double[][] back = new double[rows.rows][4];
            for (int r = 0; r < back.length; r++) {
                System.arraycopy(x, r * 3, back[r], 0, 3);
                back[r][3] = y[r];
            }
            return back;
        }
    }

    private static void writeParquet(SparkSession spark, double[][] rows, Path file) throws Exception {
        List<Row> values = new ArrayList<>();
        for (double[] row : rows) {
            values.add(RowFactory.create(row[0], row[1], row[2], (int) row[3]));
        }
        StructType schema = new StructType().add("x0", DataTypes.DoubleType).add("x1", DataTypes.DoubleType)
                .add("x2", DataTypes.DoubleType).add("label", DataTypes.IntegerType);
        Path temporary = folder.resolve(file.getParent().getFileName() + "-" + file.getFileName() + ".written");
        spark.createDataFrame(values, schema).coalesce(1).write().parquet(temporary.toString());
        Files.move(onlyPart(temporary), file);
    }

    private static Path onlyPart(Path written) throws Exception {
        try (Stream<Path> files = Files.list(written)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
    }
}
