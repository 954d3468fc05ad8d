package dev.modelc.plan;

import dev.modelc.graph.Graphs;
import dev.modelc.graph.Library;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plan stage. The forward pass computes every named value the loss, the metrics, the outputs
 * and the stop condition need, in source order, what the outputs need first; the backward pass
 * computes the gradients. A node gets a variable (is materialized) when it is named, used more
 * than once, not elementwise (a reduction or a matrix product), or read as a whole buffer by one;
 * everything else is computed inline inside the loop of the node that uses it, so elementwise
 * chains fuse into one loop. A materialized forward value the backward pass reads is stored,
 * unless it is to be recomputed: then the backward pass computes it again, with the values
 * between it and the stored values or leaves below it. Last, every tensor value gets an array,
 * shared with values whose lifetimes do not overlap ({@link Liveness}, {@link Buffers}).
 */
public final class Planner {
    /** The deepest expression of operations computed inline, inside one Java expression. */
    static final int MAX_INLINE_DEPTH = 64;

    private Planner() {
    }

    /** Planning with shared buffers and nothing recomputed. */
    public static Plan plan(ModelIr model) {
        return plan(model, true, Set.of());
    }

    /**
     * Plans {@code model}; {@code shareBuffers} false gives every tensor value an array of its
     * own; the backward pass recomputes the forward values in {@code recompute} it would read.
     */
    public static Plan plan(ModelIr model, boolean shareBuffers, Set<Node> recompute) {
        List<Node> forwardRoots = new ArrayList<>();
        model.values().forEach(v -> forwardRoots.add(v.node()));
        model.stop().ifPresent(c -> forwardRoots.add(c.node()));
        List<Node> backwardRoots = new ArrayList<>(model.gradients().values());
        List<Node> all = new ArrayList<>(forwardRoots);
        all.addAll(backwardRoots);

        Set<Node> materialized = materialize(model, all, forwardRoots, backwardRoots);
        Set<Node> forwardNodes = new HashSet<>(Graphs.topologicalOrder(forwardRoots));
        Set<Node> wanted = new HashSet<>();
        for (Node node : recompute) {
            if (materialized.contains(node) && forwardNodes.contains(node) && !node.shape().isScalar()) {
                wanted.add(node);
            }
        }
        Map<Node, Node> softmaxes = keptSoftmaxes(model, backwardRoots, forwardNodes, recompute);
        materialized.addAll(softmaxes.values());
        forwardNodes.addAll(softmaxes.values());
        Set<Node> needed = new LinkedHashSet<>();
        Set<Node> stored = stored(forwardNodes, backwardRoots, materialized, wanted, needed);
        Set<Node> recomputed = recomputed(needed, stored, materialized);

        Set<Node> emitted = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Plan.Assignment> forward = new ArrayList<>();
        Emitter emitter = new Emitter(model, materialized, Set.of(), emitted);
        for (ModelIr.NamedValue value : predictionFirst(model)) {
            emitter.emit(value.node(), Plan.Role.VALUE, value.name(), value, forward);
        }
        model.stop().ifPresent(c -> emitter.emit(c.node(), Plan.Role.STOP, "stop", null, forward));
        for (int p = forward.size() - 1; p >= 0; p--) {
            Node softmax = softmaxes.get(forward.get(p).node());
            if (softmax != null && emitted.add(softmax)) {
                forward.add(p + 1, new Plan.Assignment(softmax, Plan.Role.TEMPORARY, null, forward.get(p).origin()));
            }
        }
        emitted.removeAll(recomputed);
        Emitter again = new Emitter(model, materialized, recomputed, emitted);
        List<Plan.Assignment> backward = new ArrayList<>();
        for (Map.Entry<String, Node> gradient : backpropagationOrder(model, forwardNodes)) {
            again.emit(gradient.getValue(), Plan.Role.GRADIENT, gradient.getKey(), null, backward);
        }
        Plan schedule = new Plan(model, List.copyOf(forward), List.copyOf(backward), materialized, stored,
                recomputed, List.of());
        List<Buffers.Value> values = Liveness.of(schedule);
        return schedule.withBuffers(shareBuffers ? Buffers.shared(values) : Buffers.unshared(values));
    }

