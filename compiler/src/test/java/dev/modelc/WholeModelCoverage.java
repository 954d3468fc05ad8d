package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.TensorExpr.Apply;
import dev.modelc.graph.Graphs;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the whole-model fuzzer's checked models held, so that a generator that stops making
 * something (an op, an optimizer, a shared sub-expression) fails the build rather than leaving
 * it untested: every op, optimizer, schedule and dtype, recomputed values, met memory budgets,
 * and metrics or stop conditions that are the very node of a part of the loss.
 */
final class WholeModelCoverage {
    private final Map<TensorOp, Integer> ops = new EnumMap<>(TensorOp.class);
    private final Map<String, Integer> features = new TreeMap<>();

    void count(WholeModel c, ModelCompiler.Result result) {
        List<Apply> applies = new ArrayList<>();
        c.roots().forEach(root -> root.collectApplies(applies));
        applies.stream().map(Apply::op).distinct().forEach(op -> ops.merge(op, 1, Integer::sum));
        feature("optimizer " + c.training().optimizer());
        String schedule = c.training().schedule();
        feature("schedule " + (schedule == null ? "none" : schedule.replaceAll("\\(.*", "")));
        feature("dtype " + c.dtype().label());
        if (c.training().clipNorm() > 0) {
            feature("clip_norm");
        }
        if (!result.plan().recomputed().isEmpty()) {
            feature("recomputed values");
        }
        if (c.memoryBudget() > 0) {
            feature("memory budget met");
        }
        if (sharesAPartOfTheLoss(result.simplified())) {
            feature("a metric or stop condition that is a part of the loss");
        }
        if (c.stop() != null) {
            feature("stop condition");
        }
    }

    private void feature(String name) {
        features.merge(name, 1, Integer::sum);
    }

    /** Whether a metric or the stop condition is, after simplification, a node inside the loss's graph. */
    private static boolean sharesAPartOfTheLoss(ModelIr ir) {
        Node loss = ir.loss().node();
        Set<Node> inside = new HashSet<>(Graphs.topologicalOrder(List.of(loss)));
        inside.remove(loss);
        List<Node> others = new ArrayList<>();
        ir.metrics().forEach(m -> others.add(m.node()));
        ir.stop().ifPresent(s -> others.add(s.node()));
        return others.stream().anyMatch(inside::contains);
    }

    /** Fails unless each op, optimizer, schedule, dtype and feature was in at least one model in 500. */
    void assertEverythingMet(int tried) {
        int least = Math.max(1, tried / 500);
        for (TensorOp op : TensorOp.values()) {
            assertTrue(ops.getOrDefault(op, 0) >= least, op + " was in too few checked models: " + ops);
        }
        List<String> expected = new ArrayList<>(List.of("dtype f32", "dtype f64", "clip_norm", "recomputed values",
                "memory budget met", "a metric or stop condition that is a part of the loss", "stop condition",
                "schedule none"));
        for (String optimizer : List.of("gd", "sgd", "adam", "adamw", "rmsprop", "adagrad")) {
            expected.add("optimizer " + optimizer);
        }
        for (String schedule : List.of("constant", "step", "multistep", "exponential", "inverse_time",
                "linear_warmup", "cosine", "reduce_on_plateau")) {
            expected.add("schedule " + schedule);
        }
        for (String feature : expected) {
            assertTrue(features.getOrDefault(feature, 0) >= least, feature + " was in too few checked models: "
                    + features);
        }
    }

    @Override
    public String toString() {
        return "ops " + ops + ", " + features;
    }
}
