package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.autodiff.RuleMutants;
import dev.modelc.codegen.Dtype;
import dev.modelc.graph.Evaluator;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Tensor;
import dev.modelc.runtime.Dropout;
import dev.modelc.runtime.Matmul;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Rng;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.testing.GradCheck;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code batch_norm}: in training its value against the formula computed here over the batch in
 * double, and its running statistics moved as PyTorch moves them; outside training (evaluation,
 * {@code predict}) the running statistics used and left as they are; and the gradients of models
 * using it against central finite differences of the reference interpreter in f64, in training.
 */
class BatchNormTest {
    private static final String MODEL = "model M\ninput x : [batch, 3]\nparam g : [3] = normal(1, 0.5)\n"
            + "param b : [3] = normal(0, 0.5)\nz = batch_norm(x, g, b, momentum = 0.25, eps = 0.01)\n"
            + "output o = z\nloss L = mean(z^2)\n";
    private static final int ROWS = 5;

    @Test
    void trainingNormalizesOverTheBatchAndMovesTheRunningStatistics() throws Exception {
        TrainableModel model = TensorModels.compile(MODEL).instantiate(4);
        double[] x = (double[]) TensorModels.randomInputs(model.signature(), ROWS, new Rng(3))[0];
        model.bind(new Object[] {x}, ROWS);
        model.forward();
        double[] z = model.value("z");
        double[] runningMean = model.param("g.running_mean");
        double[] runningVar = model.param("g.running_var");
        for (int j = 0; j < 3; j++) {
            double mean = 0;
            for (int r = 0; r < ROWS; r++) {
                mean += x[r * 3 + j] / ROWS;
            }
            double squares = 0;
            for (int r = 0; r < ROWS; r++) {
                squares += (x[r * 3 + j] - mean) * (x[r * 3 + j] - mean);
            }
            for (int r = 0; r < ROWS; r++) {
                double expected = (x[r * 3 + j] - mean) / Math.sqrt(squares / ROWS + 0.01) * model.param(0, j)
                        + model.param(1, j);
                assertEquals(expected, z[r * 3 + j], 1e-12, "row " + r + ", feature " + j);
            }
            assertEquals(0.25 * mean, runningMean[j], 1e-12, "running mean of feature " + j);
            assertEquals(0.75 + 0.25 * squares / (ROWS - 1), runningVar[j], 1e-12, "running variance of feature " + j);
        }
    }

