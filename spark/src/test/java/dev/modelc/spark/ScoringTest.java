package dev.modelc.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.data.DataException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model's outputs appended to a DataFrame: each row's outputs are those the model's own
 * predict gives for that row (up to the order of additions in matrix products, which may
 * differ with the number of rows predicted together), the row's columns kept and its order too.
 */
class ScoringTest {
    private static final String MLP = """
            model Scored
            input  x : [batch, 6]
            input  y : int[batch]
            param  W1 : [6, 8] = he_normal
            param  b1 : [8]    = 0.1
            param  W2 : [8, 3] = glorot_uniform
            param  b2 : [3]    = 0
            h      = relu(x @ W1 + b1)
            logits = h @ W2 + b2
            loss   L = mean(softmax_cross_entropy(logits, y))
            output probs = softmax(logits)
            output best = argmax(logits, axis = 1)
            train {
              optimizer sgd(lr = 0.1)
              seed 3
            }
            """;

    @TempDir
    static Path folder;
    static double[][] table;
    static Dataset<Row> frame;

    @BeforeAll
    static void rows() throws Exception {
        table = TestData.rows(2500, 6, 3, 17);
        Path file = TestData.csv(folder, "rows.csv", table, null);
        frame = LocalSpark.session().read().option("inferSchema", "true").csv(file.toString());
    }

    @Test
    void everyRowGetsTheOutputsTheModelPredictsForIt() throws Exception {
        SparkSession spark = LocalSpark.session();
        Class<?> type = TestModels.compile(spark, MLP);
        TrainableModel model = ModelClasses.create(type, 3, 1);
        List<Row> scored = ModelcSpark.predict(frame, model).collectAsList();

        assertEquals(table.length, scored.size());
        TrainableModel local = ModelClasses.create(type, 3, 1);
        double[] x = new double[6];
        double[] probs = new double[3];
        int[] best = new int[1];
        for (int r = 0; r < table.length; r++) {
            Row row = scored.get(r);
            System.arraycopy(table[r], 0, x, 0, 6);
            local.predict(new Object[] {x}, 1, new Object[] {probs, best});
            assertEquals(table[r][0], row.getDouble(0), "row " + r + " is not where it was");
            assertEquals(table[r][6], row.getInt(6));
            assertArrayEquals(probs, toDoubles(row.getList(7)), 1e-14, "probs of row " + r);
            assertEquals(best[0], row.getInt(8), "best of row " + r);
        }
    }

    @Test
    void aModelWithoutOutputsIsRefusedBeforeAnythingRuns() {
        SparkSession spark = LocalSpark.session();
        Class<?> type = TestModels.compile(spark, MLP.replaceAll("(?m)^output .*$", ""));
        DataException e = assertThrows(DataException.class,
                () -> ModelcSpark.predict(frame, ModelClasses.create(type, 3, 1)));
        assertTrue(e.getMessage().contains("declares no output"), e.getMessage());
    }

    @Test
    void rowsOfAnotherWidthAreRefusedWithWhatTheModelReads() {
        SparkSession spark = LocalSpark.session();
        Class<?> type = TestModels.compile(spark, MLP);
        Dataset<Row> narrow = frame.drop("_c4", "_c5");
        DataException e = assertThrows(DataException.class,
                () -> ModelcSpark.predict(narrow, ModelClasses.create(type, 3, 1)));
        assertEquals("the DataFrame: the rows have 5 columns; the model's outputs read x (6 values a row), and "
                + "rows to train on have 7", e.getMessage());
    }

    private static double[] toDoubles(List<Object> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Double) values.get(i);
        }
        return out;
    }
}
