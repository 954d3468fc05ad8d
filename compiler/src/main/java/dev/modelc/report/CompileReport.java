package dev.modelc.report;

import dev.modelc.ModelCompiler;
import dev.modelc.graph.Graphs;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.plan.Costs;
import dev.modelc.plan.Memory;
import dev.modelc.plan.Plan;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code modelc compile --report} prints: rewrites applied, op counts, FLOPs and memory per step. */
public final class CompileReport {
    private CompileReport() {
    }

    public static String of(ModelCompiler.Result result, int bytesPerElement) {
        StringBuilder out = new StringBuilder();
        ModelIr model = result.simplified();
        Plan plan = result.plan();
        out.append("model ").append(model.name()).append(" (").append(result.source().displayName()).append(")\n");
        out.append("\nrewrites applied:\n");
        if (result.rewrites().isEmpty()) {
            out.append("  none\n");
        }
        result.rewrites().forEach((rule, count) -> out.append(String.format(Locale.ROOT, "  %4d  %s%n", count, rule)));
        List<Node> forwardRoots = new ArrayList<>();
        model.values().forEach(v -> forwardRoots.add(v.node()));
        model.stop().ifPresent(c -> forwardRoots.add(c.node()));
        List<Node> backwardRoots = new ArrayList<>(model.gradients().values());
        out.append("\nops (forward / forward and backward):\n");
        Map<Op, int[]> counts = new EnumMap<>(Op.class);
        Graphs.topologicalOrder(forwardRoots).forEach(n -> counts.computeIfAbsent(n.op(), o -> new int[2])[0]++);
        Graphs.topologicalOrder(model.roots()).forEach(n -> counts.computeIfAbsent(n.op(), o -> new int[2])[1]++);
        counts.forEach((op, c) -> {
            if (!op.isLeaf()) {
                out.append(String.format(Locale.ROOT, "  %-10s %4d / %d%n", op.mnemonic(), c[0], c[1]));
            }
        });
        Costs.Linear forward = Costs.flops(forwardRoots);
        Costs.Linear step = Costs.flops(model.roots());
        out.append("\nFLOPs per step: forward ").append(forward).append(", forward and backward ").append(step)
                .append('\n');
        out.append("\nmemory (bytes, ").append(bytesPerElement * 8).append("-bit elements):\n");
        Memory memory = Memory.of(plan, bytesPerElement);
        out.append("  params              ").append(memory.params()).append('\n');
        out.append("  gradients           ").append(memory.gradients()).append('\n');
        out.append("  optimizer state     ").append(memory.optimizerState()).append('\n');
        out.append("  stored activations  ").append(memory.stored()).append('\n');
        out.append("  activation arrays   ").append(memory.naive()).append(" one per value, ")
                .append(memory.planned()).append(" planned (").append(plan.buffers().size()).append(" arrays)\n");
        out.append("  total               ").append(memory.totalNaive()).append(" one per value, ")
                .append(memory.totalPlanned()).append(" planned\n");
        if (!plan.recomputed().isEmpty()) {
            out.append("  recomputed in the backward pass: ").append(plan.recomputed().size())
                    .append(plan.recomputed().size() == 1 ? " value\n" : " values\n");
        }
        return out.toString();
    }
}
