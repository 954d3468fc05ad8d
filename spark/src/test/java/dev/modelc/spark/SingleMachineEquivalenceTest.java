package dev.modelc.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.Dataset;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.TrainingSettings;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.data.CsvReader;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on Spark makes the updates training on one machine makes: after 100 steps from the
 * same seed, in the same batch order, every parameter is the same to 1e-12 relative in f64; only
 * the order in which the partitions' sums are added differs.
 */
class SingleMachineEquivalenceTest {
    private static final String MLP = """
            model Mlp
            input  x : [batch, 6]
            input  y : int[batch]
            param  W1 : [6, 8] = he_normal
            param  b1 : [8]    = 0
            param  W2 : [8, 3] = glorot_uniform
            param  b2 : [3]    = 0
            h      = relu(x @ W1 + b1)
            logits = h @ W2 + b2
            loss   L = mean(softmax_cross_entropy(logits, y))
            metric accuracy = mean(argmax(logits, axis = 1) == y)
            train {
              %s
              batch 16 shuffle
              seed 5
            }
            """;

    @TempDir
    static Path folder;
    static Path file;

    @BeforeAll
    static void rows() throws Exception {
        file = TestData.csv(folder, "rows.csv", TestData.rows(300, 6, 3, 21), null);
    }

    @Test
    void sgdWithMomentumMakesTheSameUpdates() throws Exception {
        assertSameAfter100Steps(MLP.formatted("optimizer sgd(lr = 0.05, momentum = 0.9)"));
    }

    @Test
    void adamUnderACosineScheduleWithClippingMakesTheSameUpdates() throws Exception {
        assertSameAfter100Steps(MLP.formatted("optimizer adam(lr = 0.01)\n  schedule cosine(warmup = 10)\n"
                + "  clip_norm 0.5"));
    }

    private static void assertSameAfter100Steps(String modelText) throws Exception {
        SparkSession spark = LocalSpark.session();
        Class<?> type = TestModels.compile(spark, modelText);
        ModelSignature s = ModelClasses.signature(type);
        ModelSignature.Data source = new ModelSignature.Data(file.toString(), -1, 0, 0.2, true);
        TrainingSettings settings = new TrainingSettings(100, 16, true, 100, 5);

        Dataset local = Dataset.of(new CsvReader().read(file, 0), s.inputs(), source, 5);
        TrainableModel one = ModelClasses.create(type, 5, settings.capacityFor(local));
        double[] start = ModelClasses.params(one);
        Trainer.Result alone = Trainer.train(one, local, settings, Trainer.Listener.NONE);

        TrainableModel driver = ModelClasses.create(type, 5, 1);
        Trainer.Result spread;
        try (TrainingRows rows = TrainingRows.read(spark, s, file.toString(), source, 5)) {
            spread = SparkTrainer.train(driver, rows, settings, Trainer.Listener.NONE);
        }
        assertEquals(100, alone.steps());
        assertEquals(alone.position().steps(), spread.position().steps());
        assertEquals(alone.position().epoch(), spread.position().epoch());
        assertEquals(alone.position().batchesDone(), spread.position().batchesDone());
        assertEquals(alone.position().shuffleState(), spread.position().shuffleState());
        assertEquals(alone.last().test().loss(), spread.last().test().loss(), 1e-12 * alone.last().test().loss());
        double[] expected = ModelClasses.params(one);
        double[] actual = ModelClasses.params(driver);
        int at = 0;
        for (ModelSignature.Param p : s.params()) {
            double scale = 0;
            double difference = 0;
            double moved = 0;
            for (int i = 0; i < p.size(); i++, at++) {
                scale = Math.max(scale, Math.abs(expected[at]));
                difference = Math.max(difference, Math.abs(expected[at] - actual[at]));
                moved = Math.max(moved, Math.abs(expected[at] - start[at]));
            }
            assertTrue(difference <= 1e-12 * scale, p.name() + " differs by " + difference + " of " + scale);
            assertTrue(moved > 1e-3 * scale, p.name() + " hardly moved: " + moved);
        }
    }
}
