package dev.modelc;

import dev.modelc.TensorCase.Decl;
import dev.modelc.TensorCase.Role;
import dev.modelc.TensorExpr.Apply;
import dev.modelc.codegen.Dtype;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One case of the whole-model fuzzer: a complete model around a tensor case's loss. Beside the
 * loss there are metrics and a stop condition made of its parts (so that one sub-expression is
 * shared by several roots, named or written out again), definitions, {@code recompute}, an
 * optimizer with a schedule and clipping, a dtype and a memory budget; and the values of its
 * params and inputs, which the test gives the compiled model and the IR interpreter alike.
 *
 * @param core the loss, a comparison metric or none, the params and inputs with their values
 * @param metrics more metrics, each made of parts of the loss
 * @param stop the stop condition, or null
 * @param training the train block's optimizer, schedule and clipping, and the updates to check
 * @param naming which sub-expressions become definitions
 * @param recomputeEvery every how many definitions one is recomputed; 0 for none
 * @param memoryBudget the activation budget in bytes given to the compiler, or 0
 */
record WholeModel(TensorCase core, List<TensorExpr> metrics, Stop stop, Training training, Dtype dtype,
                  Naming naming, int recomputeEvery, long memoryBudget, int extraRows) {
    WholeModel {
        metrics = List.copyOf(metrics);
    }

    /** {@code stop when expr < threshold}, or {@code >}. */
    record Stop(TensorExpr expr, boolean below, double threshold) {
        String text(String expr) {
            return expr + (below ? " < " : " > ") + threshold;
        }
    }

    /**
     * How sub-expressions are written: as a definition when used more than once (if
     * {@code shared}), or when their node count is a multiple of {@code sizes} (if not 0);
     * written out again wherever they occur otherwise.
     */
    record Naming(boolean shared, int sizes) {
        static final Naming INLINE = new Naming(false, 0);
    }

    /**
     * The optimizer as written ({@code adam(lr = 0.01, beta1 = 0.8)}) with its settings, the
     * schedule as written (or null), {@code clip_norm} (or 0), and how many updates to check.
     */
    record Training(String optimizer, Map<String, Double> settings, String schedule, double clipNorm, int steps) {
        static final Training PLAIN = new Training("gd", Map.of("lr", 0.01), null, 0, 1);

        Training {
            settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        }

        String text() {
            String arguments = settings.entrySet().stream().map(e -> e.getKey() + " = " + written(e.getKey(),
                    e.getValue())).collect(Collectors.joining(", "));
            return "  optimizer " + optimizer + "(" + arguments + ")\n"
                    + (schedule == null ? "" : "  schedule " + schedule + "\n")
                    + (clipNorm == 0 ? "" : "  clip_norm " + clipNorm + "\n");
        }

        private static String written(String name, double value) {
            return name.equals("nesterov") || name.equals("centered") ? Boolean.toString(value != 0)
                    : Double.toString(value);
        }

        double setting(String name, double otherwise) {
            return settings.getOrDefault(name, otherwise);
        }
    }

    /** The params and inputs every part of the model uses, and nothing more. */
    WholeModel withCore(TensorCase newCore) {
        Set<String> declared = newCore.decls().stream().map(Decl::name).collect(Collectors.toSet());
        List<TensorExpr> kept = metrics.stream().filter(m -> declared.containsAll(leaves(m))).toList();
        Stop keptStop = stop != null && declared.containsAll(leaves(stop.expr())) ? stop : null;
        return new WholeModel(newCore, kept, keptStop, training, dtype, naming, recomputeEvery, memoryBudget,
                extraRows);
    }

    static Set<String> leaves(TensorExpr e) {
        Set<String> names = new TreeSet<>();
        e.collectLeaves(names);
        return names;
    }

    /** The model as .model text, for model {@code name}. */
    String modelText(String name) {
        StringBuilder text = new StringBuilder("model ").append(name).append("\n\n");
        List<Decl> params = core.params();
        for (Decl d : core.decls()) {
            if (d.role() == Role.PARAM) {
                // Initializers run and are overwritten: the params take the case's values.
                String init = List.of("0", "1.5", "normal(0, 0.5)", "uniform(-1, 1)", "zeros", "ones")
                        .get(params.indexOf(d) % 6);
                text.append("param ").append(d.name()).append(d.shape().isScalar() ? "" : " : " + d.shape())
                        .append(" = ").append(init).append('\n');
            } else {
                text.append("input ").append(d.name()).append(" : ").append(d.role() == Role.LABELS ? "int" : "")
                        .append(d.shape()).append('\n');
            }
        }
        text.append('\n');
        Map<TensorExpr, String> names = definitions(text);
        text.append("loss L = ").append(TensorCase.render(core.loss(), names)).append('\n');
        if (core.metric() != null) {
            text.append("metric m = ").append(TensorCase.render(core.metric(), names)).append('\n');
        }
        for (int i = 0; i < metrics.size(); i++) {
            text.append("metric m").append(i).append(" = ").append(TensorCase.render(metrics.get(i), names))
                    .append('\n');
        }
        List<String> recomputed = new ArrayList<>();
        int index = 0;
        for (Map.Entry<TensorExpr, String> named : names.entrySet()) {
            if (recomputeEvery > 0 && index++ % recomputeEvery == 0 && !named.getKey().shape().isScalar()) {
                recomputed.add(named.getValue());
            }
        }
        if (!recomputed.isEmpty()) {
            text.append("recompute ").append(String.join(", ", recomputed)).append('\n');
        }
        text.append("\ntrain {\n").append(training.text());
        if (stop != null) {
            text.append("  stop when ").append(stop.text(TensorCase.render(stop.expr(), names))).append('\n');
        }
        return text.append("  seed 7\n}\n").toString();
    }

    /** Writes the definitions, each above its first use, and returns the names given. */
    private Map<TensorExpr, String> definitions(StringBuilder text) {
        Map<TensorExpr, Integer> counts = new HashMap<>();
        for (TensorExpr root : roots()) {
            root.countNodes(counts);
        }
        Map<TensorExpr, String> names = new LinkedHashMap<>();
        for (TensorExpr root : roots()) {
            define(root, counts, names, text, true);
        }
        return names;
    }

    private void define(TensorExpr e, Map<TensorExpr, Integer> counts, Map<TensorExpr, String> names,
                        StringBuilder text, boolean root) {
        if (!(e instanceof Apply a) || names.containsKey(e)) {
            return;
        }
        a.operands().forEach(o -> define(o, counts, names, text, false));
        boolean shared = naming.shared() && counts.get(e) > 1;
        boolean sized = naming.sizes() > 0 && e.size() % naming.sizes() == 0;
        if (!root && (shared || sized)) {
            String name = "v" + names.size();
            text.append(name).append(" = ").append(TensorCase.render(e, names)).append('\n');
            names.put(e, name);
        }
    }

    /** The loss, the metrics and the stop condition's expression, in the order the model writes them. */
    List<TensorExpr> roots() {
        List<TensorExpr> roots = new ArrayList<>(List.of(core.loss()));
        if (core.metric() != null) {
            roots.add(core.metric());
        }
        roots.addAll(metrics);
        if (stop != null) {
            roots.add(stop.expr());
        }
        return roots;
    }

    /** The compiler's settings for this case. */
    ModelCompiler.Options options() {
        return new ModelCompiler.Options("", dtype).withMemoryBudget(memoryBudget);
    }

    /** How a failure shows the case: the options, the model, the values. */
    String describe() {
        String values = core.describe();
        values = values.substring(values.indexOf("\n//"));
        return "// " + dtype.label() + (memoryBudget > 0 ? ", --memory-budget " + memoryBudget : "") + ", "
                + training.steps() + (training.steps() == 1 ? " update" : " updates") + " checked, capacity "
                + (core.rows() + extraRows) + " rows\n" + modelText("M").strip() + values;
    }
}
