package dev.modelc;

import dev.modelc.TensorCase.Decl;
import dev.modelc.TensorCase.Role;
import dev.modelc.TensorExpr.Apply;
import dev.modelc.TensorExpr.Constant;
import dev.modelc.TensorExpr.Leaf;
import dev.modelc.graph.Tensor;
import dev.modelc.testing.property.Shrinks;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Simpler cases than a failing tensor case, boldest first: fewer batch rows; in the loss, an
 * operand of the same shape in place of an operation, then a fresh param (or input) holding
 * the operation's value, then the same changes deeper down; plainer literals; values with
 * fewer decimals. Every candidate has fewer rows, fewer nodes, or as many with simpler values.
 */
final class TensorCaseShrinks {
    /** Literals shrink toward 1, which keeps them clear of the kinks and edges at 0. */
    private static final double SIMPLEST_CONSTANT = 1.0;

    private TensorCaseShrinks() {
    }

    static Stream<TensorCase> candidates(TensorCase c) {
        Stream<TensorCase> noMetric = c.metric() == null ? Stream.empty() : Stream.of(c.withMetric(null, List.of()));
        Stream<TensorCase> fewerRows = c.rows() == 1 || c.decls().stream().noneMatch(d -> d.shape().hasBatch())
                ? Stream.empty() : Stream.of(1, c.rows() - 1).distinct().map(c::withRows);
        Stream<TensorCase> inMetric = c.metric() == null ? Stream.empty() : inExpr(c, c.metric(), c::withMetric);
        return Stream.of(noMetric, fewerRows, inExpr(c, c.loss(), c::withLoss), inMetric, plainerValues(c))
                .flatMap(s -> s);
    }

    /**
     * Cases with {@code e} made simpler; {@code rebuild} makes the case from what replaces
     * {@code e} and the declarations that replacement adds.
     */
    private static Stream<TensorCase> inExpr(TensorCase c, TensorExpr e, Rebuild rebuild) {
        if (e instanceof Constant k) {
            return Shrinks.decimal(k.value(), SIMPLEST_CONSTANT).map(v -> rebuild.apply(new Constant(v), List.of()));
        }
        if (!(e instanceof Apply a)) {
            return Stream.empty();
        }
        Stream<TensorCase> operands = IntStream.range(0, a.operands().size()).filter(i -> replaceable(a, i))
                .mapToObj(a::operand).filter(o -> o.shape().equals(a.shape()))
                .map(o -> rebuild.apply(o, List.of()));
        Stream<TensorCase> leaf = Stream.of(a).filter(x -> ShapeChoices.declarable(x.shape()))
                .map(x -> withFreshLeaf(c, x, rebuild));
        Stream<TensorCase> deeper = IntStream.range(0, a.operands().size()).filter(i -> replaceable(a, i)).boxed()
                .flatMap(i -> inExpr(c, a.operand(i), (x, added) -> rebuild.apply(a.withOperand(i, x), added)));
        return Stream.of(operands, leaf, deeper).flatMap(s -> s);
    }

    /** A case from a replacement for part of it and the declarations the replacement adds. */
    @FunctionalInterface
    private interface Rebuild extends BiFunction<TensorExpr, List<Decl>, TensorCase> {
    }

    /** Labels stay what they are: cross-entropy needs an integer input there, and so does a comparison with argmax. */
    private static boolean replaceable(Apply a, int operand) {
        boolean labels = a.op() == TensorOp.SOFTMAX_CROSS_ENTROPY
                || (a.operand(0) instanceof Apply x && x.op() == TensorOp.ARGMAX);
        return !labels || operand == 0;
    }

    /** The case with {@code a} replaced by a new param (an input, if it has the batch dimension) of its value. */
    private static TensorCase withFreshLeaf(TensorCase c, Apply a, Rebuild rebuild) {
        Tensor value = TensorSemantics.evaluate(a, c.leafValues());
        Role role = a.shape().hasBatch() ? Role.INPUT : Role.PARAM;
        String name = freshName(c, role == Role.PARAM ? "p" : "x");
        List<Double> values = java.util.Arrays.stream(value.data()).boxed().toList();
        Decl decl = new Decl(name, role, a.shape(), 0, values);
        return rebuild.apply(new Leaf(name, a.shape()), List.of(decl));
    }

    private static String freshName(TensorCase c, String prefix) {
        int n = 0;
        while (true) {
            String name = prefix + n;
            if (c.decls().stream().noneMatch(d -> d.name().equals(name))) {
                return name;
            }
            n++;
        }
    }

    /** Each param's or input's values with fewer decimals: none, one, two, three, or one fewer than now. */
    private static Stream<TensorCase> plainerValues(TensorCase c) {
        return IntStream.range(0, c.decls().size()).boxed().flatMap(i -> {
            Decl d = c.decls().get(i);
            int decimals = d.values().stream().mapToInt(TensorCaseShrinks::decimals).max().orElse(0);
            if (d.role() == Role.LABELS) {
                return Stream.empty();
            }
            return IntStream.of(0, 1, 2, 3, decimals - 1).filter(n -> n >= 0 && n < decimals).distinct()
                    .mapToObj(n -> {
                        List<Decl> decls = new ArrayList<>(c.decls());
                        decls.set(i, d.withValues(d.values().stream().map(v -> round(v, n)).toList()));
                        return new TensorCase(c.rows(), decls, c.loss(), c.metric());
                    });
        });
    }

    private static int decimals(double value) {
        return Math.max(0, new BigDecimal(Double.toString(value)).stripTrailingZeros().scale());
    }

    private static double round(double value, int decimals) {
        return new BigDecimal(Double.toString(value)).setScale(decimals, RoundingMode.HALF_EVEN).doubleValue();
    }
}
