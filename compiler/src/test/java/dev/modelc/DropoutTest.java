package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.autodiff.RuleMutants;
import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.graph.Evaluator;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Tensor;
import dev.modelc.runtime.Dropout;
import dev.modelc.runtime.Matmul;
import dev.modelc.runtime.Rng;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.testing.GradCheck;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code dropout}: in training, the generated code drops the elements the reference interpreter
 * drops under the step's key, scales the others by 1 / (1 - p), and its gradients agree with
 * central finite differences of its own loss in f64 (the mask is fixed within a step); the masks
 * change from step to step, are the same for the same seed and step (so a resumed run repeats
 * the original bit for bit), and a step allocates nothing. Evaluating and predicting, it is the
 * identity.
 */
class DropoutTest {
    private static final long SEED = 4;
    private static final String MODEL = """
            model Dropped
            input  x : [batch, 6]
            input  y : int[batch]
            param  W : [6, 40] = normal(0, 1)
            param  V : [40, 3] = normal(0, 0.3)
            h      = dropout(tanh(x @ W), 0.5)
            logits = dropout(h, p = 0.2) @ V
            output probs = softmax(dropout(tanh(x @ W), 0.5) @ V)
            loss   L = mean(softmax_cross_entropy(logits, y))
            train {
              optimizer sgd(lr = 0.1, momentum = 0.9)
              batch 8
            }
            """;

    private static ModelCompiler.Result compile(Dtype dtype) throws Exception {
        return compile(dtype, "Dropped");
    }

    private static ModelCompiler.Result compile(Dtype dtype, String name) {
        try {
            return ModelCompiler.compile(new SourceFile("dropped.model", MODEL.replace("Dropped", name)),
                    new ModelCompiler.Options("", dtype));
        } catch (CompilationFailed e) {
            throw new AssertionError(e.diagnostics().render());
        }
    }

    private static TrainableModel bound(ModelCompiler.Result result, Dtype dtype, long inputSeed) throws Exception {
        TrainableModel model = result.instantiate(SEED);
        model.bind(TensorModels.randomInputs(model.signature(), 8, new Rng(inputSeed), dtype), 8);
        return model;
    }

    @Test
    void trainingDropsWhatTheReferenceInterpreterDropsAndScalesTheRest() throws Exception {
        ModelCompiler.Result result = compile(Dtype.F64);
        ModelIr ir = result.simplified();
        TrainableModel model = result.instantiate(SEED);
        Object[] inputs = TensorModels.randomInputs(model.signature(), 8, new Rng(1));
        model.bind(inputs, 8);
        double loss = model.forward();
        Evaluator.Bindings plain = TensorModels.bindings(ir, model, inputs, 8);
        Evaluator.Bindings training = new Evaluator.Bindings() {
            @Override
            public Tensor param(String name) {
                return plain.param(name);
            }

            @Override
            public Tensor input(String name) {
                return plain.input(name);
            }

            @Override
            public int rows() {
                return 8;
            }

            @Override
            public long dropoutKey() {
                return Dropout.key(SEED, 0);
            }
        };
        Node lossNode = ir.loss().node();
        double reference = Evaluator.evaluate(List.of(lossNode), training).get(lossNode).data()[0];
        assertEquals(reference, loss, 1e-12 * Math.max(1, Math.abs(reference)));
        double[] h = model.value("h");
        double[] x = (double[]) inputs[0];
        int dropped = 0;
        for (int r = 0; r < 8; r++) {
            for (int j = 0; j < 40; j++) {
                double dot = 0;
                for (int k = 0; k < 6; k++) {
                    dot += x[r * 6 + k] * model.param(0, k * 40 + j);
                }
                double value = h[r * 40 + j];
                assertTrue(value == 0 || Math.abs(value - 2 * Math.tanh(dot)) < 1e-12, "kept elements are doubled");
                dropped += value == 0 ? 1 : 0;
            }
        }
        assertTrue(dropped > 100 && dropped < 220, dropped + " of 320 dropped at p = 0.5");
    }

    @Test
    void gradientsAgreeWithFiniteDifferencesUnderTheStepsMask() throws Exception {
        TrainableModel model = bound(compile(Dtype.F64), Dtype.F64, 2);
        model.forward();
        model.backward();
        for (int p = 0; p < 2; p++) {
            for (int i = 0; i < model.signature().params().get(p).size(); i += 7) {
                double original = model.param(p, i);
                double h = 1e-6;
                model.setParam(p, i, original + h);
                double up = model.forward();
                model.setParam(p, i, original - h);
                double down = model.forward();
                model.setParam(p, i, original);
                double numeric = (up - down) / (2 * h);
                double analytic = model.gradient(p, i);
                assertTrue(Math.abs(analytic - numeric) <= 1e-7 + 1e-5 * Math.abs(numeric),
                        "param " + p + "[" + i + "]: analytic " + analytic + ", numeric " + numeric);
            }
        }
    }

