package dev.modelc.rewrite;

import dev.modelc.graph.Graphs;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simplify stage: runs a rule set over a graph, bottom up, each node to a fixed point.
 * Hash-consing merges common subexpressions as nodes are rebuilt, and nodes no root reaches
 * are dropped, since only what the roots reach is ever scheduled.
 */
public final class Simplifier {
    /** A guard against rule sets that cycle; no sound rule set comes near it. */
    private static final int MAX_REWRITES_PER_NODE = 1000;

    private final List<Rule> rules;
    private final Map<Node, Node> done = new HashMap<>();
    private final Map<String, Integer> applied = new LinkedHashMap<>();

    public Simplifier(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** Simplifies every root of the model with {@link Rules#SIMPLIFY}. */
    public static ModelIr simplify(ModelIr model) {
        return rewrite(model, Rules.SIMPLIFY, new LinkedHashMap<>());
    }

    /** Rewrites every root of the model with {@code rules}, adding to {@code log} how often each fired. */
    public static ModelIr rewrite(ModelIr model, List<Rule> rules, Map<String, Integer> log) {
        Simplifier simplifier = new Simplifier(rules);
        ModelIr result = model.mapRoots(simplifier::rewrite);
        simplifier.applied().forEach((rule, count) -> log.merge(rule, count, Integer::sum));
        return result;
    }

    /** How often each rule fired, by name, in the order they first fired. */
    public Map<String, Integer> applied() {
        return applied;
    }

    public Node rewrite(Node root) {
        // Nodes done for an earlier root are skipped, and with them all below: those are done too.
        for (Node node : Graphs.topologicalOrder(List.of(root), done::containsKey)) {
            if (!done.containsKey(node)) {
                List<Node> inputs = new ArrayList<>(node.inputs().size());
                for (Node input : node.inputs()) {
                    inputs.add(done.get(input));
                }
                done.put(node, toFixedPoint(node.withInputs(inputs)));
            }
        }
        return done.get(root);
    }

    /** Applies rules at this node until none fires; new inner nodes are simplified first. */
    private Node toFixedPoint(Node node) {
        Node current = node;
        for (int round = 0; round < MAX_REWRITES_PER_NODE; round++) {
            Node next = firstRule(current);
            if (next == null) {
                return current;
            }
            current = simplifyInputs(next);
        }
        throw new IllegalStateException("rewrite rules do not settle at " + node);
    }

    private Node firstRule(Node node) {
        for (Rule rule : rules) {
            Node result = rule.apply(node);
            if (result != null && !result.shape().equals(node.shape())) {
                throw new IllegalStateException("rule `" + rule.name() + "` changed shape " + node.shape()
                        + " to " + result.shape() + " at " + node.op());
            }
            if (result != null) {
                applied.merge(rule.name(), 1, Integer::sum);
                return result;
            }
        }
        return null;
    }

    private Node simplifyInputs(Node node) {
        List<Node> inputs = new ArrayList<>(node.inputs().size());
        for (Node input : node.inputs()) {
            inputs.add(done.containsKey(input) ? done.get(input) : rewrite(input));
        }
        return node.withInputs(inputs);
    }
}
