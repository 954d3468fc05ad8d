package dev.modelc;

import dev.modelc.TensorCase.Decl;
import dev.modelc.TensorCase.Role;
import dev.modelc.TensorExpr.Apply;
import dev.modelc.TensorExpr.Constant;
import dev.modelc.TensorExpr.Leaf;
import dev.modelc.graph.Shape;
import dev.modelc.graph.Tensor;
import dev.modelc.testing.property.Gen;
import dev.modelc.testing.property.RandomSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Generates tensor gradient cases value first: every param and input gets its values as it is
 * declared, and the loss is built top down from the shape each operand must have, each new
 * operation evaluated at once. An operand that would put an operation at a kink, a tie or a
 * domain edge is repaired on the spot ({@code relu(a - 0.35)}, {@code log(softplus(a))}), or
 * the operation is drawn again, so nearly every case can be checked. Some cases also get a
 * metric, which compares values or the argmax of a value with labels.
 */
final class TensorCaseGen implements Gen<TensorCase> {
    static final int MAX_DEPTH = 6;
    static final int MAX_ROWS = 5;
    /** How far the generator keeps arguments from kinks and domain edges; checks need far less. */
    static final double MARGIN = 0.02;
    private static final List<TensorOp> UNARY = ops(op -> op.kind() == TensorOp.Kind.ELEMENTWISE && op.arity() == 1);
    private static final List<TensorOp> BINARY = ops(op -> op.kind() == TensorOp.Kind.ELEMENTWISE && op.arity() == 2);
    private static final List<TensorOp> STRUCTURAL = ops(op -> op.kind() != TensorOp.Kind.ELEMENTWISE
            && op.differentiable());
    private static final List<TensorOp> ORDERINGS = List.of(TensorOp.LESS, TensorOp.LESS_EQUAL, TensorOp.GREATER,
            TensorOp.GREATER_EQUAL);
    /** How often a case has a metric besides its loss. */
    private static final double METRIC_CHANCE = 0.35;
    private static final int METRIC_DEPTH = 3;
    private static final List<Double> EXPONENTS = List.of(2.0, 3.0, -1.0, 0.5, 1.5, -2.0, 0.0, 1.0);
    private static final List<Double> CONSTANTS = List.of(1.0, 2.0, 0.5, -1.0, 0.1, 3.0);
    /** How often a loss is a single operation on leaves; otherwise its depth is 2 to MAX_DEPTH. */
    private static final double SHALLOW_CHANCE = 0.1;
    private static final double LEAF_CHANCE = 0.1;
    /** How often a matrix leaf is the transpose of a declared matrix. */
    private static final double TRANSPOSED_LEAF_CHANCE = 0.15;
    private static final double REUSE_CHANCE = 0.08;
    private static final double CONSTANT_CHANCE = 0.3;
    /** How often a leaf without the batch dimension is an input rather than a param. */
    private static final double FIXED_INPUT_CHANCE = 0.12;
    private static final double REUSE_LEAF_CHANCE = 0.35;
    private static final int ATTEMPTS = 8;

    private static List<TensorOp> ops(Predicate<TensorOp> which) {
        return EnumSet.allOf(TensorOp.class).stream().filter(which).toList();
    }

