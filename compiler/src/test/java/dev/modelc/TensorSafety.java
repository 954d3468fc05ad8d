package dev.modelc;

import dev.modelc.TensorExpr.Apply;
import dev.modelc.TensorExpr.Constant;
import dev.modelc.graph.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where finite differences can be trusted to check a tensor gradient, and rounding cannot turn
 * a metric: every element that enters abs or relu keeps clear of 0, every max and argmax has a
 * clear winner, every comparison a clear answer, log, sqrt, division and powers stay inside
 * their domains, and no value is large enough to swamp a difference quotient. Judged on the
 * test's own evaluation.
 */
final class TensorSafety {
    /** The largest magnitude any element of any value may take. */
    static final double LIMIT = 1e3;

    static final String KINK = "near a kink";
    static final String TIE = "a max or a comparison near a tie";
    static final String EDGE = "near a domain edge";
    static final String LARGE = "too large";

    private TensorSafety() {
    }

    /** Why {@code expr} is unsafe at these leaf values by {@code margin}, or empty. */
    static Optional<String> violation(TensorExpr expr, Map<String, Tensor> leaves, double margin) {
        String[] why = new String[1];
        check(expr, leaves, margin, why);
        return Optional.ofNullable(why[0]);
    }

    private static Tensor check(TensorExpr expr, Map<String, Tensor> leaves, double margin, String[] why) {
        if (!(expr instanceof Apply node)) {
            return TensorSemantics.evaluate(expr, leaves);
        }
        List<Tensor> in = new ArrayList<>();
        for (TensorExpr operand : node.operands()) {
            in.add(check(operand, leaves, margin, why));
        }
        Tensor value = TensorSemantics.apply(node, in);
        if (why[0] == null) {
            why[0] = nodeViolation(node, in, value, margin);
        }
        return value;
    }

    /** Why one node is unsafe given its operands' values and its own, or null; operands are not examined. */
    static String nodeViolation(Apply node, List<Tensor> in, Tensor value, double margin) {
        String operands = operandViolation(node, in, margin);
        if (operands != null) {
            return operands;
        }
        for (double v : value.data()) {
            if (!Double.isFinite(v) || Math.abs(v) > LIMIT) {
                return LARGE;
            }
        }
        return null;
    }

    private static String operandViolation(Apply node, List<Tensor> in, double margin) {
        double[] a = in.get(0).data();
        return switch (node.op()) {
            case LOG, SQRT -> min(a) > margin ? null : EDGE;
            case DIVIDE -> minAbs(in.get(1).data()) > margin ? null : EDGE;
            case POWER -> powerViolation(node, a, margin);
            case ABS, RELU, LEAKY_RELU, ELU -> minAbs(a) > margin ? null : KINK;
            case LOG1P -> min(a) > -1 + margin ? null : EDGE;
            case MINIMUM, MAXIMUM -> nearlyEqual(in.get(0), in.get(1), margin) ? KINK : null;
            case MAX, ARGMAX -> hasTie(in.get(0), node.resolvedAxis(), margin) ? TIE : null;
            case MIN -> hasTie(TensorSemantics.elementwise((x, y) -> -x, List.of(in.get(0))), node.resolvedAxis(),
                    margin) ? TIE : null;
            case LESS, LESS_EQUAL, GREATER, GREATER_EQUAL -> nearlyEqual(in.get(0), in.get(1), margin) ? TIE : null;
            default -> null;
        };
    }

    /** A literal integer exponent takes any base, a negative one a base away from 0; the rest a positive base. */
    private static String powerViolation(Apply node, double[] base, double margin) {
        if (node.operand(1) instanceof Constant c && c.value() == Math.rint(c.value())) {
            return c.value() >= 0 || minAbs(base) > margin ? null : EDGE;
        }
        return min(base) > margin ? null : EDGE;
    }

    private static boolean hasTie(Tensor x, Integer axis, double margin) {
        for (int[] lane : TensorSemantics.lanes(x.dims(), axis)) {
            double[] values = TensorSemantics.values(x, lane);
            java.util.Arrays.sort(values);
            if (values.length > 1 && values[values.length - 1] - values[values.length - 2] <= margin) {
                return true;
            }
        }
        return false;
    }

    /** Whether any pair of elements, broadcast against each other, is within {@code margin}. */
    private static boolean nearlyEqual(Tensor a, Tensor b, double margin) {
        return minAbs(TensorSemantics.elementwise((x, y) -> x - y, List.of(a, b)).data()) <= margin;
    }

    static double min(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
        }
        return min;
    }

    static double minAbs(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, Math.abs(v));
        }
        return min;
    }
}
