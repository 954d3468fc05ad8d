package dev.modelc;

import dev.modelc.ScalarExpr.Apply;
import dev.modelc.ScalarExpr.Constant;
import dev.modelc.ScalarExpr.Param;
import dev.modelc.testing.property.Gen;
import dev.modelc.testing.property.RandomSource;
import dev.modelc.testing.property.Shrinks;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Generates gradient cases point first: it draws the parameters' values, then builds the
 * loss bottom up, evaluating each sub-expression at that point. An operand that would put an
 * operation at a kink or a domain edge there is repaired on the spot ({@code log(-a)} or
 * {@code log(a + 1)} instead of {@code log(a)}), so nearly every case can be checked and
 * no operation is starved.
 */
final class GradientCaseGen implements Gen<GradientCase> {
    static final int MAX_PARAMS = 4;
    static final int MAX_DEPTH = 6;
    /** Literal exponents: the ones codegen and the simplifier treat specially, and others. */
    private static final List<Double> EXPONENTS =
            List.of(2.0, 3.0, 4.0, 0.0, 1.0, -1.0, -2.0, 0.5, -0.5, 1.5, 2.5, 0.3);
    private static final List<Double> CONSTANTS = List.of(1.0, 2.0, 0.5, 3.0, -1.0, 0.1, 0.0, 10.0);
    private static final List<ScalarOp> BINARY = EnumSet.allOf(ScalarOp.class).stream().filter(op -> op.arity() == 2)
            .toList();
    private static final List<ScalarOp> UNARY = EnumSet.allOf(ScalarOp.class).stream().filter(op -> op.arity() == 1)
            .toList();
    private static final double POINT_RANGE = 2.5;
    /** How often a loss is a single operation on leaves; otherwise its depth is 2 to MAX_DEPTH. */
    private static final double SHALLOW_CHANCE = 0.1;
    private static final double LEAF_CHANCE = 0.1;
    /** Binary operations are fewer than unary ones but chosen as often, so trees branch rather than chain. */
    private static final double BINARY_CHANCE = 0.5;
    private static final double PARAM_LEAF_CHANCE = 0.8;
    /** How often an operand repeats a sub-expression built before, so values are shared as in real models. */
    private static final double REUSE_CHANCE = 0.1;
    private static final int ATTEMPTS_PER_NODE = 8;

    @Override
    public GradientCase generate(RandomSource random) {
        int params = random.nextInt(1, MAX_PARAMS);
        double[] point = new double[params];
        List<Double> coordinates = new ArrayList<>();
        for (int i = 0; i < params; i++) {
            point[i] = Math.round(random.nextDouble(-POINT_RANGE, POINT_RANGE) * 1000) / 1000.0;
            coordinates.add(point[i]);
        }
        Builder builder = new Builder(random, point);
        int depth = random.chance(SHALLOW_CHANCE) ? 1 : random.nextInt(2, MAX_DEPTH);
        for (int attempt = 0; attempt < ATTEMPTS_PER_NODE; attempt++) {
            ScalarExpr loss = builder.operation(depth);
            if (loss != null && !new GradientCase(coordinates, loss).usedParams().isEmpty()) {
                return new GradientCase(coordinates, loss);
            }
        }
        return new GradientCase(coordinates, ScalarExpr.apply(ScalarOp.SQUARE, new Param(0)));
    }

    @Override
    public Stream<GradientCase> shrink(GradientCase c) {
        Stream<GradientCase> fewerParams = IntStream.range(0, c.point().size())
                .filter(i -> c.point().size() > 1 && !c.usedParams().contains(i))
                .mapToObj(i -> withoutParam(c, i));
        Stream<GradientCase> simplerLoss = ScalarExprShrinks.candidates(c.loss())
                .map(loss -> new GradientCase(c.point(), loss));
        Stream<GradientCase> simplerPoint = Shrinks.elementwise(c.point(), v -> Shrinks.decimal(v, 1.0))
                .map(point -> new GradientCase(point, c.loss()));
        return Stream.of(fewerParams, simplerLoss, simplerPoint).flatMap(s -> s);
    }

