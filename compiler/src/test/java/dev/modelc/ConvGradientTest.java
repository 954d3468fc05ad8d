package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.graph.Evaluator;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Shape;
import dev.modelc.graph.Tensor;
import dev.modelc.graph.Window;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Rng;
import dev.modelc.runtime.TrainableModel;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convolution and pooling: the reference interpreter against sums worked out by hand, and
 * models through every stride, padding, kernel shape and window the rules distinguish, their
 * generated f64 loss against the interpreter's and every gradient against central finite
 * differences of it. A param image (no batch) takes its gradient through the adjoint in x.
 */
class ConvGradientTest {

    static Stream<Arguments> models() {
        return Stream.of(
                model("one channel, 3x3, no padding", "input x : [batch, 1, 5, 5]\nparam K : [2, 1, 3, 3] = normal(0, 1)\n"
                        + "loss L = mean(conv2d(x, K)^2)"),
                model("channels, padding and stride", "input x : [batch, 3, 6, 5]\nparam K : [4, 3, 3, 2] = normal(0, 1)\n"
                        + "loss L = mean(tanh(conv2d(x, K, stride = 2, padding = 1)))"),
                model("a param image: the gradient in x", "param x : [2, 2, 4, 4] = normal(0, 1)\n"
                        + "param K : [3, 2, 2, 3] = normal(0, 1)\nloss L = sum(sin(conv2d(x, K, stride = 2, padding = 2)))"),
                model("stride past the edge", "param x : [1, 1, 7, 6] = normal(0, 1)\nparam K : [1, 1, 3, 3] = normal(0, 1)\n"
                        + "loss L = sum(conv2d(x, K, stride = 3)^3)"),
                model("max pool with a remainder", "param x : [2, 3, 5, 7] = normal(0, 1)\n"
                        + "loss L = sum(max_pool2d(x, 2)^2)"),
                model("avg pool", "input x : [batch, 2, 6, 6]\nparam w : [2, 1, 1] = normal(0, 1)\n"
                        + "loss L = mean(avg_pool2d(x * w, 3)^2)"),
                model("a small CNN", "input x : [batch, 16]\ninput y : int[batch]\nparam K1 : [3, 1, 3, 3] = he_normal\n"
                        + "param b1 : [3, 1, 1] = normal(0, 0.1)\nparam K2 : [2, 3, 2, 2] = he_normal\n"
                        + "param W : [2, 3] = glorot_uniform\nparam b : [3] = zeros\n"
                        + "h = relu(conv2d(reshape(x, [batch, 1, 4, 4]), K1, padding = 1) + b1)\n"
                        + "p = max_pool2d(h, 2)\nz = tanh(conv2d(p, K2))\n"
                        + "loss L = mean(softmax_cross_entropy(flatten(z) @ W + b, y))"));
    }

    private static Arguments model(String name, String body) {
        return Arguments.of(name, "model M\n" + body + "\n");
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

    /**
     * A 3x3 image 1..9 and a 2x2 kernel [[1, 0], [0, 2]]: each output is its window's top left
     * plus twice its bottom right. With padding 1 and stride 2 the windows start at (-1, -1),
     * (-1, 1), (1, -1) and (1, 1): 0 + 2*1, 0 + 2*3, 0 + 2*7 and 5 + 2*9, zeros from the padding.
     */
    @Test
    void theInterpreterSumsTheWindowsAsWorkedOutByHand() {
        Node x = Node.param("x", Shape.of(1, 1, 3, 3));
        Node k = Node.param("k", Shape.of(1, 1, 2, 2));
        Tensor image = new Tensor(new int[] {1, 1, 3, 3}, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        Tensor kernel = new Tensor(new int[] {1, 1, 2, 2}, new double[] {1, 0, 0, 2});
        Node plain = Node.of(Op.CONV2D, Window.of(1, 0), x, k);
        assertArrayEquals(new double[] {1 + 10, 2 + 12, 4 + 16, 5 + 18}, value(plain, image, kernel), 0);
        Node padded = Node.of(Op.CONV2D, Window.of(2, 1), x, k);
        assertEquals(Shape.of(1, 1, 2, 2), padded.shape());
        assertArrayEquals(new double[] {2, 6, 14, 23}, value(padded, image, kernel), 0);
    }

    private static double[] value(Node node, Tensor image, Tensor kernel) {
        return Evaluator.evaluate(List.of(node), new Evaluator.Bindings() {
            @Override
            public Tensor param(String name) {
                return name.equals("x") ? image : kernel;
            }

            @Override
            public Tensor input(String name) {
                throw new IllegalArgumentException(name);
            }

            @Override
            public int rows() {
                return 1;
            }
        }).get(node).data();
    }
}
