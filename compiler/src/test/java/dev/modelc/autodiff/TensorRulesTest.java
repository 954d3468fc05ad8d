package dev.modelc.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.graph.DropoutSite;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.RunningStatistic;
import dev.modelc.graph.Shape;
import dev.modelc.graph.Slice;
import dev.modelc.graph.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each derivative rule on tensors, interpreted in double without javac: for {@code y = op(x...)}
 * and a cotangent {@code g} of random values (never all ones, so a rule that drops {@code g}
 * fails), the rule's cotangent of each input, summed to its shape as the backward pass sums
 * it, must equal central differences of {@code sum(g * y)} in every element of that input.
 * Shapes are not square, reductions take every axis pattern, and ranks reach 5.
 */
class TensorRulesTest {
    /** One op applied to params named x0, x1, ... (and integer inputs), at given values. */
    record Case(String name, Node y, Map<String, double[]> values) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        elementwise(cases);
        views(cases);
        indexing(cases);
        reductions(cases);
        contractions(cases);
        return cases;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void cotangentsMatchFiniteDifferences(Case c) {
        Node g = Node.param("g", c.y().shape());
        Map<String, double[]> values = new HashMap<>(c.values());
        values.put("g", Interpreted.random(new Random(c.name().hashCode()), size(c.y().shape()), 0.3, 1.7, true));
        Node[] cotangents = DerivativeRules.rule(c.y().op()).vjp(c.y(), g);
        assertEquals(c.y().op().arity(), cotangents.length, c.name());
        for (int i = 0; i < cotangents.length; i++) {
            Node x = c.y().input(i);
            if (x.op() != Op.PARAM) {
                assertNull(cotangents[i], c.name() + ": no cotangent for " + x);
                continue;
            }
            assertNotNull(cotangents[i], c.name() + ": cotangent of " + x.name());
            if (!c.y().op().isElementwise()) {
                // Only a scalar operand of an elementwise op is summed back by the backward pass.
                assertEquals(x.shape(), cotangents[i].shape(), c.name() + ": shape of the cotangent of " + x.name());
            }
            Node summed = Broadcasts.sumTo(cotangents[i], x.shape());
            assertEquals(x.shape(), summed.shape(), c.name() + ": shape of the cotangent of " + x.name());
            double[] actual = Interpreted.evaluate(summed, values).data();
            for (int k = 0; k < actual.length; k++) {
                double expected = Interpreted.difference(y -> Interpreted.weighted(c.y(), y), values, x.name(), k);
                assertEquals(expected, actual[k], 1e-6 * Math.max(1, Math.abs(expected)),
                        c.name() + ": d/d " + x.name() + "[" + k + "]");
            }
        }
    }

    @Test
    void opsWithoutAGradientPassNone() {
        Node labels = Node.input("labels", Shape.of(3), true);
        Node x = Node.param("x0", Shape.of(2, 3));
        Node z = Node.param("x1", Shape.of(2, 3));
        List<Node> ys = new ArrayList<>(List.of(Node.of(Op.ONEHOT, 4, labels), Node.of(Op.ARGMAX, List.of(1), x),
                Node.of(Op.FIRST_MAX, List.of(1), x), Node.of(Op.STOP_GRADIENT, x), Node.of(Op.SIGN, x),
                Node.of(Op.STEP, x)));
        for (Op op : Op.values()) {
            if (op.kind() == Op.Kind.COMPARISON) {
                ys.add(Node.of(op, x, z));
            }
        }
        for (Node y : ys) {
            Node[] cotangents = DerivativeRules.rule(y.op()).vjp(y, Node.param("g", y.shape()));
            assertEquals(y.op().arity(), cotangents.length, y.op().name());
            for (Node cotangent : cotangents) {
                assertNull(cotangent, y.op().name());
            }
        }
    }

    @Test
    void everyOpBeyondTheLeavesHasARuleAndEveryDifferentiableOneACaseHere() {
        Set<Op> tested = EnumSet.noneOf(Op.class);
        cases().forEach(c -> tested.add(c.y().op()));
        Set<Op> expected = EnumSet.noneOf(Op.class);
        for (Op op : Op.values()) {
            if (op.isLeaf()) {
                continue;
            }
            expected.add(op);
            assertNotNull(DerivativeRules.rule(op), op.name());
            boolean passesNothing = op.kind() == Op.Kind.COMPARISON || op.kind() == Op.Kind.PIECEWISE_CONSTANT
                    || EnumSet.of(Op.ONEHOT, Op.ARGMAX, Op.FIRST_MAX, Op.STOP_GRADIENT).contains(op);
            assertTrue(passesNothing || tested.contains(op), op + " has no case");
        }
        assertEquals(expected, DerivativeRules.covered());
    }

