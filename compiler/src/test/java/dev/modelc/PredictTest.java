package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.graph.Evaluator;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Tensor;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Predictor;
import dev.modelc.runtime.Rng;
import dev.modelc.runtime.TrainableModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated {@code predict}, of the model and of its predictor, against the reference
 * interpreter evaluating each output on the same random rows, in f64 and f32; given only the
 * inputs the outputs read, so that a model whose labels are never bound predicts all the same.
 */
class PredictTest {
    private static final int ROWS = 5;

    static Stream<Arguments> models() {
        List<Arguments> cases = new ArrayList<>();
        for (String sample : List.of("digits_mlp", "deep_mlp", "linear_regression", "logistic_regression")) {
            cases.add(Arguments.of("sample " + sample, Sample.named(sample).source().text()));
        }
        cases.add(model("output after the loss shares its logsumexp", """
                input x : [batch, 4]
                input y : int[batch]
                param W : [4, 3] = normal(0, 1)
                logits = x @ W
                loss L = mean(softmax_cross_entropy(logits, y))
                output probs = softmax(logits)"""));
        cases.add(model("several outputs of several shapes, one an argmax", """
                input x : [batch, 3]
                input y : int[batch]
                param W : [3, 4] = normal(0, 1)
                param s = 0.5
                z = tanh(x @ W) * s
                output best = argmax(z, axis = 1)
                output score = max(z, axis = 1)
                output scale = exp(s)
                output same = x
                loss L = mean(softmax_cross_entropy(z, y))"""));
        cases.add(model("an output that reads the labels", """
                input x : [batch, 2]
                input y : int[batch]
                param W : [2, 3] = normal(0, 1)
                output nll = softmax_cross_entropy(x @ W, y)
                loss L = mean(nll)"""));
        cases.add(model("an output the loss reads, with elementwise work on each row", """
                input x : [batch, 3]
                input t : [batch]
                param w : [3] = normal(0, 1)
                param b = 0.1
                output p = sigmoid(x @ w + b) * 0.9 + 0.05
                loss L = mean((p - t)^2)"""));
        cases.add(model("a scalar model", """
                param x = -3
                param y = 2
                output r = sqrt(x^2 + y^2)
                loss J = x^2 + 2 * y^2"""));
        return cases.stream();
    }

    private static Arguments model(String name, String body) {
        return Arguments.of(name, "model M\n" + body + "\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void predictAgreesWithTheInterpreterInF64AndF32(String name, String text) throws Exception {
        for (Dtype dtype : Dtype.values()) {
            ModelCompiler.Result result = compile(text, dtype);
            TrainableModel model = result.instantiate(3);
            ModelSignature signature = model.signature();
            Object[] inputs = randomInputs(signature.predictInputs(), ROWS, new Rng(5), dtype);
            Object[] fromModel = outputs(signature, ROWS, dtype);
            model.predict(inputs, ROWS, fromModel);
            Predictor predictor = model.predictor();
            Object[] fromPredictor = outputs(signature, ROWS, dtype);
            predictor.predict(inputs, ROWS, fromPredictor);
            ModelIr ir = result.simplified();
            double tolerance = dtype == Dtype.F64 ? 1e-12 : 2e-5;
            for (int o = 0; o < signature.outputs().size(); o++) {
                double[] expected = reference(ir, ir.outputs().get(o).node(), model, signature, inputs);
                String what = name + " " + dtype.label() + " output " + signature.outputs().get(o).name();
                assertClose(expected, fromModel[o], tolerance, what);
                assertArrayEquals(doubles(fromModel[o]), doubles(fromPredictor[o]), what + " (predictor)");
            }
        }
    }

    @Test
    void theSignatureListsEachOutputWithTheInputsItReads() throws Exception {
        ModelSignature signature = compile(models().filter(a -> a.get()[0].toString().startsWith("several"))
                .findFirst().orElseThrow().get()[1].toString(), Dtype.F64).load().signature();
        assertEquals(List.of(
                new ModelSignature.Output("best", List.of(ModelSignature.BATCH), true, List.of("x")),
                new ModelSignature.Output("score", List.of(ModelSignature.BATCH), false, List.of("x")),
                new ModelSignature.Output("scale", List.of(), false, List.of()),
                new ModelSignature.Output("same", List.of(ModelSignature.BATCH, 3), false, List.of("x"))),
                signature.outputs());
        assertEquals(List.of("x"), signature.predictInputs().stream().map(ModelSignature.Input::name).toList());
    }

    @Test
    void everySampleWithRowsDeclaresWhatItPredicts() throws Exception {
        int withRows = 0;
        for (Sample sample : Sample.all()) {
            ModelIr ir = sample.compile(Dtype.F64).simplified();
            if (ir.inputs().stream().anyMatch(i -> i.shape().hasBatch())) {
                withRows++;
                assertTrue(!ir.outputs().isEmpty(), sample + " declares no output");
            }
        }
        assertTrue(withRows >= 4, withRows + " samples with rows");
    }

    @Test
    void aModelWithoutOutputsTrainsAndSaysHowToDeclareOne() throws Exception {
        TrainableModel model = Sample.named("quadratic").compile(Dtype.F64).instantiate(0);
        assertTrue(model.signature().outputs().isEmpty());
        model.trainStep();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> model.predict(new Object[0], 1, new Object[0]));
        assertEquals("model Quadratic (quadratic.model) declares no output, so it cannot predict; declare what "
                + "predict computes with a line such as `output probs = softmax(logits)`", e.getMessage());
        assertThrows(IllegalStateException.class, model::predictor);
    }

