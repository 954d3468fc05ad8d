package dev.modelc.autodiff;

import dev.modelc.graph.Graphs;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The differentiate stage: the gradient of the loss with respect to every parameter, as new
 * graph nodes. A reverse topological walk from the loss applies each op's rule and sums the
 * cotangents of nodes used more than once; a parameter no path reaches gets a symbolic zero.
 */
public final class ReverseMode {
    private ReverseMode() {
    }

    public static ModelIr differentiate(ModelIr model) {
        Map<Node, Node> cotangents = backpropagate(model.loss().node());
        Map<String, Node> gradients = new LinkedHashMap<>();
        for (ModelIr.ParamSpec param : model.params()) {
            gradients.put(param.name(), cotangents.getOrDefault(param.node(), Node.fill(0, param.shape())));
        }
        return model.withGradients(gradients);
    }

    /** The cotangent of every node on a path to {@code output}, seeded with 1 at the output. */
    public static Map<Node, Node> backpropagate(Node output) {
        List<Node> order = Graphs.topologicalOrder(List.of(output));
        Map<Node, Node> cotangents = new HashMap<>();
        cotangents.put(output, Node.constant(1));
        for (int i = order.size() - 1; i >= 0; i--) {
            Node node = order.get(i);
            Node g = cotangents.get(node);
            if (g == null || node.op().isLeaf()) {
                continue;
            }
            DerivativeRules.Rule rule = DerivativeRules.rule(node.op());
            if (rule == null) {
                throw new IllegalStateException(node.op() + " is not differentiable; the checker should have refused it");
            }
            Node[] contributions = rule.vjp(node, g);
            if (contributions.length != node.inputs().size()) {
                throw new IllegalStateException(node.op() + "'s derivative rule gave " + contributions.length
                        + " cotangents for " + node.inputs().size() + " operands");
            }
            for (int k = 0; k < contributions.length; k++) {
                if (contributions[k] != null) {
                    // A scalar operand of an elementwise op stood for every element: sum back.
                    Node contribution = Broadcasts.sumTo(contributions[k], node.input(k).shape());
                    cotangents.merge(node.input(k), contribution, (a, b) -> Node.of(Op.ADD, a, b));
                }
            }
        }
        return cotangents;
    }
}
