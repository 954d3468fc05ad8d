package dev.modelc.graph;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints a model's IR one node per line in topological order, with stable numbering, for
 * dumps and golden tests:
 * <pre>
 * %0 = param x : []
 * %1 = const 2 : []
 * %2 = pow %0 %1 : []
 * loss J = %2
 * </pre>
 */
public final class IrPrinter {
    private IrPrinter() {
    }

    /** The forward graph: named values and the stop condition. */
    public static String forward(ModelIr model) {
        return print(model, false);
    }

    /** The forward graph and the gradients. */
    public static String withGradients(ModelIr model) {
        return print(model, true);
    }

    private static String attributeText(Node node) {
        Object attribute = node.attribute();
        if (attribute instanceof Window window) {
            return "stride=" + window.stride() + " padding=" + window.padding()
                    + (window.result() == null ? "" : " to=" + window.result().toString().replace(" ", ""));
        }
        if (node.op() == Op.MAX_POOL2D || node.op() == Op.MAX_POOL2D_GRAD) {
            return "size=" + attribute;
        }
        if (attribute instanceof List<?> axes) {
            return "axes=" + axes.toString().replace(" ", "");
        }
        if (attribute instanceof Shape shape) {
            return "to=" + shape.toString().replace(" ", "");
        }
        if (attribute instanceof Slice slice) {
            return slice.toString();
        }
        return "n=" + attribute;
    }

    private static String print(ModelIr model, boolean gradients) {
        List<Node> roots = new java.util.ArrayList<>();
        model.params().forEach(p -> roots.add(p.node()));
        model.inputs().forEach(i -> roots.add(i.node()));
        model.values().forEach(v -> roots.add(v.node()));
        model.stop().ifPresent(c -> roots.add(c.node()));
        if (gradients) {
            roots.addAll(model.gradients().values());
        }
        Map<Node, Integer> ids = new IdentityHashMap<>();
        StringBuilder out = new StringBuilder("model ").append(model.name()).append('\n');
        for (Node node : Graphs.topologicalOrder(roots)) {
            int id = ids.size();
            ids.put(node, id);
            out.append('%').append(id).append(" = ").append(node.op().mnemonic());
            if (node.op() == Op.CONST) {
                out.append(' ').append(ExpressionPrinter.number(node.constantValue()));
            } else if (node.op() == Op.PARAM || node.op() == Op.INPUT) {
                out.append(' ').append(node.name());
                if (node.isIntegerInput()) {
                    out.append(" int");
                }
            } else if (node.attribute() != null) {
                out.append(' ').append(attributeText(node));
            }
            for (Node input : node.inputs()) {
                out.append(" %").append(ids.get(input));
            }
            out.append(" : ").append(node.shape()).append('\n');
        }
        for (ModelIr.NamedValue value : model.values()) {
            out.append(value.kind().name().toLowerCase(java.util.Locale.ROOT)).append(' ')
                    .append(value.name()).append(" = %").append(ids.get(value.node())).append('\n');
        }
        model.stop().ifPresent(c -> out.append("stop when %").append(ids.get(c.node())).append('\n'));
        if (gradients) {
            model.gradients().forEach((param, g) -> out.append("grad ").append(param)
                    .append(" = %").append(ids.get(g)).append('\n'));
        }
        return out.toString();
    }
}
