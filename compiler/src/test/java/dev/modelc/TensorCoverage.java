package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.TensorExpr.Apply;
import dev.modelc.graph.Shape;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the checked cases of the tensor property test exercised, counted once per case: each
 * operation, each form ({@link TensorForm}), each rank of an operand or result with and without
 * the batch dimension, each axis each operation was applied along, and each dimension. A
 * generator that stops reaching one of them (say rank 4, or axis 3 of max) fails the test.
 */
final class TensorCoverage {
    private final Map<TensorOp, Integer> ops = new EnumMap<>(TensorOp.class);
    private final Map<TensorForm, Integer> forms = new EnumMap<>(TensorForm.class);
    private final Map<String, Integer> ranks = new TreeMap<>();
    private final Map<Integer, Integer> axes = new TreeMap<>();
    private final Map<TensorOp, Map<Integer, Integer>> axesByOp = new EnumMap<>(TensorOp.class);
    private final Set<Integer> dims = new TreeSet<>();
    private int cases;

    /** Counts what one checked case exercised. */
    void count(TensorCase c) {
        cases++;
        List<Apply> applies = new ArrayList<>();
        c.loss().collectApplies(applies);
        Set<TensorForm> caseForms = TensorForm.of(c.loss());
        if (c.metric() != null) {
            c.metric().collectApplies(applies);
            caseForms.addAll(TensorForm.of(c.metric()));
        }
        applies.stream().map(Apply::op).distinct().forEach(op -> ops.merge(op, 1, Integer::sum));
        caseForms.forEach(form -> forms.merge(form, 1, Integer::sum));
        Set<String> caseRanks = new LinkedHashSet<>();
        Set<List<Integer>> caseAxes = new LinkedHashSet<>();
        for (Apply a : applies) {
            caseRanks.add(rankName(a.shape()));
            a.operands().forEach(o -> caseRanks.add(rankName(o.shape())));
            Integer axis = a.op().takesAxis() ? a.resolvedAxis() : null;
            if (axis != null) {
                caseAxes.add(List.of(a.op().ordinal(), axis));
            }
        }
        caseRanks.forEach(rank -> ranks.merge(rank, 1, Integer::sum));
        caseAxes.stream().map(k -> k.get(1)).distinct().forEach(axis -> axes.merge(axis, 1, Integer::sum));
        for (List<Integer> k : caseAxes) {
            axesByOp.computeIfAbsent(TensorOp.values()[k.get(0)], op -> new TreeMap<>()).merge(k.get(1), 1,
                    Integer::sum);
        }
        c.decls().forEach(d -> d.shape().dims().stream().filter(n -> n > 0).forEach(dims::add));
    }

    /** "rank 3 with batch" for {@code [batch, 2, 5]}. */
    static String rankName(Shape s) {
        return "rank " + s.rank() + (s.hasBatch() ? " with batch" : "");
    }

    /** Every rank a generated value can have, with and without the batch dimension. */
    static List<String> allRanks() {
        List<String> all = new ArrayList<>();
        for (int r = 0; r <= ShapeChoices.MAX_RANK; r++) {
            all.add("rank " + r);
            if (r > 0) {
                all.add("rank " + r + " with batch");
            }
        }
        return all;
    }

    /** What was exercised and how often, as the test prints it. */
    String table() {
        return "operations in checked cases: " + ops + "\nforms in checked cases: " + forms
                + "\nranks of values in checked cases: " + ranks + "\naxes in checked cases: " + axes
                + "\naxes of each operation in checked cases: " + axesByOp + "\ndimensions in declarations: " + dims;
    }

    /**
     * Fails unless every operation, form, rank and axis occurred in at least {@code minShare}
     * of the checked cases, every axis of every operation that takes one at least once, and
     * every dimension of {@link ShapeChoices#DIMS} somewhere.
     */
    void assertEachAtLeast(double minShare) {
        double least = minShare * cases;
        for (TensorOp op : TensorOp.values()) {
            assertTrue(ops.getOrDefault(op, 0) >= least, op + " was checked too rarely: " + ops);
        }
        for (TensorForm form : TensorForm.values()) {
            assertTrue(forms.getOrDefault(form, 0) >= least, form + " was checked too rarely: " + forms);
        }
        for (String rank : allRanks()) {
            assertTrue(ranks.getOrDefault(rank, 0) >= least, rank + " was checked too rarely: " + ranks);
        }
        for (int axis = 0; axis < ShapeChoices.MAX_RANK; axis++) {
            assertTrue(axes.getOrDefault(axis, 0) >= least, "axis " + axis + " was checked too rarely: " + axes);
        }
        for (TensorOp op : TensorOp.values()) {
            if (op.takesAxis()) {
                Map<Integer, Integer> seen = axesByOp.getOrDefault(op, Map.of());
                for (int axis = 0; axis < ShapeChoices.MAX_RANK; axis++) {
                    assertTrue(seen.containsKey(axis), op + " was never checked along axis " + axis + ": " + seen);
                }
            }
        }
        assertTrue(dims.containsAll(ShapeChoices.DIMS), "dimensions in checked cases: " + dims);
    }
}
