package dev.modelc.report;

import dev.modelc.ModelCompiler;
import dev.modelc.codegen.Dtype;
import dev.modelc.graph.ExpressionPrinter;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.plan.Buffers;
import dev.modelc.plan.Costs;
import dev.modelc.plan.Memory;
import dev.modelc.plan.Plan;
import dev.modelc.plan.Planner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code modelc memory} prints: the bytes of a training step as formulas in the batch size
 * and at given sizes, one array per value and as planned, and a predictor's beside them; which
 * forward values are stored for the backward pass and which gradients read each; which are recomputed; and which values
 * share each planned array.
 */
public final class MemoryReport {
    private final ModelIr model;
    private final Plan plan;
    private final Plan withoutRecompute;
    private final Dtype dtype;
    private final int bytesPerElement;
    private final ValueNames names;

    private MemoryReport(ModelCompiler.Result result, Dtype dtype) {
        this.model = result.simplified();
        this.plan = result.plan();
        this.withoutRecompute = plan.recomputed().isEmpty() ? plan : Planner.plan(model, true, Set.of());
        this.dtype = dtype;
        this.bytesPerElement = dtype.bytes();
        this.names = new ValueNames(model);
    }

    /** The report for a model compiled with buffer planning on, at each of {@code batches}. */
    public static String of(ModelCompiler.Result result, Dtype dtype, List<Integer> batches) {
        return new MemoryReport(result, dtype).render(batches);
    }

    private String render(List<Integer> batches) {
        StringBuilder out = new StringBuilder();
        out.append(model.name()).append(" (").append(model.sourceName()).append("): bytes held for training, ")
                .append(dtype.label()).append(" elements of ").append(bytesPerElement).append(" bytes\n\n");
        out.append(table(batches).render());
        out.append(storedSection());
        out.append(recomputedSection());
        out.append(arraysSection());
        return out.toString();
    }

    private TextTable table(List<Integer> batches) {
        Memory base = Memory.of(withoutRecompute, bytesPerElement);
        Memory actual = Memory.of(plan, bytesPerElement);
        boolean recomputing = plan != withoutRecompute;
        String recomputed = "recomputing " + recomputedNames();
        TextTable table = new TextTable(batches);
        table.row("parameters", base.params());
        table.row("gradients", base.gradients());
        table.row("optimizer state", base.optimizerState());
        table.row("stored for backward", base.stored());
        if (recomputing) {
            table.row("  " + recomputed, actual.stored());
        }
        table.heading("activation arrays");
        table.row("  one per value", base.naive());
        table.row("  planned", base.planned());
        if (recomputing) {
            table.row("  planned, " + recomputed, actual.planned());
        }
        table.heading("total");
        table.row("  one array per value", base.totalNaive());
        table.row("  planned", base.totalPlanned());
        if (recomputing) {
            table.row("  planned, " + recomputed, actual.totalPlanned());
        }
        if (!model.outputs().isEmpty()) {
            // A predictor keeps a snapshot of the params; each thread that calls it, arrays for a pass of
            // "batch" rows (its rows per pass).
            table.heading("predictor");
            table.row("  parameters", base.params());
            table.row("  arrays per thread", Costs.predictorBytes(plan, bytesPerElement));
            table.row("  total, one thread", base.params().plus(Costs.predictorBytes(plan, bytesPerElement)));
        }
        return table;
    }

    // x @ W1 + b1   [batch, 128]   1024·batch   read by dL/dW1, dL/db1
    private String storedSection() {
        StringBuilder out = new StringBuilder("\nstored by the forward pass for the backward pass:\n");
        List<String[]> rows = new ArrayList<>();
        for (Node node : storedInForwardOrder()) {
            if (!node.shape().isScalar()) {
                rows.add(new String[] {names.describe(node), node.shape().toString(), bytes(node).toString(),
                        "read by " + readers(node)});
            }
        }
        if (rows.isEmpty()) {
            return out.append("  nothing: the gradients read parameters and inputs only\n").toString();
        }
        return out.append(TextTable.columns(rows, "  ")).toString();
    }