    private static void elementwise(List<Case> cases) {
        Shape s = Shape.of(2, 3);
        for (Op op : Op.values()) {
            if (op.kind() == Op.Kind.ELEMENTWISE && op != Op.STOP_GRADIENT && op != Op.WHERE && op != Op.DROPOUT
                    && op != Op.TRAINING) {
                boolean positive = EnumSet.of(Op.LOG, Op.SQRT, Op.POW, Op.LOG1P).contains(op);
                cases.add(of(op.mnemonic() + " on [2, 3]", positive, null, op, shapes(op.arity(), s)));
            }
        }
        cases.add(of("x * scalar", false, null, Op.MUL, s, Shape.SCALAR));
        cases.add(of("scalar + x", false, null, Op.ADD, Shape.SCALAR, s));
        cases.add(of("scalar ^ x", true, null, Op.POW, Shape.SCALAR, s));
        // Under a training step's masks, some elements dropped and the others scaled.
        cases.add(of("dropout 0.5 on [2, 3]", false, new DropoutSite(1, 0.5), Op.DROPOUT, s));
        cases.add(of("dropout 0.25 on [3, 4]", false, new DropoutSite(2, 0.25), Op.DROPOUT, Shape.of(3, 4)));
        // In training the batch statistic; the running one, an input here, gets no cotangent.
        Node chosen = Node.of(Op.TRAINING, new RunningStatistic(0.1, false, 1), Node.param("x0", s),
                Node.input("r", s, false));
        cases.add(new Case("training(x0, r)", chosen, Map.of("x0", Interpreted.random(new Random(4), 6, 0.3, 1.7, true),
                "r", Interpreted.random(new Random(9), 6, 0.3, 1.7, true))));
        Node base = Node.param("x0", s);
        cases.add(new Case("x ^ 3", Node.of(Op.POW, base, Node.constant(3)),
                Map.of("x0", Interpreted.random(new Random(3), 6, 0.3, 1.7, true))));
        // Both branches and a condition that is zero in some elements.
        Node where = Node.of(Op.WHERE, Node.input("c", s, false), Node.param("x1", s), Node.param("x2", s));
        cases.add(new Case("where(c, x1, x2)", where, Map.of("c", new double[] {0, 1, 0, -2, 0.5, 0},
                "x1", Interpreted.random(new Random(5), 6, 0.3, 1.7, true), "x2", Interpreted.random(new Random(6), 6, 0.3, 1.7, true))));
    }

    private static void views(List<Case> cases) {
        cases.add(of("expand [1, 3] to [2, 3]", false, Shape.of(2, 3), Op.EXPAND, Shape.of(1, 3)));
        cases.add(of("expand [2, 1, 4] to [2, 3, 4]", false, Shape.of(2, 3, 4), Op.EXPAND, Shape.of(2, 1, 4)));
        cases.add(of("expand scalar to [2, 3]", false, Shape.of(2, 3), Op.EXPAND, Shape.SCALAR));
        cases.add(of("reshape [2, 6] to [3, 4]", false, Shape.of(3, 4), Op.RESHAPE, Shape.of(2, 6)));
        cases.add(of("transpose [2, 3]", false, null, Op.TRANSPOSE, Shape.of(2, 3)));
        cases.add(of("slice [3, 5] axis 1 from 1 to 4", false, new Slice(1, 1, 4), Op.SLICE, Shape.of(3, 5)));
        cases.add(of("slice [3, 5] axis 0 from 0 to 2", false, new Slice(0, 0, 2), Op.SLICE, Shape.of(3, 5)));
        cases.add(of("slice [2, 1, 4, 3] axis 2 from 2 to 4", false, new Slice(2, 2, 4), Op.SLICE,
                Shape.of(2, 1, 4, 3)));
        cases.add(of("concat [2, 3] and [2, 4] on axis 1", false, List.of(1), Op.CONCAT, Shape.of(2, 3),
                Shape.of(2, 4)));
        cases.add(of("concat [2, 3] and [1, 3] on axis 0", false, List.of(0), Op.CONCAT, Shape.of(2, 3),
                Shape.of(1, 3)));
    }

