package dev.modelc.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelc.runtime.BatchGatherer;
import dev.modelc.runtime.Dataset;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.data.CsvReader;
import dev.modelc.runtime.data.Table;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gradient the partitions compute together, each on its share of a batch, is the gradient
 * one model computes over the whole batch, up to the order of the additions; and the rows, the
 * split and the standardization are those of one machine.
 */
class GradientCombinationTest {
    private static final String LOGIT = """
            model Logit
            input x : [batch, 5]
            input y : [batch]
            param w : [5] = normal(0, 0.5)
            param b = 0.1
            z = x @ w + b
            loss L = mean(bce_with_logits(z, y))
            metric accuracy = mean((z > 0) == y)
            train {
              batch 40 shuffle
              optimizer sgd(lr = 0.1)
              seed 3
            }
            """;

    @TempDir
    Path folder;

    @Test
    void aBatchSplitOverPartitionsHasTheGradientOfTheWholeBatch() throws Exception {
        SparkSession spark = LocalSpark.session();
        Class<?> type = TestModels.compile(spark, LOGIT);
        ModelSignature s = ModelClasses.signature(type);
        Path file = TestData.csv(folder, "rows.csv", TestData.rows(300, 5, 2, 11), null);

        Table table = new CsvReader().read(file, 0);
        Dataset local = Dataset.of(table, s.inputs(), -1, 0.2, true, 3);
        try (PartitionedRows rows = RowSources.read(spark, s, new RowSources.Spec(file.toString(), -1, 0, true));
             RowSplit split = RowSplit.of(rows, 0.2, 3)) {
            assertEquals(300, rows.rows);
            assertArrayEquals(local.trainRows(), split.train);
            assertArrayEquals(local.testRows(), split.test);
            for (int k = 0; k < 5; k++) {
                assertEquals(local.mean(k), split.mean[k], 1e-14 * Math.abs(local.mean(k)) + 1e-15);
                assertEquals(local.std(k), split.std[k], 1e-14 * local.std(k));
            }
            int[] batch = Arrays.copyOfRange(local.trainRows(), 17, 57);
            TrainableModel one = ModelClasses.create(type, 3, 64);
            new BatchGatherer(one, local).bind(batch, 0, batch.length);
            double loss = one.forward();
            one.backward();

            TrainableModel driver = ModelClasses.create(type, 3, 1);
            ClusterPasses passes = new ClusterPasses(rows, split, type, 64);
            ClusterPasses.Totals totals = passes.step(driver, batch, true);
            assertEquals(40, totals.rows());
            assertEquals(loss, totals.loss(), 1e-13 * Math.abs(loss));
            assertEquals(one.metric(0), totals.metrics()[0], 1e-15);
            double[] expected = new double[6];
            for (int i = 0; i < 5; i++) {
                expected[i] = one.gradient(0, i);
            }
            expected[5] = one.gradient(1, 0);
            for (int k = 0; k < 6; k++) {
                assertEquals(expected[k], totals.gradients()[k], 1e-13 * Math.abs(expected[k]), "gradient " + k);
            }
        }
    }
}
