package dev.modelc.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Walks over node graphs, without recursion so that depth never overflows the stack. */
public final class Graphs {
    private Graphs() {
    }

    /**
     * Every node reachable from the roots, each after all of its inputs; inputs are visited
     * in order and roots in order, so the result is deterministic.
     */
    public static List<Node> topologicalOrder(Collection<Node> roots) {
        return topologicalOrder(roots, node -> false);
    }

    /**
     * The same, leaving out the nodes {@code known} accepts and everything only they reach: for
     * passes that visit a graph root by root and have handled those nodes already, so that the
     * whole model costs time in proportion to its size rather than to its size times its depth.
     */
    public static List<Node> topologicalOrder(Collection<Node> roots, Predicate<Node> known) {
        List<Node> order = new ArrayList<>();
        Set<Node> done = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        Deque<Node> stack = new ArrayDeque<>();
        Deque<Integer> next = new ArrayDeque<>();
        for (Node root : roots) {
            if (done.contains(root) || known.test(root)) {
                continue;
            }
            stack.push(root);
            next.push(0);
            while (!stack.isEmpty()) {
                Node node = stack.peek();
                int i = next.pop();
                if (i < node.inputs().size()) {
                    next.push(i + 1);
                    Node input = node.input(i);
                    if (!done.contains(input) && !known.test(input)) {
                        stack.push(input);
                        next.push(0);
                    }
                } else {
                    stack.pop();
                    if (done.add(node)) {
                        order.add(node);
                    }
                }
            }
        }
        return order;
    }

    /** How many times each node is used as an input within the graph of the roots. */
    public static Map<Node, Integer> useCounts(Collection<Node> roots) {
        Map<Node, Integer> counts = new HashMap<>();
        for (Node node : topologicalOrder(roots)) {
            for (Node input : node.inputs()) {
                counts.merge(input, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Whether any node reachable from {@code root} satisfies the predicate's set. */
    public static boolean dependsOnAny(Node root, Set<Node> targets) {
        for (Node node : topologicalOrder(List.of(root))) {
            if (targets.contains(node)) {
                return true;
            }
        }
        return false;
    }

    /** Nodes of the graph of {@code roots} from which some node of {@code targets} is reachable. */
    public static Set<Node> dependents(Collection<Node> roots, Set<Node> targets) {
        Set<Node> result = new HashSet<>();
        for (Node node : topologicalOrder(roots)) {
            if (targets.contains(node)) {
                result.add(node);
                continue;
            }
            for (Node input : node.inputs()) {
                if (result.contains(input)) {
                    result.add(node);
                    break;
                }
            }
        }
        return result;
    }

    /** Replaces nodes bottom-up; {@code replacement} sees a node whose inputs are already rebuilt. */
    public static Map<Node, Node> rebuild(Collection<Node> roots, java.util.function.UnaryOperator<Node> replacement) {
        Map<Node, Node> mapped = new LinkedHashMap<>();
        for (Node node : topologicalOrder(roots)) {
            List<Node> inputs = new ArrayList<>(node.inputs().size());
            for (Node input : node.inputs()) {
                inputs.add(mapped.get(input));
            }
            mapped.put(node, replacement.apply(node.withInputs(inputs)));
        }
        return mapped;
    }
}