    /**
     * The softmaxes {@code exp(x - logsumexp(x))} the backward pass reads (the logsumexp's
     * derivative), by the logsumexp the forward pass computes for the loss: the forward pass
     * computes each with its logsumexp, in one kernel that takes every exponential once and keeps
     * them, rather than the backward pass taking them again. Not where the logsumexp belongs to
     * an output (a prediction needs no softmax it does not return) or is to be recomputed.
     */
    private static Map<Node, Node> keptSoftmaxes(ModelIr model, List<Node> backwardRoots, Set<Node> forwardNodes,
                                               Set<Node> recompute) {
        Set<Node> predicted = new HashSet<>(Graphs.topologicalOrder(model.outputs().stream()
                .map(ModelIr.NamedValue::node).toList()));
        Map<Node, Node> softmaxes = new LinkedHashMap<>();
        for (Node node : Graphs.topologicalOrder(backwardRoots)) {
            Node lse = Library.softmaxOver(node);
            if (lse != null && forwardNodes.contains(lse) && !forwardNodes.contains(node) && !predicted.contains(lse)
                    && !recompute.contains(lse)) {
                softmaxes.putIfAbsent(lse, node);
            }
        }
        return softmaxes;
    }

    /**
     * The named values in source order, except that the outputs and every value they read come
     * before the rest: then the statements {@code predict} runs are the forward pass's first ones,
     * and none of them is computed as part of a value that needs the labels.
     */
    static List<ModelIr.NamedValue> predictionFirst(ModelIr model) {
        Set<Node> predicted = new HashSet<>(Graphs.topologicalOrder(model.outputs().stream()
                .map(ModelIr.NamedValue::node).toList()));
        List<ModelIr.NamedValue> order = new ArrayList<>();
        model.values().stream().filter(v -> predicted.contains(v.node())).forEach(order::add);
        model.values().stream().filter(v -> !predicted.contains(v.node())).forEach(order::add);
        return order;
    }

