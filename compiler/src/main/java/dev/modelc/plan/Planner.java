package dev.modelc.plan;

import dev.modelc.graph.Graphs;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plan stage. The forward pass computes every named value the loss, the metrics and the
 * stop condition need, in source order; the backward pass computes the gradients. A node
 * gets a variable when it is named, used more than once, or computed in the forward pass and
 * used in the backward one (then it is stored).
 */
public final class Planner {
    private Planner() {
    }

    public static Plan plan(ModelIr model) {
        List<Node> forwardRoots = new ArrayList<>();
        model.values().forEach(v -> forwardRoots.add(v.node()));
        model.stop().ifPresent(c -> forwardRoots.add(c.node()));
        List<Node> backwardRoots = new ArrayList<>(model.gradients().values());

        List<Node> all = new ArrayList<>(forwardRoots);
        all.addAll(backwardRoots);
        Map<Node, Integer> uses = Graphs.useCounts(all);
        Set<Node> forwardNodes = new LinkedHashSet<>(Graphs.topologicalOrder(forwardRoots));

        Set<Node> materialized = new HashSet<>(forwardRoots);
        materialized.addAll(backwardRoots);
        for (Node node : Graphs.topologicalOrder(all)) {
            if (!node.op().isLeaf() && uses.getOrDefault(node, 0) > 1) {
                materialized.add(node);
            }
        }
        // The backward pass reads a forward value when it is a gradient itself or an input of a
        // node only the backward pass computes; values further up are behind those and not read.
        Set<Node> stored = new LinkedHashSet<>();
        for (Node root : backwardRoots) {
            if (forwardNodes.contains(root) && !root.op().isLeaf()) {
                stored.add(root);
            }
        }
        for (Node node : Graphs.topologicalOrder(backwardRoots)) {
            for (Node input : node.inputs()) {
                if (forwardNodes.contains(input) && !input.op().isLeaf() && !forwardNodes.contains(node)) {
                    stored.add(input);
                }
            }
        }
        materialized.addAll(stored);
        materialized.removeIf(n -> n.op().isLeaf() && !isRootValue(model, n));

        Set<Node> emitted = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        List<Plan.Assignment> forward = new ArrayList<>();
        for (ModelIr.NamedValue value : model.values()) {
            emit(value.node(), Plan.Role.VALUE, value.name(), value, materialized, emitted, forward);
        }
        model.stop().ifPresent(c -> emit(c.node(), Plan.Role.STOP, "stop", null, materialized, emitted, forward));
        List<Plan.Assignment> backward = new ArrayList<>();
        model.gradients().forEach((param, g) -> emit(g, Plan.Role.GRADIENT, param, null, materialized, emitted, backward));
        return new Plan(model, List.copyOf(forward), List.copyOf(backward), materialized, stored);
    }

    private static boolean isRootValue(ModelIr model, Node node) {
        return model.values().stream().anyMatch(v -> v.node() == node) || model.gradients().containsValue(node);
    }

    /**
     * Appends assignments for the materialized nodes under {@code root} not yet emitted, inputs
     * first, then the root itself. A root that is already computed (two names, one node) still
     * gets its own assignment under its own label.
     */
    private static void emit(Node root, Plan.Role role, String label, ModelIr.NamedValue origin,
                             Set<Node> materialized, Set<Node> emitted, List<Plan.Assignment> out) {
        for (Node node : Graphs.topologicalOrder(List.of(root))) {
            if (node != root && materialized.contains(node) && !node.op().isLeaf() && emitted.add(node)) {
                out.add(new Plan.Assignment(node, Plan.Role.TEMPORARY, null, origin));
            }
        }
        emitted.add(root);
        out.add(new Plan.Assignment(root, role, label, origin));
    }
}