    @Test
    void rowsBeyondTheBatchCapacityAreRefusedWithTheCapacity() throws Exception {
        TrainableModel model = Sample.named("digits_mlp").compile(Dtype.F64).load().create(1, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.predict(new Object[] {new double[5 * 64]}, 5, new Object[] {new double[5 * 10]}));
        assertTrue(e.getMessage().contains("batch capacity, 4; got 5"), e.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> model.predict(new Object[] {new double[64], new int[1]}, 1, new Object[] {new double[10]}));
        assertEquals("predict takes 1 input (x) and 1 output (probs), got 2 and 1", count.getMessage());
    }

    @Test
    void predictLeavesTheTrainingBindingAsItWas() throws Exception {
        TrainableModel model = Sample.named("digits_mlp").compile(Dtype.F64).instantiate(2);
        Object[] batch = TensorModels.randomInputs(model.signature(), 3, new Rng(1));
        model.bind(batch, 3);
        double loss = model.forward();
        model.predict(new Object[] {new double[64]}, 1, new Object[] {new double[10]});
        assertEquals(loss, model.forward());
    }

    @Test
    void aPredictorKeepsTheParamsItWasMadeWith() throws Exception {
        TrainableModel model = Sample.named("linear_regression").compile(Dtype.F64).instantiate(0);
        Predictor predictor = model.predictor();
        model.setParam("b", new double[] {5});
        double[] fromModel = new double[1];
        double[] fromPredictor = new double[1];
        model.predict(new Object[] {new double[3]}, 1, new Object[] {fromModel});
        predictor.predict(new Object[] {new double[3]}, 1, new Object[] {fromPredictor});
        assertEquals(5, fromModel[0]);
        assertEquals(0, fromPredictor[0]);
    }

    static ModelCompiler.Result compile(String text, Dtype dtype) {
        try {
            return ModelCompiler.compile(new SourceFile("test.model", text), new ModelCompiler.Options("", dtype));
        } catch (CompilationFailed e) {
            throw new AssertionError(e.diagnostics().render());
        }
    }

    /** An array for each output, of its element type, with room for {@code rows} rows. */
    static Object[] outputs(ModelSignature signature, int rows, Dtype dtype) {
        Object[] outputs = new Object[signature.outputs().size()];
        for (int o = 0; o < outputs.length; o++) {
            ModelSignature.Output output = signature.outputs().get(o);
            int size = output.rowSize() * (output.perRow() ? rows : 1);
            outputs[o] = output.integer() ? new int[size] : dtype == Dtype.F64 ? new double[size] : new float[size];
        }
        return outputs;
    }

    static Object[] randomInputs(List<ModelSignature.Input> inputs, int rows, Rng rng, Dtype dtype) {
        ModelSignature only = new ModelSignature("M", "m.model", dtype.label(), List.of(), inputs, "L", List.of(),
                null, null);
        return TensorModels.randomInputs(only, rows, rng, dtype);
    }

    /** The interpreter's value of {@code output}; it is given only the inputs predict takes. */
    private static double[] reference(ModelIr ir, Node output, TrainableModel model, ModelSignature signature,
                                      Object[] inputs) {
        Evaluator.Bindings bindings = new Evaluator.Bindings() {
            @Override
            public Tensor param(String name) {
                ModelSignature.Param param = signature.params().get(signature.paramIndex(name));
                return new Tensor(param.shape().stream().mapToInt(Integer::intValue).toArray(), model.param(name));
            }

            @Override
            public Tensor input(String name) {
                List<ModelSignature.Input> given = signature.predictInputs();
                for (int i = 0; i < given.size(); i++) {
                    if (given.get(i).name().equals(name)) {
                        ModelIr.InputSpec spec = ir.inputs().stream().filter(s -> s.name().equals(name))
                                .findFirst().orElseThrow();
                        return new Tensor(Tensor.dims(spec.shape(), ROWS), doubles(inputs[i]));
                    }
                }
                throw new AssertionError("predict does not take input " + name);
            }

            @Override
            public int rows() {
                return ROWS;
            }
        };
        Map<Node, Tensor> values = Evaluator.evaluate(List.of(output), bindings);
        return values.get(output).data();
    }

    static double[] doubles(Object array) {
        if (array instanceof double[] d) {
            return d;
        }
        if (array instanceof int[] ints) {
            return java.util.Arrays.stream(ints).asDoubleStream().toArray();
        }
        float[] f = (float[]) array;
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static void assertClose(double[] expected, Object actualArray, double tolerance, String what) {
        double[] actual = doubles(actualArray);
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double allowed = tolerance * Math.max(1, Math.abs(expected[i]));
            assertTrue(Math.abs(expected[i] - actual[i]) <= allowed,
                    what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
        }
    }
}