    private String recomputedSection() {
        if (plan.recomputed().isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("\ncomputed again by the backward pass instead of stored:\n");
        List<String[]> rows = new ArrayList<>();
        for (Node node : plan.recomputed()) {
            rows.add(new String[] {names.describe(node), node.shape().toString(), bytes(node).toString()});
        }
        return out.append(TextTable.columns(rows, "  ")).toString();
    }

    // array 1  1024·batch  x @ W1; x @ W1 + b1; g3
    private String arraysSection() {
        List<Buffers.Buffer> buffers = plan.buffers();
        int values = buffers.stream().mapToInt(b -> b.values().size()).sum();
        StringBuilder out = new StringBuilder("\narrays after planning: ").append(buffers.size())
                .append(buffers.size() == 1 ? " array" : " arrays").append(" for ").append(values)
                .append(values == 1 ? " value" : " values").append(", each listed in the order its values use it\n");
        if (buffers.isEmpty()) {
            return out.append("  none: every value is a scalar\n").toString();
        }
        Map<Node, String> backwardNames = backwardNames();
        List<String[]> rows = new ArrayList<>();
        for (Buffers.Buffer buffer : buffers) {
            String members = buffer.values().stream().map(v -> describe(v, backwardNames))
                    .collect(Collectors.joining("; "));
            rows.add(new String[] {"array " + buffer.number(), buffer.elements().times(bytesPerElement).toString(),
                    members});
        }
        out.append(TextTable.columns(rows, "  "));
        if (!backwardNames.isEmpty()) {
            out.append("\nvalues of the backward pass:\n");
            backwardNames.forEach((node, name) -> out.append("  ").append(name).append(" = ")
                    .append(ExpressionPrinter.print(node, n -> n == node ? null
                            : backwardNames.containsKey(n) ? backwardNames.get(n) : names.name(n)))
                    .append('\n'));
        }
        return out.toString();
    }

    /** Short names g1, g2, ... for the backward pass's own values, which the model does not name. */
    private Map<Node, String> backwardNames() {
        Map<Node, String> backwardNames = new LinkedHashMap<>();
        for (Plan.Assignment a : plan.backward()) {
            if (a.role() == Plan.Role.TEMPORARY && !backwardNames.containsKey(a.node())) {
                backwardNames.put(a.node(), "g" + (backwardNames.size() + 1));
            }
        }
        return backwardNames;
    }

    private String describe(Buffers.Value value, Map<Node, String> backwardNames) {
        Plan.Assignment a = value.assignment();
        if (backwardNames.containsKey(a.node())) {
            return backwardNames.get(a.node());
        }
        String text = a.label() != null && a.role() != Plan.Role.STOP ? a.label() : names.describe(a.node());
        return a.role() == Plan.Role.RECOMPUTED ? text + " (again)" : text;
    }

    private List<Node> storedInForwardOrder() {
        List<Node> stored = new ArrayList<>();
        for (Plan.Assignment a : plan.forward()) {
            if (plan.stored().contains(a.node()) && !stored.contains(a.node())) {
                stored.add(a.node());
            }
        }
        return stored;
    }

    /** The gradients whose computation reads {@code stored}, in param order; a long list is cut short. */
    private String readers(Node stored) {
        List<String> readers = new ArrayList<>();
        for (Map.Entry<String, Node> gradient : model.gradients().entrySet()) {
            if (reads(gradient.getValue(), stored)) {
                readers.add("d" + model.loss().name() + "/d" + gradient.getKey());
            }
        }
        if (readers.size() == model.gradients().size() && readers.size() > 2) {
            return "every gradient";
        }
        if (readers.size() > 4) {
            return String.join(", ", readers.subList(0, 3)) + " and " + (readers.size() - 3) + " more";
        }
        return String.join(", ", readers);
    }

    /** Whether the backward pass reads {@code stored} for {@code gradient}: stored values end the walk down. */
    private boolean reads(Node gradient, Node stored) {
        List<Node> work = new ArrayList<>(List.of(gradient));
        Set<Node> seen = new java.util.HashSet<>();
        while (!work.isEmpty()) {
            Node node = work.remove(work.size() - 1);
            if (node == stored) {
                return true;
            }
            if (seen.add(node) && !plan.stored().contains(node)) {
                work.addAll(node.inputs());
            }
        }
        return false;
    }

    private Costs.Linear bytes(Node node) {
        return Costs.elements(node.shape()).times(bytesPerElement);
    }

    private String recomputedNames() {
        List<String> named = new ArrayList<>();
        for (Node node : plan.recomputed()) {
            String name = names.name(node);
            if (name != null) {
                named.add(name);
            }
        }
        int unnamed = plan.recomputed().size() - named.size();
        if (unnamed > 0) {
            named.add(unnamed == 1 ? "1 more value" : unnamed + " more values");
        }
        return String.join(", ", named);
    }
}
