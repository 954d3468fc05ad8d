package dev.modelc.report;

import dev.modelc.ModelCompiler;
import dev.modelc.graph.ExpressionPrinter;
import dev.modelc.graph.Graphs;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.plan.Plan;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A model's computation graph in Graphviz DOT, drawn the way the seed's figure draws one: values
 * as boxes, operations as circles, data flowing left to right, shapes on the edges. Parameters,
 * inputs, the loss and metrics each have their own colour; named values carry their names.
 * Broadcasts and reshapes are drawn as the edge they are. With the backward pass, its graph is
 * a second cluster, and every forward value it reads is linked to it by a dashed edge; the
 * values stored for it have a bold border. The text is deterministic: same model, same bytes.
 */
public final class GraphDot {
    private static final String PARAM = "#dae8fc";
    private static final String INPUT = "#fff2cc";
    private static final String LOSS = "#f8cecc";
    private static final String METRIC = "#d5e8d4";

    private final ModelIr model;
    private final Plan plan;
    private final boolean backward;
    private final Map<Node, List<String>> labels = new HashMap<>();
    private final Map<Node, String> forwardIds = new HashMap<>();
    private final StringBuilder out = new StringBuilder();
    private int next;

    private GraphDot(ModelCompiler.Result result, boolean backward) {
        this.model = result.simplified();
        this.plan = result.plan();
        this.backward = backward;
        for (ModelIr.NamedValue v : model.values()) {
            labels.computeIfAbsent(v.node(), n -> new ArrayList<>()).add(v.name());
        }
        model.stop().ifPresent(c -> labels.computeIfAbsent(c.node(), n -> new ArrayList<>()).add("stop"));
    }

    /** The forward graph. */
    public static String forward(ModelCompiler.Result result) {
        return new GraphDot(result, false).render();
    }

    /** The forward graph and, beside it, the backward graph. */
    public static String withBackward(ModelCompiler.Result result) {
        return new GraphDot(result, true).render();
    }

    private String render() {
        out.append("digraph ").append(quote(model.name())).append(" {\n");
        String file = model.sourceName().replaceAll(".*[/\\\\]", "");
        out.append("  label=").append(quote(model.name() + " (" + file + ")"
                + (backward ? ": forward and backward" : ""))).append(";\n");
        out.append("  labelloc=t;\n  fontname=\"Helvetica\";\n  rankdir=LR;\n  newrank=true;\n");
        out.append("  node [fontname=\"Helvetica\", fontsize=11];\n");
        out.append("  edge [fontname=\"Helvetica\", fontsize=9];\n");
        if (backward) {
            out.append("  subgraph cluster_forward {\n    label=\"forward\";\n    color=\"#999999\";\n");
            forwardGraph();
            out.append("  }\n  subgraph cluster_backward {\n    label=\"backward\";\n    color=\"#999999\";\n");
            new BackwardGraph().draw();
            out.append("  }\n");
        } else {
            forwardGraph();
        }
        return out.append("}\n").toString();
    }

    private void forwardGraph() {
        List<Node> roots = new ArrayList<>();
        model.values().forEach(v -> roots.add(v.node()));
        model.stop().ifPresent(c -> roots.add(c.node()));
        for (Node node : Graphs.topologicalOrder(roots)) {
            if (isDrawnAsEdge(node) || node.op() == Op.CONST || node.op() == Op.BATCH_SIZE) {
                continue;
            }
            String id = "v" + next++;
            forwardIds.put(node, id);
            if (!node.op().isLeaf()) {
                operation(id, node, input -> forwardIds.get(input), input -> "");
            }
            valueBox(id, node, forwardLabel(node), forwardStyle(node));
        }
    }

    /** A circle for the node's op, edges into it from its inputs, and an edge from it to box {@code id}. */
    private void operation(String id, Node node, Function<Node, String> source,
                           Function<Node, String> edgeStyle) {
        String op = "o" + id.substring(1);
        line(op + " [label=" + quote(symbol(node)) + ", shape=circle, margin=0.02];");
        for (Node input : node.inputs()) {
            Node from = drawnSource(input);
            String fromId = from.op() == Op.CONST || from.op() == Op.BATCH_SIZE ? constant(from) : source.apply(from);
            String attributes = edgeLabel(from) + edgeStyle.apply(from);
            line(fromId + " -> " + op + (attributes.isEmpty() ? "" : " [" + attributes + "]") + ";");
        }
        line(op + " -> " + id + ";");
    }

    private void valueBox(String id, Node node, String label, String style) {
        String size = label.isEmpty() ? ", width=0.25, height=0.25, fixedsize=true" : "";
        line(id + " [label=" + quote(label) + ", shape=box" + size + style + "];");
    }

    /** A constant or the batch size is drawn anew at each use, as a number on its own. */
    private String constant(Node node) {
        String id = "c" + next++;
        String text = node.op() == Op.CONST ? ExpressionPrinter.number(node.constantValue()) : "batch";
        line(id + " [label=" + quote(text) + ", shape=plaintext];");
        return id;
    }

