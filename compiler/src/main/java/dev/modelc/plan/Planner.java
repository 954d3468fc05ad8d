package dev.modelc.plan;

import dev.modelc.graph.Graphs;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plan stage. The forward pass computes every named value the loss, the metrics and the
 * stop condition need, in source order; the backward pass computes the gradients. A node
 * gets a variable (is materialized) when it is named, used more than once, not elementwise
 * (a reduction or a matrix product), or read as a whole buffer by one; everything else is
 * computed inline inside the loop of the node that uses it, so elementwise chains fuse into
 * one loop. A materialized forward value the backward pass reads is stored.
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

        Set<Node> materialized = materialize(model, all, forwardRoots, backwardRoots);
        Set<Node> stored = stored(forwardRoots, backwardRoots, materialized);

        Set<Node> emitted = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Plan.Assignment> forward = new ArrayList<>();
        for (ModelIr.NamedValue value : model.values()) {
            emit(value.node(), Plan.Role.VALUE, value.name(), value, materialized, emitted, forward);
        }
        model.stop().ifPresent(c -> emit(c.node(), Plan.Role.STOP, "stop", null, materialized, emitted, forward));
        List<Plan.Assignment> backward = new ArrayList<>();
        model.gradients().forEach((param, g) -> emit(g, Plan.Role.GRADIENT, param, null, materialized, emitted, backward));
        return new Plan(model, List.copyOf(forward), List.copyOf(backward), materialized, stored);
    }

    private static Set<Node> materialize(ModelIr model, List<Node> all, List<Node> forwardRoots,
                                         List<Node> backwardRoots) {
        Map<Node, Integer> uses = Graphs.useCounts(all);
        Set<Node> materialized = new HashSet<>(forwardRoots);
        materialized.addAll(backwardRoots);
        List<Node> order = Graphs.topologicalOrder(all);
        for (Node node : order) {
            Op.Kind kind = node.op().kind();
            boolean structural = kind == Op.Kind.REDUCTION || kind == Op.Kind.INDEX || kind == Op.Kind.CONTRACTION;
            boolean shared = uses.getOrDefault(node, 0) > 1 && kind != Op.Kind.VIEW;
            if (!node.op().isLeaf() && (structural || shared)) {
                materialized.add(node);
            }
        }
        for (Node node : order) {
            switch (node.op()) {
                case MATMUL -> node.inputs().forEach(x -> requireMatrix(x, materialized));
                case MAX, LOGSUMEXP, ARGMAX -> requireBuffer(node.input(0), materialized);
                case RESHAPE -> {
                    if (!Reshapes.isUnitReshape(node)) {
                        requireBuffer(node.input(0), materialized);
                    }
                }
                default -> {
                }
            }
        }
        materialized.removeIf(n -> (n.op() == Op.PARAM || n.op() == Op.INPUT) && !isRootValue(model, n));
        return materialized;
    }

    /**
     * The forward values the backward pass reads: walking down from the gradients, a
     * materialized forward value ends the walk (it is read, so stored); anything else is
     * computed in the backward pass, so its inputs are read in turn.
     */
    private static Set<Node> stored(List<Node> forwardRoots, List<Node> backwardRoots, Set<Node> materialized) {
        Set<Node> forwardNodes = new HashSet<>(Graphs.topologicalOrder(forwardRoots));
        Set<Node> stored = new LinkedHashSet<>();
        Set<Node> seen = new HashSet<>();
        java.util.Deque<Node> work = new java.util.ArrayDeque<>(backwardRoots);
        while (!work.isEmpty()) {
            Node node = work.pop();
            if (!seen.add(node) || node.op().isLeaf()) {
                continue;
            }
            if (forwardNodes.contains(node) && materialized.contains(node)) {
                stored.add(node);
                continue;
            }
            node.inputs().forEach(work::push);
        }
        return stored;
    }

    /** A matrix product reads each operand as a buffer, possibly transposed or reshaped. */
    private static void requireMatrix(Node x, Set<Node> materialized) {
        Node base = x.op() == Op.TRANSPOSE ? x.input(0) : x;
        while (base.op() == Op.RESHAPE) {
            base = base.input(0);
        }
        if (base.op() == Op.TRANSPOSE || base.op() == Op.CONST || base.op() == Op.BATCH_SIZE) {
            materialized.add(x.op() == Op.TRANSPOSE ? x.input(0) : x);
        } else {
            requireBuffer(base, materialized);
        }
    }

    private static void requireBuffer(Node x, Set<Node> materialized) {
        if (x.op() != Op.PARAM && x.op() != Op.INPUT) {
            materialized.add(x);
        }
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
