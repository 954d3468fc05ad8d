package sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.testing.GradCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    /** Rows the model never saw: another seed than the training data's, and more than one batch of them. */
    private static final int HELD_OUT = 1000;

    @TempDir
    Path temp;

    @Test
    void trainingRecoversTheWeightsTheDataWasMadeWith() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LinearRegression model = Train.train(new PrintStream(printed, true, StandardCharsets.UTF_8));

        for (int j = 0; j < 3; j++) {
            assertEquals(Train.TRUE_W[j], model.param(0, j), 1e-3, "w" + j);
        }
        assertEquals(Train.TRUE_B, model.param(1, 0), 1e-3, "b");
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("step   0  loss "), text);
        assertTrue(text.contains("after 300 steps"), text);
    }

    /** The shipped model against the weights the data is made with, on rows it was not trained on. */
    @Test
    void theShippedModelPredictsHeldOutRowsAsTheTrueWeightsDo() throws Exception {
        float[] x = new float[HELD_OUT * 3];
        float[] y = new float[HELD_OUT];
        Train.makeData(new Random(2026), x, y);
        float[] predicted = Main.predict(Main.load().predictor(), x, HELD_OUT);
        double worst = 0;
        for (int r = 0; r < HELD_OUT; r++) {
            worst = Math.max(worst, Math.abs(predicted[r] - y[r]));
        }
        assertTrue(worst < 2e-3, "largest error on held-out rows: " + worst);
    }

    /** The predictor against x . w + b, computed here in double from the loaded params, and the model's own predict. */
    @Test
    void predictionsAreTheLineOfTheLoadedParams() throws Exception {
        LinearRegression model = Main.load();
        double[] w = model.param("w");
        double b = model.param("b")[0];
        float[] x = new float[HELD_OUT * 3];
        Train.makeData(new Random(11), x, new float[HELD_OUT]);
        float[] predicted = Main.predict(model.predictor(), x, HELD_OUT);
        for (int r = 0; r < HELD_OUT; r++) {
            double line = x[r * 3] * w[0] + x[r * 3 + 1] * w[1] + x[r * 3 + 2] * w[2] + b;
            assertEquals(line, predicted[r], 1e-5 * (1 + Math.abs(line)), "row " + r);
        }
        float[] own = new float[Main.BATCH];
        model.predict(x, Main.BATCH, own);
        float[] first = new float[Main.BATCH];
        System.arraycopy(predicted, 0, first, 0, Main.BATCH);
        assertArrayEquals(own, first);
    }

    /** The checkpoint in the jar is the one Train makes: training again gives the same params. */
    @Test
    void theShippedCheckpointIsWhatTrainMakes() throws Exception {
        LinearRegression trained = Train.train(new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        LinearRegression shipped = Main.load();
        for (String param : new String[] {"w", "b"}) {
            assertArrayEquals(trained.param(param), shipped.param(param), 1e-6, param);
        }
        Path saved = temp.resolve("again.safetensors");
        Train.save(trained, saved);
        LinearRegression reloaded = new LinearRegression(0L, Main.BATCH);
        Checkpoint.read(saved).initialize(reloaded);
        assertArrayEquals(trained.param("w"), reloaded.param("w"));
        assertArrayEquals(trained.param("b"), reloaded.param("b"));
    }

    @Test
    void theApplicationPrintsOnePredictionPerRowAndRefusesABadOne() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[] {"1,0,0", "0,1,0"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\\R");
        assertEquals(2, lines.length);
        // 2 + 1 and -3 + 1 under the true weights, to the printed four decimals within training's error
        assertTrue(lines[0].startsWith("x = (1.0, 0.0, 0.0)  ->  y = "), lines[0]);
        assertEquals(3.0, Double.parseDouble(lines[0].substring(lines[0].lastIndexOf(' ') + 1)), 2e-3);
        assertEquals(-2.0, Double.parseDouble(lines[1].substring(lines[1].lastIndexOf(' ') + 1)), 2e-3);

        err.reset();
        exit = Main.run(new String[] {"1,2"}, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, exit);
        assertEquals("error: row 1, \"1,2\": expected three numbers x0,x1,x2",
                err.toString(StandardCharsets.UTF_8).trim());
    }

    /**
     * The f64 variant from the generate-test goal: its gradients against finite differences
     * on 100 batches of random inputs. A failure prints the shrunk batch, the worst gradient
     * element and the seed that reproduces it.
     */
    @Test
    void gradientsMatchFiniteDifferences() {
        GradCheck.forAll(() -> new sample.f64.LinearRegression(11L), 100).check();
    }
}
