package dev.modelc.plan;

import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import java.util.List;
import java.util.Set;

/**
 * The schedule of a model's computation: which nodes get a variable of their own, in which
 * order each pass computes them, and which forward values are stored for the backward pass.
 * Nodes without a variable are computed inline where their single use is.
 */
public record Plan(ModelIr model, List<Assignment> forward, List<Assignment> backward,
                   Set<Node> materialized, Set<Node> stored) {

    /** What an assignment computes: a named value, a gradient, the stop condition, or a temporary. */
    public enum Role {
        VALUE, GRADIENT, STOP, TEMPORARY
    }

    /**
     * One statement {@code target = node}. {@code origin} is the model's named value or
     * parameter the statement belongs to, for the comment above it; {@code label} is the
     * name the statement is known by (a value's or gradient's name).
     */
    public record Assignment(Node node, Role role, String label, ModelIr.NamedValue origin) {
    }
}
