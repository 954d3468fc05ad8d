package dev.modelc;

import dev.modelc.TensorExpr.Apply;
import dev.modelc.TensorExpr.Constant;
import dev.modelc.TensorExpr.Leaf;
import dev.modelc.graph.Shape;
import dev.modelc.graph.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One case of the tensor gradient property test: the params and inputs a loss uses, with
 * their values (params at the point to differentiate at, inputs for {@code rows} batch rows),
 * the loss itself, and a metric or null.
 */
record TensorCase(int rows, List<Decl> decls, TensorExpr loss, TensorExpr metric) {
    /** Subtrees whose size this divides get a name even when used once. */
    private static final int NAMED_SIZES = 3;

    TensorCase {
        decls = List.copyOf(decls);
    }

    /** What a declared name is. */
    enum Role {
        PARAM, INPUT, LABELS
    }

    /**
     * A param or input with its values in row-major order, the batch dimension {@code rows}
     * long; labels are whole numbers below {@code classes}.
     */
    record Decl(String name, Role role, Shape shape, int classes, List<Double> values) {
        Decl {
            values = List.copyOf(values);
        }

        Tensor tensor(int rows) {
            int[] dims = shape.dims().stream().mapToInt(d -> d == Shape.BATCH ? rows : d).toArray();
            return new Tensor(dims, values.stream().mapToDouble(Double::doubleValue).toArray());
        }

        Decl withValues(List<Double> newValues) {
            return new Decl(name, role, shape, classes, newValues);
        }
    }

    List<Decl> params() {
        return decls.stream().filter(d -> d.role() == Role.PARAM).toList();
    }

    /** Whether the loss depends on a param, without which there is nothing to train. */
    boolean lossUsesParam() {
        Set<String> used = new TreeSet<>();
        loss.collectLeaves(used);
        return params().stream().anyMatch(p -> used.contains(p.name()));
    }

    /** Every declared name's value. */
    Map<String, Tensor> leafValues() {
        Map<String, Tensor> values = new HashMap<>();
        decls.forEach(d -> values.put(d.name(), d.tensor(rows)));
        return values;
    }

    /** The same case with another loss: the declarations it uses, old ones first, then {@code added}. */
    TensorCase withLoss(TensorExpr newLoss, List<Decl> added) {
        return rebuilt(newLoss, metric, added);
    }

    /** The same case with another metric, or none when it is null. */
    TensorCase withMetric(TensorExpr newMetric, List<Decl> added) {
        return rebuilt(loss, newMetric, added);
    }

    private TensorCase rebuilt(TensorExpr newLoss, TensorExpr newMetric, List<Decl> added) {
        Set<String> used = new TreeSet<>();
        newLoss.collectLeaves(used);
        if (newMetric != null) {
            newMetric.collectLeaves(used);
        }
        List<Decl> kept = new ArrayList<>();
        for (Decl d : decls) {
            if (used.contains(d.name())) {
                kept.add(d);
            }
        }
        added.stream().filter(d -> used.contains(d.name())).forEach(kept::add);
        return new TensorCase(rows, kept, newLoss, newMetric);
    }

    /** The same case with only the first {@code fewer} rows of every input that has the batch dimension. */
    TensorCase withRows(int fewer) {
        List<Decl> cut = decls.stream().map(d -> {
            if (!d.shape().hasBatch()) {
                return d;
            }
            int rowSize = d.values().size() / rows;
            return d.withValues(d.values().subList(0, fewer * rowSize));
        }).toList();
        return new TensorCase(fewer, cut, loss, metric);
    }

    /** The case as a .model file for model {@code name}; params start at 0 and get their values through setParam. */
    String modelText(String name) {
        StringBuilder text = new StringBuilder("model ").append(name).append("\n\n");
        for (Decl d : decls) {
            if (d.role() == Role.PARAM) {
                text.append("param ").append(d.name()).append(d.shape().isScalar() ? "" : " : " + d.shape())
                        .append(" = 0\n");
            } else {
                text.append("input ").append(d.name()).append(" : ").append(d.role() == Role.LABELS ? "int" : "")
                        .append(d.shape()).append('\n');
            }
        }
        text.append('\n');
        Map<TensorExpr, Integer> counts = new HashMap<>();
        loss.countNodes(counts);
        if (metric != null) {
            metric.countNodes(counts);
        }
        Map<TensorExpr, String> names = new LinkedHashMap<>();
        define(loss, counts, names, text, true);
        if (metric != null) {
            define(metric, counts, names, text, true);
        }
        text.append("loss L = ").append(render(loss, names)).append('\n');
        if (metric != null) {
            text.append("metric m = ").append(render(metric, names)).append('\n');
        }
        return text.toString();
    }

    /** How a failure message shows the case: the model, then the values to give its params and inputs. */
    String describe() {
        StringBuilder text = new StringBuilder(modelText("M").strip()).append('\n');
        boolean batch = decls.stream().anyMatch(d -> d.shape().hasBatch());
        text.append("// ").append(batch ? rows + (rows == 1 ? " row, " : " rows, ") : "").append("depth ")
                .append(loss.depth()).append(", ").append(loss.size()).append(" nodes; values in row-major order:\n");
        for (Decl d : decls) {
            text.append("// ").append(d.name()).append(" = ").append(d.values().stream()
                    .map(v -> d.role() == Role.LABELS ? Long.toString(Math.round(v)) : Double.toString(v))
                    .collect(Collectors.joining(", ", "[", "]"))).append('\n');
        }
        return text.toString().strip();
    }

    /**
     * Names each subtree used more than once, and some others as a model would name its layers,
     * as a definition above its first use.
     */
    private static void define(TensorExpr e, Map<TensorExpr, Integer> counts, Map<TensorExpr, String> names,
                               StringBuilder text, boolean root) {
        if (!(e instanceof Apply a) || names.containsKey(e)) {
            return;
        }
        a.operands().forEach(o -> define(o, counts, names, text, false));
        if (!root && (counts.get(e) > 1 || e.size() % NAMED_SIZES == 0)) {
            String name = "v" + names.size();
            text.append(name).append(" = ").append(render(e, names)).append('\n');
            names.put(e, name);
        }
    }

    /** The expression as .model text, operands of operators parenthesized unless they are atoms. */
    static String render(TensorExpr e, Map<TensorExpr, String> names) {
        if (names.containsKey(e)) {
            return names.get(e);
        }
        if (e instanceof Leaf leaf) {
            return leaf.name();
        }
        if (e instanceof Constant c) {
            return Double.toString(c.value());
        }
        Apply a = (Apply) e;
        if (a.op().isCall()) {
            List<String> arguments = new ArrayList<>();
            a.operands().forEach(o -> arguments.add(render(o, names)));
            if (a.axis() != null) {
                arguments.add("axis = " + a.axis());
            }
            return a.op().symbol() + "(" + String.join(", ", arguments) + ")";
        }
        if (a.op() == TensorOp.NEGATE) {
            return "-" + atom(a.operand(0), names);
        }
        return atom(a.operand(0), names) + " " + a.op().symbol() + " " + atom(a.operand(1), names);
    }

    private static String atom(TensorExpr e, Map<TensorExpr, String> names) {
        String text = render(e, names);
        boolean operator = e instanceof Apply a && !a.op().isCall() && !names.containsKey(e);
        boolean negative = e instanceof Constant c && text.startsWith("-");
        return operator || negative ? "(" + text + ")" : text;
    }
}
