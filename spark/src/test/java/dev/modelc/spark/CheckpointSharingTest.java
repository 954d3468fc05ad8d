package dev.modelc.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.Dataset;
import dev.modelc.runtime.LearningRateSchedule;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.TrainingSettings;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Preprocessing;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.TrainingPosition;
import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.runtime.data.CsvReader;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One checkpoint format for both: a run saved on one machine goes on on Spark, and one saved on
 * Spark goes on on one machine, from the same safetensors file, in the middle of an epoch; each
 * ends where an unbroken run on one machine ends, up to the order of additions.
 */
class CheckpointSharingTest {
    private static final String MODEL = """
            model Shared
            input  x : [batch, 5]
            input  y : int[batch]
            param  W : [5, 3] = glorot_uniform
            param  b : [3]    = 0
            logits = x @ W + b
            loss   L = mean(softmax_cross_entropy(logits, y))
            metric accuracy = mean(argmax(logits, axis = 1) == y)
            train {
              optimizer adam(lr = 0.02)
              schedule  step(step_size = 30, gamma = 0.5)
              batch 24 shuffle
              seed 8
            }
            """;
    private static final long HALF = 37;
    private static final long ALL = 90;

    @TempDir
    static Path folder;
    static Path file;
    static Class<?> type;
    static ModelSignature signature;
    static ModelSignature.Data source;
    static Dataset local;

    @BeforeAll
    static void prepare() throws Exception {
        file = TestData.csv(folder, "rows.csv", TestData.rows(400, 5, 3, 12), null);
        type = TestModels.compile(LocalSpark.session(), MODEL);
        signature = ModelClasses.signature(type);
        source = new ModelSignature.Data(file.toString(), -1, 0, 0.25, true);
        local = Dataset.of(new CsvReader().read(file, 0), signature.inputs(), source, 8);
    }

    @Test
    void aCheckpointFromOneMachineGoesOnOnSparkAndTheOtherWayRound() throws Exception {
        SparkSession spark = LocalSpark.session();
        double[] unbroken = paramsAfter(localRun(ALL, null, null));
        try (TrainingRows rows = TrainingRows.read(spark, signature, file.toString(), source, 8)) {
            Path fromLocal = folder.resolve("local.safetensors");
            localRun(HALF, fromLocal, null);
            TrainableModel onSpark = sparkRun(rows, ALL, null, fromLocal);
            assertClose(unbroken, ModelClasses.params(onSpark));

            Path fromSpark = folder.resolve("spark.safetensors");
            sparkRun(rows, HALF, fromSpark, null);
            assertClose(unbroken, paramsAfter(localRun(ALL, null, fromSpark)));
        }
    }

    /** A checkpoint saved on Spark keeps how the rows were read as one saved on one machine does. */
    @Test
    void bothKeepHowTheRowsWereRead() throws Exception {
        Preprocessing alone = Preprocessing.of(local, 0);
        Preprocessing spread;
        try (TrainingRows rows = TrainingRows.read(LocalSpark.session(), signature, file.toString(), source, 8)) {
            spread = rows.preprocessing();
        }
        assertEquals(6, spread.columns());
        assertEquals(5, spread.labelColumn());
        assertEquals(0, spread.skipLines());
        assertEquals(3, spread.classes());
        assertEquals(alone.classes(), spread.classes());
        double[] expected = new double[10];
        double[] actual = new double[10];
        for (int k = 0; k < 5; k++) {
            expected[k] = alone.mean(k);
            expected[5 + k] = alone.std(k);
            actual[k] = spread.mean(k);
            actual[5 + k] = spread.std(k);
            assertTrue(alone.std(k) != 1 && alone.mean(k) != 0, "feature " + k + " is standardized");
        }
        assertClose(expected, actual);
    }

    private static TrainableModel localRun(long steps, Path save, Path resume) throws Exception {
        TrainingSettings settings = settings(steps);
        TrainableModel model = ModelClasses.create(type, 8, settings.capacityFor(local));
        Trainer trainer = new Trainer(model, local, settings, schedule(model, settings, local.trainSize(), resume));
        Trainer.Result result = resumed(trainer::resumeFrom, resume).run(Trainer.Listener.NONE);
        if (save != null) {
            Checkpoint.of(model, result, new Checkpoint.Run(8, 24, true, local.trainSize())).write(save);
        }
        return model;
    }

    private static TrainableModel sparkRun(TrainingRows rows, long steps, Path save, Path resume) throws Exception {
        TrainingSettings settings = settings(steps);
        TrainableModel model = ModelClasses.create(type, 8, 1);
        SparkTrainer trainer = new SparkTrainer(model, rows, settings,
                schedule(model, settings, rows.trainSize(), resume));
        Trainer.Result result = resumed(trainer::resumeFrom, resume).run(Trainer.Listener.NONE);
        if (save != null) {
            Checkpoint.of(model, result, new Checkpoint.Run(8, 24, true, rows.trainSize())).write(save);
        }
        return model;
    }

    /** The trainer, set to go on from the checkpoint's position when there is one. */
    private static <T> T resumed(java.util.function.Function<TrainingPosition, T> resumeFrom, Path resume)
            throws Exception {
        return resumeFrom.apply(resume == null ? TrainingPosition.START : Checkpoint.read(resume).position());
    }

    /** A fresh schedule, or the checkpoint's, after giving the model everything the checkpoint holds. */
    private static LearningRateSchedule schedule(TrainableModel model, TrainingSettings settings, int trainRows,
                                                 Path resume) throws Exception {
        long planned = settings.plannedSteps(trainRows);
        if (resume == null) {
            return LearningRateSchedule.of(model.signature(), planned);
        }
        Checkpoint checkpoint = Checkpoint.read(resume);
        checkpoint.resume(model);
        return checkpoint.schedule(model.signature(), planned);
    }

    private static TrainingSettings settings(long steps) {
        return new TrainingSettings(100, 24, true, steps, 8);
    }

    private static double[] paramsAfter(TrainableModel model) {
        return ModelClasses.params(model);
    }

    private static void assertClose(double[] expected, double[] actual) {
        double scale = 0;
        double difference = 0;
        for (int k = 0; k < expected.length; k++) {
            scale = Math.max(scale, Math.abs(expected[k]));
            difference = Math.max(difference, Math.abs(expected[k] - actual[k]));
        }
        assertEquals(expected.length, actual.length);
        assertTrue(difference <= 1e-12 * scale, "differs by " + difference + " of " + scale);
    }
}
