package dev.modelc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.Trainer.Result;
import dev.modelc.runtime.data.CsvReader;
import dev.modelc.runtime.data.DataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole data path, file to fitted model, on data from y = 2 x0 - 3 x1 + 0.5 plus a little noise. */
class LinearRegressionTrainingTest {
    private static final double NOISE = 0.01;

    @TempDir
    Path dir;

    private Path writeData(int rows, long seed) throws IOException {
        Rng rng = new Rng(seed);
        StringBuilder csv = new StringBuilder("x0,x1,y\n");
        for (int r = 0; r < rows; r++) {
            double x0 = rng.uniform(-1, 1);
            double x1 = rng.normal(0, 1);
            double y = 2 * x0 - 3 * x1 + 0.5 + rng.normal(0, NOISE);
            csv.append(String.format(Locale.ROOT, "%.17g, %.17g, %.17g%n", x0, x1, y));
        }
        return Files.writeString(dir.resolve("linear.csv"), csv);
    }

    private Result train(LinearRegressionModel model, Dataset data) {
        return Trainer.train(model, data, new TrainingSettings(30, 16, true, TrainingSettings.NO_STEP_LIMIT, 3),
                new TrainerTest.Recorder());
    }

    private Dataset dataset(boolean standardize) throws IOException, DataException {
        LinearRegressionModel shape = new LinearRegressionModel(2, 1, 0);
        return Dataset.of(new CsvReader().read(writeData(500, 1), 1), shape.signature().inputs(), -1, 0.2,
                standardize, 7);
    }

    @Test
    void recoversTheWeightsOfRawFeatures() throws IOException, DataException {
        Dataset data = dataset(false);
        LinearRegressionModel model = new LinearRegressionModel(2, capacity(data), 0.1);
        Result result = train(model, data);
        assertEquals(Trainer.StopReason.EPOCHS, result.reason());
        assertEquals(30 * 25, result.steps(), "400 training rows in batches of 16, 30 epochs");
        assertEquals(2, model.param(0, 0), 0.01);
        assertEquals(-3, model.param(0, 1), 0.01);
        assertEquals(0.5, model.param(1, 0), 0.01);
        // Only the noise remains: its variance is NOISE^2.
        assertTrue(result.last().test().loss() < 2 * NOISE * NOISE, "test loss " + result.last().test().loss());
    }

    @Test
    void fitsAsWellOnStandardizedFeatures() throws IOException, DataException {
        Dataset data = dataset(true);
        LinearRegressionModel model = new LinearRegressionModel(2, capacity(data), 0.1);
        Result result = train(model, data);
        assertTrue(result.last().test().loss() < 2 * NOISE * NOISE, "test loss " + result.last().test().loss());
        // In standardized units the weight of x0 is 2 times its deviation (about 1 / sqrt 3).
        assertEquals(2 * data.std(0), model.param(0, 0), 0.01);
    }

    @Test
    void aRunRepeatsExactly() throws IOException, DataException {
        Dataset data = dataset(true);
        LinearRegressionModel a = new LinearRegressionModel(2, capacity(data), 0.1);
        LinearRegressionModel b = new LinearRegressionModel(2, capacity(data), 0.1);
        Result first = train(a, data);
        Result second = train(b, data);
        assertEquals(first.last().train().loss(), second.last().train().loss());
        for (int k = 0; k < 2; k++) {
            assertEquals(a.param(0, k), b.param(0, k));
        }
        assertEquals(a.param(1, 0), b.param(1, 0));
    }

    @Test
    void theHandWrittenGradientMatchesFiniteDifferences() throws IOException, DataException {
        Dataset data = dataset(false);
        LinearRegressionModel model = new LinearRegressionModel(2, 8, 0.1);
        model.setParam(0, 0, 0.3);
        model.setParam(0, 1, -0.7);
        model.setParam(1, 0, 0.2);
        new BatchGatherer(model, data).bind(data.trainRows(), 0, 8);
        model.forward();
        model.backward();
        double h = 1e-6;
        int[][] entries = {{0, 0}, {0, 1}, {1, 0}};
        for (int[] e : entries) {
            double analytic = model.gradient(e[0], e[1]);
            double original = model.param(e[0], e[1]);
            model.setParam(e[0], e[1], original + h);
            double up = model.forward();
            model.setParam(e[0], e[1], original - h);
            double down = model.forward();
            model.setParam(e[0], e[1], original);
            assertEquals((up - down) / (2 * h), analytic, 1e-6 * Math.max(1, Math.abs(analytic)));
        }
    }

    private static int capacity(Dataset data) {
        return TrainingSettings.capacityFor(16, data.trainSize(), data.testSize());
    }
}
