package dev.modelc.report;

import dev.modelc.graph.ExpressionPrinter;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How reports call a value: by the model's name for it, else by a short expression over the model's names. */
final class ValueNames {
    private static final int LONGEST = 60;
    private final Map<Node, String> names = new HashMap<>();

    ValueNames(ModelIr model) {
        model.values().forEach(v -> names.putIfAbsent(v.node(), v.name()));
    }

    /** The model's name for the node, or null. */
    String name(Node node) {
        return names.get(node);
    }

    /**
     * The name, else the expression; a long expression shows its outer operations and "..." for
     * the values deepest inside, so that what sets it apart stays visible.
     */
    String describe(Node node) {
        String name = names.get(node);
        if (name != null) {
            return name;
        }
        Map<Node, Integer> depths = depths(node);
        int deepest = depths.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        String text = print(node, depths, deepest + 1);
        for (int limit = deepest; text.length() > LONGEST && limit > 1; limit--) {
            text = print(node, depths, limit);
        }
        return text;
    }

    private String print(Node root, Map<Node, Integer> depths, int limit) {
        return ExpressionPrinter.print(root, n -> {
            if (n == root) {
                return null;
            }
            if (names.containsKey(n)) {
                return names.get(n);
            }
            return depths.get(n) >= limit && !n.op().isLeaf() ? "..." : null;
        });
    }

    /** How far below {@code root} each node is, counting the operations a person sees (not broadcasts). */
    private static Map<Node, Integer> depths(Node root) {
        Map<Node, Integer> depths = new HashMap<>();
        ArrayDeque<Node> work = new ArrayDeque<>(List.of(root));
        depths.put(root, 0);
        while (!work.isEmpty()) {
            Node node = work.removeFirst();
            for (Node input : node.inputs()) {
                boolean view = node.op() == Op.EXPAND || node.op() == Op.RESHAPE;
                int depth = depths.get(node) + (view ? 0 : 1);
                if (depth < depths.getOrDefault(input, Integer.MAX_VALUE)) {
                    depths.put(input, depth);
                    work.addLast(input);
                }
            }
        }
        return depths;
    }
}
