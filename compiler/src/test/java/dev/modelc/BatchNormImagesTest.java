package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.runtime.Matmul;
import dev.modelc.runtime.Rng;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.testing.GradCheck;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code batch_norm} of images {@code [batch, channels, height, width]}: each channel normalized
 * over the rows and the pixels, as PyTorch's {@code BatchNorm2d}, against the formula computed
 * here in double; its running statistics ({@code [channels]}) moved with the variance made
 * unbiased over rows x pixels; outside training the running statistics used, the same input
 * giving the same output twice; GradCheck's finite differences in double; and a training step
 * that allocates nothing, in f64 and f32.
 */
class BatchNormImagesTest {
    private static final int CHANNELS = 2;
    private static final int PIXELS = 3 * 4;
    private static final int ROWS = 3;
    private static final String MODEL = "model M\ninput x : [batch, 2, 3, 4]\nparam g : [2, 1, 1] = normal(1, 0.5)\n"
            + "param b : [2, 1, 1] = normal(0, 0.5)\nz = batch_norm(x, g, b, momentum = 0.25, eps = 0.01)\n"
            + "output o = z\nloss L = mean(z^2)\n";

    @Test
    void trainingNormalizesEachChannelOverRowsAndPixelsAndMovesTheRunningStatistics() throws Exception {
        TrainableModel model = TensorModels.compile(MODEL).instantiate(4);
        double[] x = (double[]) TensorModels.randomInputs(model.signature(), ROWS, new Rng(3))[0];
        model.bind(new Object[] {x}, ROWS);
        model.forward();
        double[] z = model.value("z");
        double[] runningMean = model.param("g.running_mean");
        double[] runningVar = model.param("g.running_var");
        assertEquals(CHANNELS, runningMean.length, "one running mean per channel");
        int n = ROWS * PIXELS;
        for (int c = 0; c < CHANNELS; c++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += x[at(i, c)] / n;
            }
            double squares = 0;
            for (int i = 0; i < n; i++) {
                squares += (x[at(i, c)] - mean) * (x[at(i, c)] - mean);
            }
            for (int i = 0; i < n; i++) {
                double expected = (x[at(i, c)] - mean) / Math.sqrt(squares / n + 0.01) * model.param(0, c)
                        + model.param(1, c);
                assertEquals(expected, z[at(i, c)], 1e-12, "channel " + c + ", element " + i);
            }
            assertEquals(0.25 * mean, runningMean[c], 1e-12, "running mean of channel " + c);
            assertEquals(0.75 + 0.25 * squares / (n - 1), runningVar[c], 1e-12, "running variance of channel " + c);
        }
    }

    @Test
    void outsideTrainingTheRunningStatisticsAreUsedAndTheSameInputGivesTheSameOutput() throws Exception {
        TrainableModel model = TensorModels.compile(MODEL).instantiate(4);
        Rng rng = new Rng(7);
        for (int step = 0; step < 3; step++) {
            model.bind(TensorModels.randomInputs(model.signature(), ROWS, rng), ROWS);
            model.forward();
        }
        double[] runningMean = model.param("g.running_mean");
        double[] runningVar = model.param("g.running_var");
        double[] x = (double[]) TensorModels.randomInputs(model.signature(), ROWS, rng)[0];
        model.setTraining(false);
        model.bind(new Object[] {x}, ROWS);
        model.forward();
        double[] first = model.value("z").clone();
        model.forward();
        assertArrayEquals(first, model.value("z"), "the same input twice in evaluation");
        for (int i = 0; i < ROWS * PIXELS; i++) {
            for (int c = 0; c < CHANNELS; c++) {
                double expected = (x[at(i, c)] - runningMean[c]) / Math.sqrt(runningVar[c] + 0.01) * model.param(0, c)
                        + model.param(1, c);
                assertEquals(expected, first[at(i, c)], 1e-12, "channel " + c + ", element " + i);
            }
        }
        assertArrayEquals(runningMean, model.param("g.running_mean"), "evaluation leaves the running mean");
        assertArrayEquals(runningVar, model.param("g.running_var"), "evaluation leaves the running variance");
        model.setTraining(true);
        int size = CHANNELS * PIXELS;
        double[] one = new double[size];
        double[] again = new double[size];
        double[] shared = new double[size];
        for (int r = 0; r < ROWS; r++) {
            double[] row = Arrays.copyOfRange(x, r * size, (r + 1) * size);
            model.predict(new Object[] {row}, 1, new Object[] {one});
            model.predict(new Object[] {row}, 1, new Object[] {again});
            model.predictor().predict(new Object[] {row}, 1, new Object[] {shared});
            assertArrayEquals(Arrays.copyOfRange(first, r * size, (r + 1) * size), one, 1e-12, "predict, row " + r);
            assertArrayEquals(one, again, "the same row predicted twice");
            assertArrayEquals(one, shared, "the predictor, row " + r);
        }
        assertArrayEquals(runningMean, model.param("g.running_mean"), "prediction leaves the running mean");
    }

    @Test
    void gradCheckPassesAConvolutionNormalizedPerChannel() throws Exception {
        String text = "model M\ninput x : [batch, 1, 5, 5]\ninput y : int[batch]\nparam K : [3, 1, 3, 3] = normal(0, 1)\n"
                + "param g : [3, 1, 1] = normal(1, 0.3)\nparam b : [3, 1, 1] = normal(0, 0.3)\n"
                + "param W : [3, 2] = normal(0, 1)\n"
                + "h = max_pool2d(tanh(batch_norm(conv2d(x, K), g, b, eps = 0.1)), 2)\n"
                + "loss L = mean(softmax_cross_entropy(flatten(h) @ W, y))\n";
        TrainableModel model = TensorModels.compile(text).instantiate(4);
        model.bind(TensorModels.randomInputs(model.signature(), 3, new Rng(11)), 3);
        assertTrue(GradCheck.defaults().check(model).passed());
    }

    @ParameterizedTest
    @EnumSource(Dtype.class)
    void aStepAllocatesNothing(Dtype dtype) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        String text = "model M\ninput x : [batch, 1, 6, 6]\ninput y : int[batch]\nparam K : [4, 1, 3, 3] = he_normal\n"
                + "param g : [4, 1, 1] = 1\nparam b : [4, 1, 1] = 0\nparam W : [16, 3] = normal(0, 1)\n"
                + "h = max_pool2d(relu(batch_norm(conv2d(x, K), g, b)), 2)\n"
                + "loss L = mean(softmax_cross_entropy(flatten(h) @ W, y))\n";
        boolean vectorBefore = Matmul.vectorized();
        // The plain-Java kernels, as BatchNormTest's: the vector ones allocate until the JIT has compiled them.
        Matmul.setVectorized(false);
        try {
            TrainableModel model = ModelCompiler.compile(new SourceFile("bn2d.model", text),
                    new ModelCompiler.Options("", dtype)).instantiate(8);
            model.bind(TensorModels.randomInputs(model.signature(), 8, new Rng(8), dtype), 8);
            for (int i = 0; i < 3; i++) {
                model.trainStep();
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 5; i++) {
                model.trainStep();
            }
            assertEquals(0, threads.getCurrentThreadAllocatedBytes() - before, dtype.toString());
        } finally {
            Matmul.setVectorized(vectorBefore);
        }
    }

    /** Element i of channel c, i counting over rows then pixels. */
    private static int at(int i, int c) {
        int row = i / PIXELS;
        return (row * CHANNELS + c) * PIXELS + i % PIXELS;
    }
}
