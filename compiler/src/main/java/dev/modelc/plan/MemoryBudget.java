package dev.modelc.plan;

import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A limit on the bytes of a plan's activation arrays at a batch size, met by having the
 * backward pass recompute stored values instead of keeping them: the largest stored value
 * first, kept only when it makes the arrays smaller, until they fit.
 */
public final class MemoryBudget {
    private final long bytes;
    private final int rows;
    private final int bytesPerElement;

    /** A budget of {@code bytes} for batches of {@code rows} rows of {@code bytesPerElement}-byte elements. */
    public MemoryBudget(long bytes, int rows, int bytesPerElement) {
        this.bytes = bytes;
        this.rows = rows;
        this.bytesPerElement = bytesPerElement;
    }

    /** The bytes of the plan's activation arrays at this budget's batch size. */
    public long cost(Plan plan) {
        return Costs.plannedBytes(plan, bytesPerElement).at(rows);
    }

    public boolean fits(Plan plan) {
        return cost(plan) <= bytes;
    }

    /**
     * The plan that recomputes {@code recompute} and as few more values as it takes to fit;
     * if nothing fits, the smallest plan found.
     */
    public Plan smallest(ModelIr model, boolean shareBuffers, Set<Node> recompute) {
        Set<Node> chosen = new LinkedHashSet<>(recompute);
        Plan best = Planner.plan(model, shareBuffers, chosen);
        Set<Node> tried = new HashSet<>();
        boolean improved = true;
        while (!fits(best) && improved) {
            improved = false;
            for (Node candidate : candidates(best)) {
                if (!tried.add(candidate)) {
                    continue;
                }
                chosen.add(candidate);
                Plan plan = Planner.plan(model, shareBuffers, chosen);
                if (cost(plan) < cost(best)) {
                    best = plan;
                    improved = true;
                    break;
                }
                chosen.remove(candidate);
            }
        }
        return best;
    }

    /** Why {@code plan}, the smallest found, does not fit. */
    public String shortfall(Plan plan) {
        return String.format(Locale.ROOT, "the activation arrays need at least %d bytes for batches of %d rows, "
                + "more than the memory budget of %d bytes", cost(plan), rows, bytes);
    }

    /** Stored tensors, largest first, in the order the plan stores them among equals. */
    private static List<Node> candidates(Plan plan) {
        List<Node> candidates = new ArrayList<>();
        for (Node node : plan.stored()) {
            if (!node.shape().isScalar()) {
                candidates.add(node);
            }
        }
        candidates.sort(Comparator.comparingLong((Node n) -> -Costs.elements(n.shape()).perRow())
                .thenComparingLong(n -> -Costs.elements(n.shape()).fixed()));
        return candidates;
    }
}
