package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.graph.ModelIr;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Rng;
import dev.modelc.runtime.TrainableModel;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code layer_norm}: its value against the formula computed here element by element in double,
 * and the gradients of models using it against central finite differences of the reference
 * interpreter in f64.
 */
class NormalizationTest {

    @Test
    void layerNormIsTheFormulaOverTheLastAxis() throws Exception {
        String text = "model M\ninput x : [batch, 5]\nparam g : [5] = normal(1, 0.5)\nparam b : [5] = normal(0, 0.5)\n"
                + "z = layer_norm(x, g, b, eps = 0.01)\nloss L = mean(z^2)\n";
        TrainableModel model = TensorModels.compile(text).instantiate(4);
        Object[] inputs = TensorModels.randomInputs(model.signature(), 3, new Rng(3));
        model.bind(inputs, 3);
        model.forward();
        double[] x = (double[]) inputs[0];
        double[] z = model.value("z");
        for (int r = 0; r < 3; r++) {
            double mean = 0;
            for (int j = 0; j < 5; j++) {
                mean += x[r * 5 + j] / 5;
            }
            double variance = 0;
            for (int j = 0; j < 5; j++) {
                variance += (x[r * 5 + j] - mean) * (x[r * 5 + j] - mean) / 5;
            }
            for (int j = 0; j < 5; j++) {
                double expected = (x[r * 5 + j] - mean) / Math.sqrt(variance + 0.01) * model.param(0, j)
                        + model.param(1, j);
                assertEquals(expected, z[r * 5 + j], 1e-12, "row " + r + ", feature " + j);
            }
        }
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("layer_norm of a hidden layer",
                        "model M\ninput x : [batch, 3]\ninput y : int[batch]\nparam W : [3, 4] = normal(0, 1)\n"
                                + "param g : [4] = normal(1, 0.3)\nparam b : [4] = normal(0, 0.3)\n"
                                + "param V : [4, 3] = normal(0, 1)\nh = tanh(layer_norm(x @ W, g, b))\n"
                                + "loss L = mean(softmax_cross_entropy(h @ V, y))\n"),
                Arguments.of("layer_norm of images, gamma per pixel",
                        "model M\nparam x : [2, 3, 4] = normal(0, 1)\nparam g : [3, 4] = normal(1, 0.3)\n"
                                + "param b : [4] = normal(0, 0.3)\nloss L = sum(sin(layer_norm(x, g, b, eps = 0.1)))\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void gradientsAgreeWithFiniteDifferences(String name, String text) throws Exception {
        ModelCompiler.Result result = TensorModels.compile(text);
        ModelIr ir = result.simplified();
        TrainableModel model = result.instantiate(4);
        int rows = model.signature().inputs().isEmpty() ? 1 : 3;
        Object[] inputs = TensorModels.randomInputs(model.signature(), rows, new Rng(5));
        model.bind(inputs, rows);
        double loss = model.forward();
        double reference = TensorModels.referenceLoss(ir, model, inputs, rows);
        assertEquals(reference, loss, 1e-12 * Math.max(1, Math.abs(reference)), "loss vs reference interpreter");
        model.backward();
        for (int p = 0; p < model.signature().params().size(); p++) {
            ModelSignature.Param param = model.signature().params().get(p);
            for (int i = 0; i < param.size(); i++) {
                double h = 1e-6;
                double original = model.param(p, i);
                model.setParam(p, i, original + h);
                double up = TensorModels.referenceLoss(ir, model, inputs, rows);
                model.setParam(p, i, original - h);
                double down = TensorModels.referenceLoss(ir, model, inputs, rows);
                model.setParam(p, i, original);
                double numeric = (up - down) / (2 * h);
                double analytic = model.gradient(p, i);
                assertTrue(Math.abs(analytic - numeric) <= 1e-6 + 1e-4 * Math.abs(numeric),
                        name + ": d/d" + param.name() + "[" + i + "] analytic " + analytic + " numeric " + numeric);
            }
        }
    }
}
