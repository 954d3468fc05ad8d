package dev.modelc;

import dev.modelc.ScalarExpr.Apply;
import dev.modelc.ScalarExpr.Constant;
import java.util.Optional;

/**
 * Where finite differences can be trusted to check a gradient: no argument of abs or relu
 * near their kink at 0, no argument of log, sqrt, a division or a power near the edge of its
 * domain, and no value large enough to swamp the difference quotient. Judged at a point by
 * the test's own evaluation, with a margin far wider than the finite-difference step.
 */
final class DomainSafety {
    /** How far an argument keeps from a kink or a domain edge. */
    static final double MARGIN = 0.05;
    /** The largest magnitude any sub-expression may take. */
    static final double LIMIT = 1e4;

    static final String KINK = "near a kink";
    static final String EDGE = "near a domain edge";
    static final String LARGE = "too large";

    private DomainSafety() {
    }

    /** Why {@code expr} is unsafe at {@code point}, or empty if every node is safe there. */
    static Optional<String> violation(ScalarExpr expr, double[] point) {
        String[] why = new String[1];
        check(expr, point, why);
        return Optional.ofNullable(why[0]);
    }

    /** Why {@code node} is unsafe given its operands' values, or null; its operands are not examined. */
    static String nodeViolation(Apply node, double a, double b) {
        String operand = operandViolation(node, a, b);
        if (operand != null) {
            return operand;
        }
        double value = node.op().apply(a, b);
        return Double.isFinite(value) && Math.abs(value) <= LIMIT ? null : LARGE;
    }

    /** Whether raising a value near zero or below to {@code exponent} leaves the real numbers or blows up. */
    static boolean needsPositiveBase(double exponent) {
        return exponent != Math.rint(exponent);
    }

    private static double check(ScalarExpr expr, double[] point, String[] why) {
        if (!(expr instanceof Apply node)) {
            return expr.eval(point);
        }
        double a = check(node.operand(0), point, why);
        double b = node.op().arity() == 2 ? check(node.operand(1), point, why) : Double.NaN;
        if (why[0] == null) {
            why[0] = nodeViolation(node, a, b);
        }
        return node.op().apply(a, b);
    }

    private static String operandViolation(Apply node, double a, double b) {
        return switch (node.op()) {
            case LOG, SQRT, POWER -> a > MARGIN ? null : EDGE;
            case ABS, RELU, LEAKY_RELU, ELU -> Math.abs(a) > MARGIN ? null : KINK;
            case LOG1P -> a > -1 + MARGIN ? null : EDGE;
            case MINIMUM, MAXIMUM -> Math.abs(a - b) > MARGIN ? null : KINK;
            case DIVIDE -> Math.abs(b) > MARGIN ? null : EDGE;
            case POWER_CONSTANT -> {
                double exponent = ((Constant) node.operand(1)).value();
                boolean positive = !needsPositiveBase(exponent) || a > MARGIN;
                boolean nonZero = exponent >= 0 || Math.abs(a) > MARGIN;
                yield positive && nonZero ? null : EDGE;
            }
            default -> null;
        };
    }
}
