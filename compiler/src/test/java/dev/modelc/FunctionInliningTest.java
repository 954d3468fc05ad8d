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
 * Functions ({@code def}) are inlined: a model calling them trains exactly as the same model
 * with every call written out by hand (bit for bit, loss and gradients), its gradients agree with
 * central finite differences of the reference interpreter in f64, and the generated method of a
 * line that calls a function names it.
 */
class FunctionInliningTest {
    private static final String HEADER = "input x : [batch, 3]\ninput y : int[batch]\n"
            + "param W1 : [3, 4] = normal(0, 1)\nparam b1 : [4] = normal(0, 0.5)\n"
            + "param W2 : [4, 3] = normal(0, 1)\nparam b2 : [3] = normal(0, 0.5)\n";

    static Stream<Arguments> models() {
        return Stream.of(
                pair("a layer used twice",
                        "def dense(a, W, b) = tanh(a @ W + b)\n" + HEADER
                                + "h = dense(x, W1, b1)\nlogits = dense(h, W2, b2)\n",
                        "\n" + HEADER + "h = tanh(x @ W1 + b1)\nlogits = tanh(h @ W2 + b2)\n"),
                pair("functions calling functions, arguments by name",
                        "def affine(a, W, b) = a @ W + b\ndef dense(a, W, b) = softplus(affine(a, W, b))\n" + HEADER
                                + "logits = affine(dense(x, b = b1, W = W1), W2, b2)\n",
                        "\n\n" + HEADER + "logits = softplus(x @ W1 + b1) @ W2 + b2\n"),
                pair("a body that reads the model's params, an RNN cell",
                        "def cell(h, v) = tanh(v @ W1 + h @ Wh)\n" + HEADER
                                + "param Wh : [4, 4] = normal(0, 0.5)\nh0 = tanh(x @ W1)\n"
                                + "h2 = cell(cell(h0, x * 2), x)\nlogits = h2 @ W2 + b2\n",
                        "\n" + HEADER + "param Wh : [4, 4] = normal(0, 0.5)\nh0 = tanh(x @ W1)\n"
                                + "h2 = tanh(x @ W1 + tanh(x * 2 @ W1 + h0 @ Wh) @ Wh)\nlogits = h2 @ W2 + b2\n"),
                pair("a parameter hides a model name, and a callee never sees its caller's parameters",
                        "def shift(W1) = W1 + b1\ndef twice(b1) = shift(b1 * 2)\n" + HEADER
                                + "logits = twice(x @ W1) @ W2 + b2\n",
                        "\n\n" + HEADER + "logits = ((x @ W1) * 2 + b1) @ W2 + b2\n"));
    }

    private static Arguments pair(String name, String withFunctions, String writtenOut) {
        String tail = "loss L = mean(softmax_cross_entropy(logits, y))\n";
        return Arguments.of(name, "model M\n" + withFunctions + tail, "model M\n" + writtenOut + tail);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void aCallTrainsExactlyAsItsBodyWrittenOut(String name, String withFunctions, String writtenOut) throws Exception {
        TrainableModel inlined = TensorModels.compile(withFunctions).instantiate(4);
        TrainableModel byHand = TensorModels.compile(writtenOut).instantiate(4);
        Object[] inputs = TensorModels.randomInputs(inlined.signature(), 3, new Rng(11));
        inlined.bind(inputs, 3);
        byHand.bind(inputs, 3);
        assertEquals(Double.doubleToLongBits(byHand.forward()), Double.doubleToLongBits(inlined.forward()), name);
        inlined.backward();
        byHand.backward();
        for (int p = 0; p < inlined.signature().params().size(); p++) {
            for (int i = 0; i < inlined.signature().params().get(p).size(); i++) {
                assertEquals(Double.doubleToLongBits(byHand.gradient(p, i)),
                        Double.doubleToLongBits(inlined.gradient(p, i)), name + ": gradient " + p + "[" + i + "]");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void gradientsAgreeWithFiniteDifferences(String name, String withFunctions, String writtenOut) throws Exception {
        ModelCompiler.Result result = TensorModels.compile(withFunctions);
        ModelIr ir = result.simplified();
        TrainableModel model = result.instantiate(4);
        Object[] inputs = TensorModels.randomInputs(model.signature(), 3, new Rng(5));
        model.bind(inputs, 3);
        double loss = model.forward();
        double reference = TensorModels.referenceLoss(ir, model, inputs, 3);
        assertEquals(reference, loss, 1e-12 * Math.max(1, Math.abs(reference)), "loss vs reference interpreter");
        model.backward();
        for (int p = 0; p < model.signature().params().size(); p++) {
            ModelSignature.Param param = model.signature().params().get(p);
            for (int i = 0; i < param.size(); i++) {
                double analytic = model.gradient(p, i);
                double numeric = centralDifference(ir, model, inputs, p, i);
                assertTrue(Math.abs(analytic - numeric) <= 1e-6 + 1e-4 * Math.abs(numeric),
                        name + ": d/d" + param.name() + "[" + i + "] analytic " + analytic + " numeric " + numeric);
            }
        }
    }

    private static double centralDifference(ModelIr ir, TrainableModel model, Object[] inputs, int p, int i) {
        double h = 1e-6;
        double original = model.param(p, i);
        model.setParam(p, i, original + h);
        double up = TensorModels.referenceLoss(ir, model, inputs, 3);
        model.setParam(p, i, original - h);
        double down = TensorModels.referenceLoss(ir, model, inputs, 3);
        model.setParam(p, i, original);
        return (up - down) / (2 * h);
    }

    @Test
    void theMethodOfALineNamesEachFunctionItInlines() {
        String source = TensorModels.compile("model M\n" + "def affine(a, W, b) = a @ W + b\n"
                + "def dense(a, W, b) = relu(affine(a, W, b))\n" + HEADER
                + "logits = dense(x, W1, b1) @ W2 + b2\nloss L = mean(softmax_cross_entropy(logits, y))\n")
                .javaSource();
        int method = source.indexOf("private void logits()");
        assertTrue(method > 0, source);
        String body = source.substring(method, source.indexOf("\n    }\n", method));
        assertTrue(body.contains("// dense inlined from test.model:3: def dense(a, W, b) = relu(affine(a, W, b))"), body);
        assertTrue(body.contains("// affine inlined from test.model:2: def affine(a, W, b) = a @ W + b"), body);
        assertTrue(body.indexOf("// dense") < body.indexOf("// affine"), body);
    }
}
