package dev.modelc;

import dev.modelc.TensorExpr.Constant;
import dev.modelc.graph.Tensor;
import dev.modelc.testing.property.RandomSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Operands moved away from the kinks and domain edges of the operation they feed, judged at
 * the values of the case being generated: a positive operand for log and sqrt, one clear of 0
 * for division, relu and abs.
 */
final class TensorRepairs {
    private final RandomSource random;
    private final Function<TensorExpr, Tensor> value;
    private final double margin;

    TensorRepairs(RandomSource random, Function<TensorExpr, Tensor> value, double margin) {
        this.random = random;
        this.value = value;
        this.margin = margin;
    }

    /**
     * A positive operand: {@code a} when it is, its negation when that is, else {@code a}
     * through a function with positive values.
     */
    TensorExpr positive(TensorExpr a) {
        double[] v = value.apply(a).data();
        if (TensorSafety.min(v) > margin) {
            return a;
        }
        if (-Arrays.stream(v).max().orElse(0) > margin) {
            return TensorExpr.apply(TensorOp.NEGATE, a);
        }
        return switch (random.nextInt(0, 3)) {
            case 0 -> TensorExpr.apply(TensorOp.EXP, a);
            case 1 -> TensorExpr.apply(TensorOp.SOFTPLUS, a);
            case 2 -> TensorExpr.apply(TensorOp.SIGMOID, a);
            default -> TensorExpr.apply(TensorOp.ADD, TensorExpr.apply(TensorOp.SQUARE, a), new Constant(1.0));
        };
    }

    /** An operand with every element clear of 0, as a divisor needs: {@code a}, or a positive one. */
    TensorExpr awayFromZero(TensorExpr a) {
        return TensorSafety.minAbs(value.apply(a).data()) > margin ? a : positive(a);
    }

    /**
     * An operand of relu or abs with every element clear of 0: {@code a} itself or {@code a}
     * shifted by a round constant, mostly into a gap between its elements, so that some
     * elements are cut off and some pass.
     */
    TensorExpr clearOfZero(TensorExpr a) {
        double[] v = value.apply(a).data().clone();
        if (TensorSafety.minAbs(v) > margin && random.chance(0.5)) {
            return a;
        }
        Arrays.sort(v);
        List<Double> shifts = new ArrayList<>();
        for (int i = 1; i < v.length; i++) {
            shifts.add(-Math.round((v[i - 1] + v[i]) * 50) / 100.0);
        }
        shifts.add(-Math.floor(v[0] * 10 - 3) / 10.0);
        shifts.add(-Math.ceil(v[v.length - 1] * 10 + 3) / 10.0);
        List<Double> clear = shifts.stream().filter(s -> minAbsShifted(v, s) > margin).toList();
        if (clear.isEmpty()) {
            return a;
        }
        double shift = random.pick(clear);
        return shift >= 0 ? TensorExpr.apply(TensorOp.ADD, a, new Constant(shift))
                : TensorExpr.apply(TensorOp.SUBTRACT, a, new Constant(-shift));
    }

    private static double minAbsShifted(double[] values, double shift) {
        double min = Double.POSITIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, Math.abs(v + shift));
        }
        return min;
    }
}
