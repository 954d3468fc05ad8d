package dev.modelc.plan;

import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The schedule of a model's computation: which nodes get a variable of their own, in which
 * order each pass computes them, which forward values are stored for the backward pass and
 * which the backward pass computes again instead, and the arrays the tensor values live in.
 * Nodes without a variable are computed inline where their single use is.
 */
public record Plan(ModelIr model, List<Assignment> forward, List<Assignment> backward,
                   Set<Node> materialized, Set<Node> stored, Set<Node> recomputed, List<Buffers.Buffer> buffers) {

    /**
     * What an assignment computes: a named value, a gradient, the stop condition, a temporary,
     * or, in the backward pass, a forward value computed again rather than stored.
     */
    public enum Role {
        VALUE, GRADIENT, STOP, TEMPORARY, RECOMPUTED
    }

    /**
     * One statement {@code target = node}. {@code origin} is the model's named value or
     * parameter the statement belongs to, for the comment above it; {@code label} is the
     * name the statement is known by (a value's or gradient's name).
     */
    public record Assignment(Node node, Role role, String label, ModelIr.NamedValue origin) {
        /** Whether the assignment writes an array the plan allocates: a tensor that is not a gradient. */
        public boolean writesBuffer() {
            return role != Role.GRADIENT && !node.shape().isScalar();
        }
    }

    /** Every assignment, forward then backward; positions in this list identify assignments. */
    public List<Assignment> sequence() {
        List<Assignment> all = new ArrayList<>(forward);
        all.addAll(backward);
        return all;
    }

    /**
     * How many statements of the forward pass {@code predict} runs: those of the outputs and of
     * the values they read, which the forward pass computes first; 0 without outputs.
     */
    public int predictionEnd() {
        java.util.Set<Node> predicted = new java.util.HashSet<>(dev.modelc.graph.Graphs.topologicalOrder(
                model.outputs().stream().map(ModelIr.NamedValue::node).toList()));
        int end = 0;
        while (end < forward.size() && forward.get(end).origin() != null
                && predicted.contains(forward.get(end).origin().node())) {
            end++;
        }
        return end;
    }

    /** The buffer the assignment at {@code position} writes, or null if it writes none. */
    public Buffers.Buffer bufferAt(int position) {
        for (Buffers.Buffer buffer : buffers) {
            for (Buffers.Value value : buffer.values()) {
                if (value.position() == position) {
                    return buffer;
                }
            }
        }
        return null;
    }

    Plan withBuffers(List<Buffers.Buffer> newBuffers) {
        return new Plan(model, forward, backward, materialized, stored, recomputed, List.copyOf(newBuffers));
    }
}