    @Test
    void evaluationAndPredictionUseTheRunningStatisticsAndLeaveThem() throws Exception {
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
        double[] z = model.value("z");
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < 3; j++) {
                double expected = (x[r * 3 + j] - runningMean[j]) / Math.sqrt(runningVar[j] + 0.01) * model.param(0, j)
                        + model.param(1, j);
                assertEquals(expected, z[r * 3 + j], 1e-12, "row " + r + ", feature " + j);
            }
        }
        assertArrayEquals(runningMean, model.param("g.running_mean"), "evaluation leaves the running mean");
        assertArrayEquals(runningVar, model.param("g.running_var"), "evaluation leaves the running variance");
        model.setTraining(true);
        // One row at a time, twice, by the model and by a predictor: the same values, row by row.
        double[] one = new double[3];
        double[] again = new double[3];
        double[] shared = new double[3];
        for (int r = 0; r < ROWS; r++) {
            double[] row = java.util.Arrays.copyOfRange(x, r * 3, r * 3 + 3);
            model.predict(new Object[] {row}, 1, new Object[] {one});
            model.predict(new Object[] {row}, 1, new Object[] {again});
            model.predictor().predict(new Object[] {row}, 1, new Object[] {shared});
            for (int j = 0; j < 3; j++) {
                assertEquals(z[r * 3 + j], one[j], 1e-12, "predict, row " + r + ", feature " + j);
            }
            assertArrayEquals(one, again, "the same row predicted twice");
            assertArrayEquals(one, shared, "the predictor, row " + r);
        }
        assertArrayEquals(runningMean, model.param("g.running_mean"), "prediction leaves the running mean");
        assertArrayEquals(runningVar, model.param("g.running_var"), "prediction leaves the running variance");
    }

    @Test
    void theOptimizerLeavesTheRunningStatisticsAndTheyHaveNoGradient() throws Exception {
        String text = MODEL + "train {\n  optimizer adam(lr = 0.1, weight_decay = 0.1)\n}\n";
        TrainableModel model = TensorModels.compile(text).instantiate(4);
        model.bind(TensorModels.randomInputs(model.signature(), ROWS, new Rng(9)), ROWS);
        model.forward();
        double[] runningMean = model.param("g.running_mean");
        model.backward();
        assertArrayEquals(new double[3], model.gradient("g.running_mean"));
        assertArrayEquals(new double[3], model.gradient("g.running_var"));
        model.step();
        assertArrayEquals(runningMean, model.param("g.running_mean"), "the update leaves the running mean");
        assertTrue(model.stateNames().stream().noneMatch(n -> n.contains("running")), model.stateNames().toString());
    }

    @Test
    void gradCheckPassesTheRuleAndFailsOneThatSendsTheCotangentToTheRunningStatistic() throws Exception {
        String text = MODEL.replace("output o = z\n", "");
        TrainableModel model = TensorModels.compile(text).instantiate(4);
        model.bind(TensorModels.randomInputs(model.signature(), ROWS, new Rng(11)), ROWS);
        assertTrue(GradCheck.defaults().check(model).passed());
        RuleMutants.Mutant running = new RuleMutants.Mutant(Op.TRAINING, "cotangent to the running statistic",
                y -> true, (y, g) -> new Node[] {null, g});
        TrainableModel[] wrong = new TrainableModel[1];
        RuleMutants.withMutant(running, () -> {
            try {
                wrong[0] = TensorModels.compile(text.replace("model M", "model WrongRunning")).instantiate(4);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        wrong[0].bind(TensorModels.randomInputs(wrong[0].signature(), ROWS, new Rng(11)), ROWS);
        assertFalse(GradCheck.defaults().check(wrong[0]).passed());
    }

    @ParameterizedTest
    @EnumSource(Dtype.class)
    void aStepAllocatesNothing(Dtype dtype) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        boolean vectorBefore = Matmul.vectorized();
        Matmul.setVectorized(false);
        try {
            String text = "model M\ninput x : [batch, 6]\ninput y : int[batch]\nparam W : [6, 8] = normal(0, 1)\n"
                    + "param g : [8] = 1\nparam b : [8] = 0\nparam V : [8, 3] = normal(0, 1)\n"
                    + "h = dropout(relu(batch_norm(x @ W, g, b)), 0.3)\n"
                    + "loss L = mean(softmax_cross_entropy(h @ V, y))\n";
            TrainableModel model = ModelCompiler.compile(new dev.modelc.diagnostics.SourceFile("bn.model", text),
                    new ModelCompiler.Options("", dtype)).instantiate(4);
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

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("batch_norm of a hidden layer",
                        "model M\ninput x : [batch, 3]\ninput y : int[batch]\nparam W : [3, 4] = normal(0, 1)\n"
                                + "param g : [4] = normal(1, 0.3)\nparam b : [4] = normal(0, 0.3)\n"
                                + "param V : [4, 3] = normal(0, 1)\nh = tanh(batch_norm(x @ W, g, b))\n"
                                + "loss L = mean(softmax_cross_entropy(h @ V, y))\n"),
                Arguments.of("two batch_norms and a layer_norm",
                        "model M\ninput x : [batch, 4]\nparam g1 : [4] = normal(1, 0.3)\n"
                                + "param b1 : [4] = normal(0, 0.3)\n"
                                + "param W : [4, 2] = normal(0, 1)\nparam g2 : [2] = normal(1, 0.3)\n"
                                + "param b2 : [2] = normal(0, 0.3)\n"
                                + "h = layer_norm(batch_norm(x, g1, b1, momentum = 0.5), g1, b1)\n"
                                + "loss L = sum(sin(batch_norm(h @ W, g2, b2, eps = 0.1)))\n"),
                Arguments.of("batch_norm of a convolution's channels",
                        "model M\ninput x : [batch, 2, 4, 3]\ninput y : int[batch]\nparam K : [3, 2, 2, 2] = normal(0, 1)\n"
                                + "param g : [3, 1, 1] = normal(1, 0.3)\nparam b : [3, 1, 1] = normal(0, 0.3)\n"
                                + "param W : [18, 3] = normal(0, 1)\n"
                                + "h = tanh(batch_norm(conv2d(x, K), g, b, momentum = 0.3))\n"
                                + "loss L = mean(softmax_cross_entropy(flatten(h) @ W, y))\n"),
                Arguments.of("batch_norm of images, beta one number",
                        "model M\ninput x : [batch, 3, 2, 2]\nparam g : [3, 1, 1] = normal(1, 0.3)\n"
                                + "param c : [1] = 0.5\nloss L = sum(sin(batch_norm(x * 2, g, c, eps = 0.1)))\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void gradientsAgreeWithFiniteDifferencesInTraining(String name, String text) throws Exception {
        ModelCompiler.Result result = TensorModels.compile(text);
        ModelIr ir = result.simplified();
        TrainableModel model = result.instantiate(4);
        int rows = 4;
        Object[] inputs = TensorModels.randomInputs(model.signature(), rows, new Rng(5));
        model.bind(inputs, rows);
        double loss = model.forward();
        assertEquals(training(ir, model, inputs, rows), loss, 1e-12 * Math.max(1, Math.abs(loss)),
                "loss vs reference interpreter");
        model.backward();
        for (int p = 0; p < model.signature().params().size(); p++) {
            ModelSignature.Param param = model.signature().params().get(p);
            for (int i = 0; i < param.size(); i++) {
                double h = 1e-6;
                double original = model.param(p, i);
                model.setParam(p, i, original + h);
                double up = training(ir, model, inputs, rows);
                model.setParam(p, i, original - h);
                double down = training(ir, model, inputs, rows);
                model.setParam(p, i, original);
                double numeric = (up - down) / (2 * h);
                double analytic = model.gradient(p, i);
                assertTrue(Math.abs(analytic - numeric) <= 1e-6 + 1e-4 * Math.abs(numeric),
                        name + ": d/d" + param.name() + "[" + i + "] analytic " + analytic + " numeric " + numeric);
            }
        }
    }

    /** The loss by the reference interpreter in training: batch statistics. */
    private static double training(ModelIr ir, TrainableModel model, Object[] inputs, int rows) {
        Evaluator.Bindings reference = TensorModels.bindings(ir, model, inputs, rows);
        Node root = ir.loss().node();
        return Evaluator.evaluate(List.of(root), new Evaluator.Bindings() {
            @Override
            public Tensor param(String name) {
                return reference.param(name);
            }

            @Override
            public Tensor input(String name) {
                return reference.input(name);
            }

            @Override
            public int rows() {
                return rows;
            }

            @Override
            public long dropoutKey() {
                return Dropout.key(1, 0);
            }
        }).get(root).data()[0];
    }
}