    private String forwardLabel(Node node) {
        if (node.op() == Op.PARAM || node.op() == Op.INPUT) {
            List<String> all = new ArrayList<>(List.of(node.name()));
            all.addAll(labels.getOrDefault(node, List.of()));
            return String.join(" / ", all);
        }
        return String.join(" / ", labels.getOrDefault(node, List.of()));
    }

    private String forwardStyle(Node node) {
        String bold = backward && plan.stored().contains(node) ? ", penwidth=2" : "";
        String fill = switch (node.op()) {
            case PARAM -> PARAM;
            case INPUT -> INPUT;
            default -> null;
        };
        boolean loss = node == model.loss().node();
        if (loss) {
            return ", style=filled, fillcolor=\"" + LOSS + "\", peripheries=2" + bold;
        }
        if (fill == null && model.metrics().stream().anyMatch(m -> m.node() == node)) {
            fill = METRIC;
        }
        return (fill == null ? "" : ", style=filled, fillcolor=\"" + fill + "\"") + bold;
    }

    /** The backward pass: what it computes itself, down to the stored values and leaves it reads. */
    private final class BackwardGraph {
        private final Map<Node, String> ids = new HashMap<>();
        private final Set<Node> computed = new HashSet<>();

        void draw() {
            Map<Node, List<String>> gradients = new LinkedHashMap<>();
            model.gradients().forEach((param, g) -> gradients.computeIfAbsent(drawnSource(g), n -> new ArrayList<>())
                    .add("d" + model.loss().name() + "/d" + param));
            markComputed();
            for (Node node : Graphs.topologicalOrder(model.gradients().values())) {
                if (!computed.contains(node)) {
                    continue;
                }
                String id = "b" + next++;
                ids.put(node, id);
                operation(id, node, this::source, this::style);
                List<String> names = gradients.getOrDefault(node, List.of());
                String again = plan.recomputed().contains(node) ? forwardLabel(node) : "";
                String label = !names.isEmpty() ? String.join(" / ", names) : again.isEmpty() ? "" : again + " (again)";
                valueBox(id, node, label, names.isEmpty() ? "" : ", style=filled, fillcolor=\"" + PARAM + "\"");
            }
            gradients.forEach((node, names) -> {
                if (!computed.contains(node)) {
                    // A gradient that is a forward value or a constant: a box of its own, linked to it.
                    String id = "b" + next++;
                    String from = forwardIds.containsKey(node) ? forwardIds.get(node) : constant(node);
                    valueBox(id, node, String.join(" / ", names), ", style=filled, fillcolor=\"" + PARAM + "\"");
                    String attributes = edgeLabel(node) + style(node);
                    line(from + " -> " + id + (attributes.isEmpty() ? "" : " [" + attributes + "]") + ";");
                }
            });
        }

        /** Walking down from the gradients as the plan does: stored values and leaves are read, the rest computed. */
        private void markComputed() {
            Deque<Node> work = new ArrayDeque<>(model.gradients().values());
            Set<Node> seen = new HashSet<>();
            while (!work.isEmpty()) {
                Node node = work.pop();
                if (!seen.add(node) || node.op().isLeaf() || plan.stored().contains(node)) {
                    continue;
                }
                if (!isDrawnAsEdge(node)) {
                    computed.add(node);
                }
                node.inputs().forEach(work::push);
            }
        }

        private String source(Node node) {
            return ids.containsKey(node) ? ids.get(node) : forwardIds.get(node);
        }

        /** Dashed: the edge brings a value from the forward pass. */
        private String style(Node node) {
            boolean fromForward = !computed.contains(node) && node.op() != Op.CONST && node.op() != Op.BATCH_SIZE;
            return fromForward ? (edgeLabel(node).isEmpty() ? "" : ", ") + "style=dashed" : "";
        }
    }

    /** Broadcasts and reshapes the model did not name are drawn as the edge they are. */
    private boolean isDrawnAsEdge(Node node) {
        return (node.op() == Op.EXPAND || node.op() == Op.RESHAPE) && !labels.containsKey(node);
    }

    private Node drawnSource(Node node) {
        Node from = node;
        while (isDrawnAsEdge(from)) {
            from = from.input(0);
        }
        return from;
    }

    private static String edgeLabel(Node from) {
        return from.shape().isScalar() ? "" : "label=" + quote(from.shape().toString());
    }

    /** The op as the figure shows it: an operator sign or a function's name, with its axis. */
    private static String symbol(Node node) {
        if (node.op().symbol() != null && node.op().arity() == 2) {
            return node.op().symbol();
        }
        return switch (node.op()) {
            case RECIP -> "1/x";
            case SUM, MAX, LOGSUMEXP, ARGMAX, FIRST_MAX -> node.axes().size() == node.input(0).shape().rank()
                    ? node.op().mnemonic() : node.op().mnemonic() + (node.axes().size() == 1
                    ? "\naxis " + node.axes().get(0) : "\naxes " + node.axes());
            case MAX_POOL2D, MAX_POOL2D_GRAD -> node.op().mnemonic() + "\n" + node.attribute() + "x"
                    + node.attribute();
            default -> node.op().mnemonic();
        };
    }

    private void line(String text) {
        out.append(backward ? "    " : "  ").append(text).append('\n');
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
