package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.graph.ModelIr;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Rng;
import dev.modelc.runtime.TrainableModel;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tensor models, one per line: the generated f64 code's loss agrees with the reference
 * interpreter, and its gradient with central finite differences of the interpreter's loss.
 */
class TensorGradientTest {

    static Stream<Arguments> models() {
        return Stream.of(
                model("linear regression", "input x : [batch, 3]\ninput y : [batch]\nparam w : [3] = normal(0, 1)\n"
                        + "param b = 0.5\nloss L = mse(x @ w + b, y)"),
                model("logistic", "input x : [batch, 4]\ninput y : [batch]\nparam w : [4, 1] = normal(0, 1)\n"
                        + "param b : [1] = 0.1\nz = x @ w + b\nloss L = mean(bce_with_logits(z, reshape1(y)))"),
                model("mlp", "input x : [batch, 5]\ninput y : int[batch]\nparam W1 : [5, 7] = he_normal\n"
                        + "param b1 : [7] = uniform(-0.5, 0.5)\nparam W2 : [7, 3] = glorot_uniform\nparam b2 : [3] = normal(0, 0.3)\n"
                        + "h = tanh(x @ W1 + b1)\nlogits = h @ W2 + b2\nloss L = mean(softmax_cross_entropy(logits, y))"),
                model("softmax and friends", "input x : [batch, 4]\nparam W : [4, 4] = normal(0, 1)\n"
                        + "s = softmax(x @ W)\nl = log_softmax(x @ W, axis = 0)\n"
                        + "loss L = sum(s * s) + mean(l) + sum(logsumexp(x @ W, axis = 1)) + max(x @ W)"),
                model("reductions and transpose", "input x : [batch, 3]\nparam A : [3, 2] = normal(0, 1)\n"
                        + "param v : [2] = normal(0, 1)\np = x @ A\n"
                        + "loss L = sum(mean(p, axis = 0) * v) + sum(A @ v) + sum(transpose(A)) + v @ v + sum(max(p, axis = 1))"),
                model("broadcast scalars", "input x : [batch, 2]\nparam s = 0.7\nparam c : [2] = normal(0, 1)\n"
                        + "loss L = mean(sigmoid(s * x + c) + softplus(x - s) * exp(-c) / (1 + c^2))"),
                // Dimensions of size 1 get no loop: two logsumexps of one row each, in one line,
                // keep their locals apart; a [batch, 1] column is read by the loop over rows alone.
                model("dimensions of size 1", "input x : [batch, 3]\nparam A : [1, 3] = normal(0, 1)\n"
                        + "param B : [1, 3] = normal(0, 1)\nparam w : [3, 1] = normal(0, 1)\nparam b : [1] = 0.2\n"
                        + "loss L = sum(logsumexp(A, axis = 1)) + sum(logsumexp(B * A, axis = 1)) + mean((x @ w + b) * (x @ w + b))"),
                // Scalar inputs are bound as arrays of one element, like any other input.
                model("scalar inputs", "input t : []\ninput y : int[]\nparam w : [3] = normal(0, 1)\n"
                        + "loss L = softmax_cross_entropy(t * w, y) + t * sum(w)"));
    }

    private static Arguments model(String name, String body) {
        String text = "model M\n" + body.replace("reshape1(y)", "y2") + "\n";
        if (body.contains("reshape1(y)")) {
            text = text.replace("input y : [batch]", "input y2 : [batch, 1]").replace("y2\n", "y2\n");
        }
        return Arguments.of(name, text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void gradientsAgreeWithFiniteDifferences(String name, String text) throws Exception {
        ModelCompiler.Result result = TensorModels.compile(text);
        ModelIr ir = result.simplified();
        int rows = 5;
        TrainableModel model = result.instantiate(7);
        Object[] inputs = TensorModels.randomInputs(model.signature(), rows, new Rng(11));
        model.bind(inputs, rows);
        double loss = model.forward();
        double reference = TensorModels.referenceLoss(ir, model, inputs, rows);
        assertEquals(reference, loss, 1e-12 * Math.max(1, Math.abs(reference)), "loss vs reference interpreter");
        model.backward();
        int checked = 0;
        for (int p = 0; p < model.signature().params().size(); p++) {
            ModelSignature.Param param = model.signature().params().get(p);
            for (int i = 0; i < param.size(); i++) {
                double analytic = model.gradient(p, i);
                double numeric = centralDifference(ir, model, inputs, rows, p, i);
                assertTrue(Math.abs(analytic - numeric) <= 1e-6 + 1e-4 * Math.abs(numeric),
                        name + ": d/d" + param.name() + "[" + i + "] analytic " + analytic + " numeric " + numeric);
                checked++;
            }
        }
        assertTrue(checked > 0);
    }

    private static double centralDifference(ModelIr ir, TrainableModel model, Object[] inputs, int rows, int p, int i) {
        double h = 1e-6;
        double original = model.param(p, i);
        model.setParam(p, i, original + h);
        double up = TensorModels.referenceLoss(ir, model, inputs, rows);
        model.setParam(p, i, original - h);
        double down = TensorModels.referenceLoss(ir, model, inputs, rows);
        model.setParam(p, i, original);
        return (up - down) / (2 * h);
    }
}
