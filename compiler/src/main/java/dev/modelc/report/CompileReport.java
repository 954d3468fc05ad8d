package dev.modelc.report;

import dev.modelc.ModelCompiler;
import dev.modelc.codegen.UpdateRules;
import dev.modelc.graph.Graphs;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.plan.Costs;
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
        Costs.Linear params = Costs.paramBytes(model, bytesPerElement);
        out.append("  params              ").append(params).append('\n');
        out.append("  gradients           ").append(params).append('\n');
        int stateKinds = UpdateRules.stateKinds(model.train()).size();
        if (stateKinds > 0) {
            Costs.Linear state = new Costs.Linear(params.fixed() * stateKinds, params.perRow() * stateKinds);
            out.append("  optimizer state     ").append(state).append('\n');
        }
        out.append("  stored activations  ").append(Costs.storedBytes(plan, bytesPerElement)).append('\n');
        out.append("  all buffers         ").append(Costs.bufferBytes(plan, bytesPerElement)).append('\n');
        return out.toString();
    }
}