    private static void indexing(List<Case> cases) {
        // Row 1 is read twice, row 4 never.
        Node ids = Node.input("ids", Shape.of(4), true);
        double[] idValues = {1, 3, 1, 0};
        Node table = Node.param("x0", Shape.of(5, 3));
        cases.add(new Case("gather rows of [5, 3]", Node.of(Op.GATHER, table, ids),
                Map.of("x0", Interpreted.random(new Random(7), 15, 0.3, 1.7, true), "ids", idValues)));
        Node rows = Node.param("x0", Shape.of(4, 3));
        cases.add(new Case("scatter_add into [5, 3]", Node.of(Op.SCATTER_ADD, Shape.of(5, 3), rows, ids),
                Map.of("x0", Interpreted.random(new Random(8), 12, 0.3, 1.7, true), "ids", idValues)));
    }

    private static void reductions(List<Case> cases) {
        Shape s = Shape.of(2, 3, 4);
        for (List<Integer> axes : List.of(List.of(0), List.of(1), List.of(2), List.of(0, 2), List.of(0, 1, 2))) {
            cases.add(of("sum " + s + " over " + axes, false, axes, Op.SUM, s));
            cases.add(of("max " + s + " over " + axes, false, axes, Op.MAX, s));
            cases.add(of("logsumexp " + s + " over " + axes, false, axes, Op.LOGSUMEXP, s));
        }
        // Windows that tile x, and windows past whose last one rows and columns are dropped.
        for (Object[] pool : new Object[][] {{Shape.of(2, 3, 4, 6), 2}, {Shape.of(1, 2, 5, 7), 2},
            {Shape.of(2, 1, 7, 6), 3}}) {
            Shape x = (Shape) pool[0];
            int size = (Integer) pool[1];
            cases.add(of("max_pool2d " + x + " by " + size, false, size, Op.MAX_POOL2D, x));
            Shape out = Shape.of(x.dim(0), x.dim(1), x.dim(2) / size, x.dim(3) / size);
            cases.add(withFirstAt("max_pool2d_grad " + x + " by " + size, size, x, out));
        }
        cases.add(of("sum [2, 1, 3, 2, 2] over [3]", false, List.of(3), Op.SUM, Shape.of(2, 1, 3, 2, 2)));
        cases.add(of("max [2, 3, 1, 2, 2] over [1, 4]", false, List.of(1, 4), Op.MAX, Shape.of(2, 3, 1, 2, 2)));
    }

    private static void contractions(List<Case> cases) {
        cases.add(of("matmul [2, 3] @ [3, 4]", false, null, Op.MATMUL, Shape.of(2, 3), Shape.of(3, 4)));
        Shape x = Shape.of(2, 2, 5, 4);
        Shape kernel = Shape.of(3, 2, 3, 2);
        for (Window w : List.of(Window.of(1, 0), Window.of(2, 1))) {
            cases.add(of("conv2d " + x + " with " + kernel + " " + w, false, w, Op.CONV2D, x, kernel));
            Shape out = Node.of(Op.CONV2D, w, Node.param("p", x), Node.param("k", kernel)).shape();
            cases.add(of("conv2d_input " + out + " to " + x + " " + w, false, w.to(x), Op.CONV2D_INPUT, out,
                    kernel));
            cases.add(of("conv2d_kernel " + x + ", " + out + " to " + kernel + " " + w, false, w.to(kernel),
                    Op.CONV2D_KERNEL, x, out));
        }
    }

    /** {@code op[attribute]} over params x0, x1, ... of these shapes, at distinct random values. */
    private static Case of(String name, boolean positive, Object attribute, Op op, Shape... shapes) {
        Random random = new Random(name.hashCode());
        Node[] inputs = new Node[shapes.length];
        Map<String, double[]> values = new HashMap<>();
        for (int i = 0; i < shapes.length; i++) {
            inputs[i] = Node.param("x" + i, shapes[i]);
            values.put("x" + i, Interpreted.random(random, size(shapes[i]), 0.3, 1.7, !positive));
        }
        return new Case(name, Node.of(op, attribute, inputs), values);
    }

    /**
     * max_pool2d_grad(x, g) differentiated in g alone: x is an input, so that finite differences
     * never move it across a tie.
     */
    private static Case withFirstAt(String name, int size, Shape x, Shape out) {
        Random random = new Random(name.hashCode());
        Node input = Node.input("xs", x, false);
        Node g = Node.param("x1", out);
        return new Case(name, Node.of(Op.MAX_POOL2D_GRAD, size, input, g), Map.of(
                "xs", Interpreted.random(random, size(x), 0.3, 1.7, true),
                "x1", Interpreted.random(random, size(out), 0.3, 1.7, true)));
    }

    private static Shape[] shapes(int count, Shape shape) {
        Shape[] shapes = new Shape[count];
        Arrays.fill(shapes, shape);
        return shapes;
    }

    private static int size(Shape shape) {
        return (int) shape.size(1);
    }
}