    @Test
    void masksChangeWithTheStepAndRepeatForTheSameSeedAndStep() throws Exception {
        ModelCompiler.Result result = compile(Dtype.F64);
        TrainableModel model = bound(result, Dtype.F64, 3);
        model.forward();
        double[] first = model.value("h");
        model.backward();
        model.step();
        model.forward();
        double[] second = model.value("h");
        int differ = 0;
        for (int i = 0; i < first.length; i++) {
            differ += (first[i] == 0) != (second[i] == 0) ? 1 : 0;
        }
        assertTrue(differ > 50, "the second step's mask differs from the first's in " + differ + " places");
        TrainableModel twin = bound(result, Dtype.F64, 3);
        twin.forward();
        assertArrayEquals(first, twin.value("h"), "same seed, same step, same mask");
    }

    @Test
    void aResumedRunContinuesBitForBit() throws Exception {
        ModelCompiler.Result result = compile(Dtype.F64);
        TrainableModel original = bound(result, Dtype.F64, 5);
        for (int i = 0; i < 3; i++) {
            original.trainStep();
        }
        TrainableModel resumed = bound(result, Dtype.F64, 5);
        for (int p = 0; p < 2; p++) {
            for (int i = 0; i < original.signature().params().get(p).size(); i++) {
                resumed.setParam(p, i, original.param(p, i));
            }
        }
        for (int b = 0; b < original.stateNames().size(); b++) {
            for (int i = 0; i < original.signature().params().get(b).size(); i++) {
                resumed.setState(b, i, original.state(b, i));
            }
        }
        resumed.setStepCount(original.stepCount());
        for (int i = 0; i < 3; i++) {
            assertEquals(Double.doubleToLongBits(original.trainStep()), Double.doubleToLongBits(resumed.trainStep()),
                    "step " + (3 + i));
        }
    }

    @Test
    void evaluatingAndPredictingKeepEveryElement() throws Exception {
        TrainableModel model = bound(compile(Dtype.F64), Dtype.F64, 6);
        double training = model.forward();
        model.setTraining(false);
        double evaluated = model.forward();
        assertNotEquals(training, evaluated);
        assertEquals(evaluated, model.forward(), 0.0, "evaluation is deterministic");
        double[] h = model.value("h");
        assertTrue(java.util.Arrays.stream(h).noneMatch(v -> v == 0), "nothing dropped");
        model.setTraining(true);
        double[] x = TensorModels.randomInputs(model.signature(), 2, new Rng(7))[0] instanceof double[] d ? d : null;
        double[] once = new double[6];
        double[] twice = new double[6];
        model.predict(new Object[] {x}, 2, new Object[] {once});
        model.forward();
        model.predict(new Object[] {x}, 2, new Object[] {twice});
        assertArrayEquals(once, twice, 0.0, "predict keeps every element, training or not");
        double[] threaded = new double[6];
        model.predictor().predict(new Object[] {x}, 2, new Object[] {threaded});
        assertArrayEquals(once, threaded, 0.0);
    }

    @Test
    void gradCheckPassesTheRuleAndFailsOneThatForgetsTheMask() throws Exception {
        assertTrue(GradCheck.defaults().check(bound(compile(Dtype.F64), Dtype.F64, 9)).passed());
        RuleMutants.Mutant forgotten = new RuleMutants.Mutant(Op.DROPOUT, "mask forgotten", y -> true,
                (y, g) -> new Node[] {g});
        ModelCompiler.Result[] wrong = new ModelCompiler.Result[1];
        RuleMutants.withMutant(forgotten, () -> wrong[0] = compile(Dtype.F64, "WrongDropped"));
        assertFalse(GradCheck.defaults().check(bound(wrong[0], Dtype.F64, 9)).passed());
    }

    @ParameterizedTest
    @EnumSource(Dtype.class)
    void aStepAllocatesNothing(Dtype dtype) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        boolean vectorBefore = Matmul.vectorized();
        Matmul.setVectorized(false);
        try {
            TrainableModel model = bound(compile(dtype), dtype, 8);
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
}
