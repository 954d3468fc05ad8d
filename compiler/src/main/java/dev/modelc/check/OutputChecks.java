package dev.modelc.check;

import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.Span;
import dev.modelc.graph.ExpressionPrinter;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Shape;
import dev.modelc.syntax.Ast;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks what {@code predict} needs of each output, on the lowered graph, where every operation
 * says how it treats the batch dimension: an output computes each row from that row alone, so
 * that predicting rows together, one by one or in parts gives the same values; and its batch
 * dimension, if any, comes first, one row of output per row of input.
 */
public final class OutputChecks {
    private OutputChecks() {
    }

    /** Reports each output that combines rows or has its batch dimension elsewhere than first. */
    public static void check(ModelIr model, Ast.Program program, Diagnostics diagnostics) {
        Map<String, Span> names = new HashMap<>();
        program.declarations().forEach(d -> names.putIfAbsent(d.name().text(), d.name().span()));
        Map<Node, String> valueNames = new HashMap<>();
        model.values().forEach(v -> valueNames.putIfAbsent(v.node(), v.name()));
        for (ModelIr.NamedValue output : model.outputs()) {
            Span span = names.get(output.name());
            Node mixing = firstCombiningRows(output.node());
            Shape shape = output.node().shape();
            if (mixing != null) {
                String culprit = ExpressionPrinter.print(mixing, n -> n == mixing ? null : valueNames.get(n));
                diagnostics.error(span, "output `" + output.name() + "` combines the rows of a batch (in `" + culprit
                                + "`), so the prediction for a row would depend on the rows predicted with it",
                        "compute each row from its own values, e.g. `mean(h, axis = 1)` rather than `mean(h)`; "
                                + "a figure over the whole batch can be a `metric`");
            } else if (shape.hasBatch() && shape.dim(0) != Shape.BATCH) {
                diagnostics.error(span, "output `" + output.name() + "` has shape " + shape
                                + ", but an output has one row per input row, its batch dimension first",
                        "transpose it so that `batch` comes first");
            }
        }
    }

    /**
     * The first operation under {@code root}, inputs before their users, whose result for a row
     * reads other rows: it drops the batch dimension of an operand (a sum or a product over the
     * rows), or moves it into another dimension; null when there is none. A value that reads the
     * number of rows (a mean over them) combines rows too; its reduction is then named. What only
     * training computes (a batch statistic of {@code batch_norm}) is not part of a prediction.
     */
    static Node firstCombiningRows(Node root) {
        List<Node> order = predictionOrder(root);
        boolean countsRows = false;
        for (Node node : order) {
            countsRows |= node.op() == Op.BATCH_SIZE;
            if (!node.op().isLeaf() && combinesRows(node)) {
                return node;
            }
        }
        return countsRows ? root : null;
    }

    /** The nodes a prediction of {@code root} computes, inputs before their users. */
    private static List<Node> predictionOrder(Node root) {
        List<Node> order = new java.util.ArrayList<>();
        java.util.Set<Node> seen = new java.util.HashSet<>();
        java.util.Deque<Node[]> stack = new java.util.ArrayDeque<>();
        stack.push(new Node[] {root, null});
        while (!stack.isEmpty()) {
            Node[] top = stack.pop();
            Node node = top[0];
            if (top[1] != null) {
                order.add(node);
            } else if (seen.add(node)) {
                stack.push(new Node[] {node, node});
                List<Node> inputs = node.op() == Op.TRAINING ? List.of(node.input(1)) : node.inputs();
                for (int i = inputs.size() - 1; i >= 0; i--) {
                    stack.push(new Node[] {inputs.get(i), null});
                }
            }
        }
        return order;
    }

    private static boolean combinesRows(Node node) {
        boolean inputHasBatch = node.inputs().stream().anyMatch(i -> i.shape().hasBatch());
        if (!inputHasBatch) {
            return false;
        }
        if (!node.shape().hasBatch()) {
            return true;
        }
        if (node.op() == Op.RESHAPE) {
            Shape from = node.input(0).shape();
            Shape to = node.shape();
            return from.dims().indexOf(Shape.BATCH) != to.dims().indexOf(Shape.BATCH)
                    || from.sizeWithoutBatch() != to.sizeWithoutBatch();
        }
        return false;
    }
}
