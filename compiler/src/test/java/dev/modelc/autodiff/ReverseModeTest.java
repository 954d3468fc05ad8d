package dev.modelc.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.ModelCompiler;
import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Shape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The backward walk, interpreted in double: the gradient it builds for each param equals
 * central differences of the loss, where a value feeds several ops (its cotangents add up),
 * where a scalar stands for every element of a tensor (its cotangent is their sum), and for a
 * param the loss does not read (zero).
 */
class ReverseModeTest {
    private static final Node W = Node.param("w", Shape.of(2, 3));
    private static final Node S = Node.param("s", Shape.SCALAR);

    @Test
    void aValueReadByManyOpsGetsTheSumOfTheirCotangents() {
        Node t = Node.of(Op.TANH, W);
        // t is read twice by one product and once more by exp; the sum reads w once more.
        Node body = add(mul(t, t), add(Node.of(Op.EXP, t), mul(W, Node.constant(0.5))));
        assertGradientsMatch(sum(body), List.of(W));
    }

    @Test
    void aScalarOperandGetsTheSumOverEveryElement() {
        Node loss = sum(Node.of(Op.EXP, mul(W, S)));
        assertGradientsMatch(loss, List.of(W, S));
        assertGradientsMatch(sum(Node.of(Op.SIN, add(S, W))), List.of(W, S));
    }

    @Test
    void aParamTheLossDoesNotReadGetsZeroes() throws CompilationFailed {
        String text = "model M\nparam w : [2, 3] = 0.5\nparam u : [3] = 1\nloss L = sum(w * w)\n"
                + "metric m = sum(u)\ntrain {\n  optimizer gd(lr = 0.1)\n  max_steps 1\n}\n";
        ModelCompiler.Result result = ModelCompiler.compile(new SourceFile("m.model", text),
                new ModelCompiler.Options("", Dtype.F64));
        ModelIr model = ReverseMode.differentiate(result.lowered());
        Node u = model.gradients().get("u");
        assertEquals(Shape.of(3), u.shape());
        double[] values = Interpreted.evaluate(u, Map.of()).data();
        assertEquals(3, values.length);
        for (double v : values) {
            assertEquals(0.0, v);
        }
    }

    @Test
    void aRuleGivingOtherThanOneCotangentPerOperandIsRefused() {
        Node loss = sum(Node.of(Op.TANH, W));
        DerivativeRules.withOverride(Op.TANH, (y, g) -> new Node[] {g, g}, () -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ReverseMode.backpropagate(loss));
            assertTrue(e.getMessage().contains("gave 2 cotangents for 1 operands"), e.getMessage());
        });
    }

    private static void assertGradientsMatch(Node loss, List<Node> params) {
        Map<String, double[]> values = new HashMap<>();
        Random random = new Random(loss.hashCode());
        for (Node p : params) {
            values.put(p.name(), Interpreted.random(random, (int) p.shape().size(1), 0.2, 1.1, true));
        }
        Map<Node, Node> cotangents = ReverseMode.backpropagate(loss);
        for (Node p : params) {
            Node gradient = cotangents.get(p);
            assertEquals(p.shape(), gradient.shape(), p.name());
            double[] actual = Interpreted.evaluate(gradient, values).data();
            for (int k = 0; k < actual.length; k++) {
                double expected = Interpreted.difference(v -> Interpreted.evaluate(loss, v).data()[0], values,
                        p.name(), k);
                assertEquals(expected, actual[k], 1e-6 * Math.max(1, Math.abs(expected)), p.name() + "[" + k + "]");
            }
        }
    }

    private static Node sum(Node x) {
        return Node.of(Op.SUM, Broadcasts.allAxes(x.shape()), x);
    }

    private static Node add(Node a, Node b) {
        return Node.of(Op.ADD, a, b);
    }

    private static Node mul(Node a, Node b) {
        return Node.of(Op.MUL, a, b);
    }
}
