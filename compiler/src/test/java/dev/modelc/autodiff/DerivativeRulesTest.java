package dev.modelc.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.modelc.graph.Evaluator;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each derivative rule against central finite differences of the reference interpreter, in
 * double, at points away from the kinks of abs, relu, sign and step.
 */
class DerivativeRulesTest {
    private static final Node A = Node.param("a", Shape.SCALAR);
    private static final Node B = Node.param("b", Shape.SCALAR);
    private static final Node C = Node.param("c", Shape.SCALAR);
    private static final double[][] POINTS = {{0.7, 1.3, -0.4}, {1.9, 0.4, 2.1}, {-0.6, 2.2, 0.9}, {-1.7, -0.8, 0.3}};
    private static final double H = 1e-6;

    @ParameterizedTest
    @EnumSource(value = Op.Kind.class, names = {"ELEMENTWISE", "PIECEWISE_CONSTANT"})
    void everyRuleMatchesFiniteDifferences(Op.Kind kind) {
        for (Op op : Op.values()) {
            if (op.kind() == kind && !WrongRuleMutationTest.NOT_BY_DIFFERENCES.contains(op)) {
                for (double[] point : POINTS) {
                    checkAt(op, point);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Op.Kind.class, names = "COMPARISON")
    void comparisonsPassNoCotangent(Op.Kind kind) {
        for (Op op : Op.values()) {
            if (op.kind() == kind) {
                Node[] cotangents = DerivativeRules.rule(op).vjp(Node.of(op, A, B), Node.constant(1));
                assertNull(cotangents[0], op.name());
                assertNull(cotangents[1], op.name());
            }
        }
    }

    private static void checkAt(Op op, double[] point) {
        double[] at = java.util.Arrays.copyOf(point, op.arity());
        if (!Double.isFinite(Evaluator.apply(op, at))) {
            return;
        }
        Node y = Node.of(op, java.util.Arrays.copyOf(new Node[] {A, B, C}, op.arity()));
        Node[] cotangents = DerivativeRules.rule(op).vjp(y, Node.constant(1));
        for (int i = 0; i < op.arity(); i++) {
            double expected = centralDifference(op, at, i);
            double actual = cotangents[i] == null ? 0 : value(cotangents[i], point);
            assertEquals(expected, actual, 1e-6 * Math.max(1, Math.abs(expected)),
                    "d " + op.mnemonic() + " / d input " + i + " at " + java.util.Arrays.toString(at));
        }
    }

    private static double centralDifference(Op op, double[] at, int input) {
        double[] up = at.clone();
        double[] down = at.clone();
        up[input] += H;
        down[input] -= H;
        return (Evaluator.apply(op, up) - Evaluator.apply(op, down)) / (2 * H);
    }

    private static double value(Node node, double[] point) {
        Map<Node, Double> values = Evaluator.evaluate(List.of(node), name -> point["abc".indexOf(name)]);
        return values.get(node);
    }
}
