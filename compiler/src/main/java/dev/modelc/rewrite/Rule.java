package dev.modelc.rewrite;

import dev.modelc.graph.Node;
import java.util.function.UnaryOperator;

/**
 * One named rewrite: a pattern and its replacement, as a function that returns the
 * replacement or null when the node does not match. The name reads like the algebra it
 * does, {@code x*1 -> x}.
 */
public record Rule(String name, UnaryOperator<Node> rewrite) {

    /** The replacement, or null when the rule does not apply. */
    public Node apply(Node node) {
        Node result = rewrite.apply(node);
        return result == node ? null : result;
    }
}