    private static GradientCase withoutParam(GradientCase c, int removed) {
        List<Double> point = new ArrayList<>(c.point());
        point.remove(removed);
        return new GradientCase(point, ScalarExprShrinks.withoutParam(c.loss(), removed));
    }

    /** Builds one loss at a fixed point. */
    private static final class Builder {
        private final RandomSource random;
        private final double[] point;
        private final List<ScalarExpr> built = new ArrayList<>();

        Builder(RandomSource random, double[] point) {
            this.random = random;
            this.point = point;
        }

        /** An expression of depth at most {@code budget}. */
        ScalarExpr expression(int budget) {
            if (budget == 0 || random.chance(LEAF_CHANCE)) {
                return leaf();
            }
            if (random.chance(REUSE_CHANCE)) {
                List<ScalarExpr> fitting = built.stream().filter(e -> e.depth() <= budget).toList();
                if (!fitting.isEmpty()) {
                    return random.pick(fitting);
                }
            }
            ScalarExpr operation = operation(budget);
            return operation != null ? operation : leaf();
        }

        /** An operation of depth at most {@code budget} that is safe at the point, or null. */
        ScalarExpr operation(int budget) {
            for (int attempt = 0; attempt < ATTEMPTS_PER_NODE; attempt++) {
                ScalarOp op = random.pick(random.chance(BINARY_CHANCE) ? BINARY : UNARY);
                List<ScalarExpr> operands = new ArrayList<>();
                operands.add(expression(budget - 1));
                if (op == ScalarOp.POWER_CONSTANT) {
                    operands.add(new Constant(random.pick(EXPONENTS)));
                } else if (op.arity() == 2) {
                    operands.add(expression(budget - 1));
                }
                Apply node = repair(new Apply(op, operands), budget);
                if (DomainSafety.nodeViolation(node, value(node, 0), value(node, 1)) == null) {
                    built.add(node);
                    return node;
                }
            }
            return null;
        }

        /**
         * The node with the operand that puts it at a kink or domain edge shifted away, when
         * there is depth left for one more operation: negated if a positive value is needed,
         * else moved by one.
         */
        private Apply repair(Apply node, int budget) {
            int index = node.op() == ScalarOp.DIVIDE ? 1 : 0;
            ScalarExpr operand = node.operand(index);
            double v = operand.eval(point);
            String violation = DomainSafety.nodeViolation(node, value(node, 0), value(node, 1));
            if (violation == null || violation.equals(DomainSafety.LARGE) || operand.depth() + 1 > budget - 1) {
                return node;
            }
            ScalarExpr shifted;
            if (needsPositive(node) && v < -DomainSafety.MARGIN) {
                shifted = ScalarExpr.apply(ScalarOp.NEGATE, operand);
            } else {
                ScalarOp direction = needsPositive(node) || random.chance(0.5) ? ScalarOp.ADD : ScalarOp.SUBTRACT;
                shifted = ScalarExpr.apply(direction, operand, new Constant(1.0));
            }
            List<ScalarExpr> operands = new ArrayList<>(node.operands());
            operands.set(index, shifted);
            return new Apply(node.op(), operands);
        }

        private static boolean needsPositive(Apply node) {
            return switch (node.op()) {
                case LOG, SQRT, POWER, LOG1P -> true;
                case POWER_CONSTANT -> DomainSafety.needsPositiveBase(((Constant) node.operand(1)).value());
                default -> false;
            };
        }

        private double value(Apply node, int operand) {
            return operand < node.operands().size() ? node.operand(operand).eval(point) : Double.NaN;
        }

        private ScalarExpr leaf() {
            if (random.chance(PARAM_LEAF_CHANCE)) {
                return new Param(random.nextInt(point.length));
            }
            return new Constant(random.chance(0.5) ? random.pick(CONSTANTS)
                    : Math.round(random.nextDouble(-3, 3) * 100) / 100.0);
        }
    }
}