    @Override
    public TensorCase generate(RandomSource random) {
        int rows = random.nextInt(1, MAX_ROWS);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Builder builder = new Builder(random, rows);
            int depth = random.chance(SHALLOW_CHANCE) ? 1 : random.nextInt(2, MAX_DEPTH);
            TensorExpr loss = builder.operation(Shape.SCALAR, depth);
            if (loss != null) {
                TensorCase c = builder.toCase(loss, random.chance(METRIC_CHANCE) ? builder.metric() : null);
                if (c.lossUsesParam()) {
                    return c;
                }
            }
        }
        Builder builder = new Builder(random, rows);
        return builder.toCase(TensorExpr.apply(TensorOp.SUM, TensorExpr.apply(TensorOp.SQUARE,
                builder.newLeaf(Role.PARAM, Shape.of(2)))), null);
    }

    @Override
    public Stream<TensorCase> shrink(TensorCase c) {
        return TensorCaseShrinks.candidates(c);
    }

    /** Builds one case: its declarations with their values, its loss and its metric. */
    private static final class Builder {
        private final RandomSource random;
        private final ShapeChoices shapes;
        private final int rows;
        private final Map<String, Decl> decls = new LinkedHashMap<>();
        private final Map<String, Tensor> leafValues = new HashMap<>();
        private final List<Apply> built = new ArrayList<>();
        private final TensorRepairs repairs;

        Builder(RandomSource random, int rows) {
            this.random = random;
            this.shapes = new ShapeChoices(random);
            this.rows = rows;
            this.repairs = new TensorRepairs(random, this::value, MARGIN);
        }

        TensorCase toCase(TensorExpr loss, TensorExpr metric) {
            Set<String> used = new TreeSet<>();
            loss.collectLeaves(used);
            if (metric != null) {
                metric.collectLeaves(used);
            }
            List<Decl> usedDecls = decls.values().stream().filter(d -> used.contains(d.name())).toList();
            return new TensorCase(rows, usedDecls, loss, metric);
        }

        /**
         * A metric, the mean of a comparison: of two values, ordered, or of the argmax of a
         * value with labels, as accuracy is measured; null when no attempt was clear of ties.
         */
        TensorExpr metric() {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                Apply comparison = random.chance(0.5) ? ordering() : argmaxMatch();
                if (comparison != null && safe(comparison)) {
                    return TensorExpr.apply(TensorOp.MEAN, comparison);
                }
            }
            return null;
        }

        private Apply ordering() {
            Shape[] pair = shapes.broadcastPair(shapes.any(0));
            return TensorExpr.apply(random.pick(ORDERINGS), expr(pair[0], METRIC_DEPTH), expr(pair[1], METRIC_DEPTH));
        }

        /** {@code argmax(x, axis = k) == y}, or {@code !=}, with labels below the size of that axis. */
        private Apply argmaxMatch() {
            Shape x = shapes.any(1);
            int axis = random.nextInt(0, x.rank() - 1);
            Shape labelShape = x.without(axis);
            if (x.dim(axis) == Shape.BATCH || !ShapeChoices.declarable(labelShape)) {
                return null;
            }
            Apply argmax = TensorExpr.apply(TensorOp.ARGMAX, writtenAxis(axis, x.rank(), true),
                    List.of(expr(x, METRIC_DEPTH)));
            if (!safe(argmax)) {
                return null;
            }
            TensorOp op = random.chance(0.5) ? TensorOp.EQUAL : TensorOp.NOT_EQUAL;
            return TensorExpr.apply(op, argmax, labels(labelShape, x.dim(axis)));
        }

        /** An expression of shape {@code target} and depth about {@code budget} at most. */
        TensorExpr expr(Shape target, int budget) {
            if (budget <= 0 || random.chance(LEAF_CHANCE)) {
                return leaf(target);
            }
            if (random.chance(REUSE_CHANCE)) {
                List<Apply> fitting = built.stream()
                        .filter(e -> e.shape().equals(target) && e.depth() <= budget).toList();
                if (!fitting.isEmpty()) {
                    return random.pick(fitting);
                }
            }
            Apply operation = operation(target, budget);
            return operation != null ? operation : leaf(target);
        }

        /** An operation with result shape {@code target} that is safe at the case's values, or null. */
        Apply operation(Shape target, int budget) {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                // A scalar mostly comes from a tensor, else the loss would seldom hold one.
                double draw = random.nextDouble() * (target.isScalar() ? 2 : 1);
                TensorOp op = random.pick(draw < 0.3 ? UNARY : draw < 0.6 ? BINARY : STRUCTURAL);
                Apply node = build(op, target, budget - 1);
                if (node != null && !node.shape().equals(target)) {
                    throw new IllegalStateException(op + " built " + node.shape() + " for " + target);
                }
                if (node != null && safe(node)) {
                    built.add(node);
                    return node;
                }
            }
            return null;
        }

        private Apply build(TensorOp op, Shape target, int budget) {
            return switch (op.kind()) {
                case ELEMENTWISE -> op.arity() == 1 ? unary(op, target, budget) : binary(op, target, budget);
                case MATMUL -> {
                    Shape[] operands = shapes.matmulOperands(target);
                    yield operands == null ? null
                            : TensorExpr.apply(op, expr(operands[0], budget), expr(operands[1], budget));
                }
                case TRANSPOSE -> target.rank() != 2 ? null
                        : TensorExpr.apply(op, expr(ShapeChoices.swapped(target), budget));
                case REDUCTION -> reduction(op, target, budget);
                case ALONG_AXIS -> target.isScalar() ? null
                        : TensorExpr.apply(op, writtenAxis(random.nextInt(0, target.rank() - 1), target.rank(), true),
                                List.of(expr(target, budget)));
                case MSE -> {
                    if (!target.isScalar()) {
                        yield null;
                    }
                    Shape[] pair = shapes.broadcastPair(shapes.any(1));
                    yield TensorExpr.apply(op, expr(pair[0], budget), expr(pair[1], budget));
                }
                case CROSS_ENTROPY -> crossEntropy(target, budget);
                case COMPARISON -> throw new IllegalArgumentException(op + " is for metrics");
            };
        }

        private Apply unary(TensorOp op, Shape target, int budget) {
            TensorExpr a = expr(target, budget);
            return switch (op) {
                case LOG, SQRT, LOG1P -> TensorExpr.apply(op, repairs.positive(a));
                case ABS, RELU, LEAKY_RELU, ELU -> TensorExpr.apply(op, repairs.clearOfZero(a));
                default -> TensorExpr.apply(op, a);
            };
        }

        private Apply binary(TensorOp op, Shape target, int budget) {
            if (op == TensorOp.POWER && random.chance(0.5)) {
                double exponent = random.pick(EXPONENTS);
                TensorExpr base = expr(target, budget);
                boolean integer = exponent == Math.rint(exponent);
                base = !integer ? repairs.positive(base) : exponent < 0 ? repairs.awayFromZero(base) : base;
                return TensorExpr.apply(op, base, new Constant(exponent));
            }
            Shape[] pair = shapes.broadcastPair(target);
            TensorExpr a = expr(pair[0], budget);
            TensorExpr b = expr(pair[1], budget);
            if (op == TensorOp.POWER) {
                a = repairs.positive(a);
            } else if (op == TensorOp.DIVIDE) {
                b = repairs.awayFromZero(b);
            }
            return TensorExpr.apply(op, a, b);
        }

        /** Over everything into a scalar, or over one axis; logsumexp always over one axis. */
        private Apply reduction(TensorOp op, Shape target, int budget) {
            if (target.isScalar() && op != TensorOp.LOGSUMEXP && random.chance(0.6)) {
                return TensorExpr.apply(op, null, List.of(expr(shapes.any(0), budget)));
            }
            int axis = random.nextInt(0, target.rank());
            Shape operand = target.rank() < ShapeChoices.MAX_RANK ? shapes.withAxis(target, axis) : null;
            if (operand == null) {
                return null;
            }
            boolean mayOmit = op == TensorOp.LOGSUMEXP && axis == operand.rank() - 1;
            return TensorExpr.apply(op, writtenAxis(axis, operand.rank(), mayOmit), List.of(expr(operand, budget)));
        }

        /** The axis as a model may write it: counted from the front or the back, or left out for the default. */
        private Integer writtenAxis(int axis, int rank, boolean mayOmit) {
            if (mayOmit && axis == rank - 1 && random.chance(0.5)) {
                return null;
            }
            return random.chance(0.3) ? axis - rank : axis;
        }

        /** Logits with one more axis, of as many classes as a dimension, and labels of the target shape. */
        private Apply crossEntropy(Shape target, int budget) {
            int classes = shapes.dim();
            List<Integer> dims = new ArrayList<>(target.dims());
            dims.add(classes);
            Shape logits = new Shape(dims);
            if (!ShapeChoices.declarable(target) || !ShapeChoices.valid(logits)) {
                return null;
            }
            return TensorExpr.apply(TensorOp.SOFTMAX_CROSS_ENTROPY, expr(logits, budget), labels(target, classes));
        }

        /**
         * A declared value of shape {@code target}: an input when it has the batch dimension,
         * mostly a param otherwise, sometimes a literal for a scalar; a matrix with the batch
         * dimension second is the transpose of an input.
         */
        TensorExpr leaf(Shape target) {
            boolean transposed = target.rank() == 2 && ShapeChoices.declarable(ShapeChoices.swapped(target))
                    && random.chance(TRANSPOSED_LEAF_CHANCE);
            if (!ShapeChoices.declarable(target) || transposed) {
                return TensorExpr.apply(TensorOp.TRANSPOSE, leaf(ShapeChoices.swapped(target)));
            }
            if (target.isScalar() && random.chance(CONSTANT_CHANCE)) {
                return new Constant(random.chance(0.5) ? random.pick(CONSTANTS)
                        : Math.round(random.nextDouble(-2, 2) * 100) / 100.0);
            }
            Role role = target.hasBatch() || random.chance(FIXED_INPUT_CHANCE) ? Role.INPUT : Role.PARAM;
            List<Decl> same = decls.values().stream()
                    .filter(d -> d.role() == role && d.shape().equals(target)).toList();
            if (!same.isEmpty() && random.chance(REUSE_LEAF_CHANCE)) {
                return new Leaf(random.pick(same).name(), target);
            }
            return newLeaf(role, target);
        }

        Leaf newLeaf(Role role, Shape shape) {
            String name = (role == Role.PARAM ? "p" : "x") + decls.size();
            int size = (int) shape.size(rows);
            double range = role == Role.PARAM ? 1.5 : 1.0;
            List<Double> values = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                values.add(Math.round(random.nextDouble(-range, range) * 1000) / 1000.0);
            }
            return declare(new Decl(name, role, shape, 0, values));
        }

        /** Integer labels below {@code classes}, shared with earlier uses of as many classes and the same shape. */
        private Leaf labels(Shape shape, int classes) {
            for (Decl d : decls.values()) {
                if (d.role() == Role.LABELS && d.shape().equals(shape) && d.classes() == classes) {
                    return new Leaf(d.name(), shape);
                }
            }
            List<Double> values = new ArrayList<>();
            for (int i = 0; i < shape.size(rows); i++) {
                values.add((double) random.nextInt(0, classes - 1));
            }
            return declare(new Decl("y" + decls.size(), Role.LABELS, shape, classes, values));
        }

        private Leaf declare(Decl decl) {
            decls.put(decl.name(), decl);
            leafValues.put(decl.name(), decl.tensor(rows));
            return new Leaf(decl.name(), decl.shape());
        }

        private Tensor value(TensorExpr e) {
            return TensorSemantics.evaluate(e, leafValues);
        }

        /** Whether the node keeps the generator's margin from kinks, ties and edges at the case's values. */
        private boolean safe(Apply node) {
            List<Tensor> operands = node.operands().stream().map(this::value).toList();
            return TensorSafety.nodeViolation(node, operands, TensorSemantics.apply(node, operands), MARGIN) == null;
        }
    }
}