    /**
     * The gradients nearest the loss first, as backpropagation computes them: those with the
     * fewest backward nodes under them, in param order among equals. The forward values they
     * read are then done with early, so their arrays can be reused for the rest of the pass.
     */
    private static List<Map.Entry<String, Node>> backpropagationOrder(ModelIr model, Set<Node> forwardNodes) {
        List<Map.Entry<String, Node>> order = new ArrayList<>(model.gradients().entrySet());
        Map<Node, Integer> sizes = new HashMap<>();
        for (Map.Entry<String, Node> gradient : order) {
            int size = 0;
            for (Node node : Graphs.topologicalOrder(List.of(gradient.getValue()))) {
                size += forwardNodes.contains(node) ? 0 : 1;
            }
            sizes.put(gradient.getValue(), size);
        }
        order.sort(Comparator.comparingInt(gradient -> sizes.get(gradient.getValue())));
        return order;
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
                case MATMUL, CONV2D, CONV2D_INPUT, CONV2D_KERNEL, MAX_POOL2D, MAX_POOL2D_GRAD ->
                        node.inputs().forEach(x -> requireMatrix(x, materialized));
                case MAX, LOGSUMEXP, ARGMAX, FIRST_MAX -> requireBuffer(node.input(0), materialized);
                case RESHAPE -> {
                    if (!Reshapes.isUnitReshape(node)) {
                        requireBuffer(node.input(0), materialized);
                    }
                }
                default -> {
                }
            }
        }
        limitInlineDepth(order, materialized);
        materialized.removeIf(n -> (n.op() == Op.PARAM || n.op() == Op.INPUT) && !isRootValue(model, n));
        return materialized;
    }

    /**
     * Gives a variable to every node that would otherwise be computed inside an expression
     * nested more than {@link #MAX_INLINE_DEPTH} operations deep. A backward pass through a long
     * chain of definitions is a chain of single-use products, which would otherwise become one
     * Java expression as deep as the chain: too deep for the code generator's recursion and for javac's.
     */
    private static void limitInlineDepth(List<Node> order, Set<Node> materialized) {
        Map<Node, Integer> depths = new HashMap<>();
        for (Node node : order) {
            int deepest = 0;
            for (Node input : node.inputs()) {
                deepest = Math.max(deepest, depths.getOrDefault(input, 0));
            }
            if (deepest >= MAX_INLINE_DEPTH && node.op().kind() != Op.Kind.VIEW) {
                materialized.add(node);
            }
            depths.put(node, node.op().isLeaf() || materialized.contains(node) ? 0 : deepest + 1);
        }
    }

    /**
     * The forward values the backward pass reads: walking down from the gradients, a
     * materialized forward value ends the walk (it is read, so stored, or it is to be
     * recomputed, so needed); anything else is computed in the backward pass, so its inputs
     * are read in turn.
     */
    private static Set<Node> stored(Set<Node> forwardNodes, List<Node> backwardRoots, Set<Node> materialized,
                                    Set<Node> recompute, Set<Node> needed) {
        Set<Node> stored = new LinkedHashSet<>();
        Set<Node> seen = new HashSet<>();
        Deque<Node> work = new ArrayDeque<>(backwardRoots);
        while (!work.isEmpty()) {
            Node node = work.pop();
            if (!seen.add(node) || node.op().isLeaf()) {
                continue;
            }
            if (forwardNodes.contains(node) && materialized.contains(node)) {
                (recompute.contains(node) ? needed : stored).add(node);
                continue;
            }
            node.inputs().forEach(work::push);
        }
        return stored;
    }

    /**
     * The values the backward pass computes again: the needed ones, and below them every
     * materialized value down to what is stored anyway or a leaf. Scalars below cost nothing
     * to keep, so they are stored instead.
     */
    private static Set<Node> recomputed(Set<Node> needed, Set<Node> stored, Set<Node> materialized) {
        Set<Node> chain = new LinkedHashSet<>();
        Set<Node> seen = new HashSet<>();
        Deque<Node> work = new ArrayDeque<>(needed);
        while (!work.isEmpty()) {
            Node node = work.pop();
            if (!seen.add(node) || node.op().isLeaf() || stored.contains(node)) {
                continue;
            }
            boolean top = needed.contains(node);
            if (!top && materialized.contains(node) && node.shape().isScalar()) {
                stored.add(node);
                continue;
            }
            if (top || materialized.contains(node)) {
                chain.add(node);
            }
            node.inputs().forEach(work::push);
        }
        return chain;
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

    /** Appends the assignments of one pass; {@code emitted} is shared by both passes. */
    private record Emitter(ModelIr model, Set<Node> materialized, Set<Node> recomputed, Set<Node> emitted) {
        /**
         * Appends assignments for the materialized nodes under {@code root} not yet emitted,
         * inputs first, then the root itself. A root that is already computed (two names, one
         * node) still gets its own assignment under its own label.
         */
        void emit(Node root, Plan.Role role, String label, ModelIr.NamedValue origin, List<Plan.Assignment> out) {
            Set<Node> below = notYetComputed(root);
            for (Node node : Graphs.topologicalOrder(List.of(root))) {
                if (node != root && below.contains(node) && materialized.contains(node) && emitted.add(node)) {
                    out.add(recomputed.contains(node)
                            ? new Plan.Assignment(node, Plan.Role.RECOMPUTED, nameOf(node), origin)
                            : new Plan.Assignment(node, Plan.Role.TEMPORARY, null, origin));
                }
            }
            emitted.add(root);
            out.add(new Plan.Assignment(root, role, label, origin));
        }

        /** The nodes under {@code root} that must be computed for it: the walk ends at values computed already. */
        private Set<Node> notYetComputed(Node root) {
            Set<Node> below = new HashSet<>();
            Deque<Node> work = new ArrayDeque<>(root.inputs());
            while (!work.isEmpty()) {
                Node node = work.pop();
                if (!node.op().isLeaf() && !emitted.contains(node) && below.add(node)) {
                    node.inputs().forEach(work::push);
                }
            }
            return below;
        }

        private String nameOf(Node node) {
            return model.values().stream().filter(v -> v.node() == node).map(ModelIr.NamedValue::name)
                    .findFirst().orElse(null);
        }
    }
}
