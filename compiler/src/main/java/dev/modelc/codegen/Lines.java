package dev.modelc.codegen;

import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.plan.Plan;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The forward pass cut into lines: the statements of each named value (or of the stop
 * condition), in the order the pass runs them. Each line becomes a method of its own, which
 * {@code forward}, {@code predict} and the search for the first non-finite value call in turn.
 */
final class Lines {
    /**
     * The statements at positions {@code from} (inclusive) to {@code to} (exclusive) of the
     * forward pass, computing {@code origin}, or the stop condition when it is null.
     */
    record Line(ModelIr.NamedValue origin, int from, int to) {
        boolean contains(int position) {
            return position >= from && position < to;
        }
    }

    private Lines() {
    }

    /** Runs of statements with the same origin, in order. */
    static List<Line> of(Plan plan) {
        List<Line> lines = new ArrayList<>();
        List<Plan.Assignment> forward = plan.forward();
        int from = 0;
        for (int p = 1; p <= forward.size(); p++) {
            if (p == forward.size() || forward.get(p).origin() != forward.get(from).origin()) {
                lines.add(new Line(forward.get(from).origin(), from, p));
                from = p;
            }
        }
        return lines;
    }

    /**
     * The scalar temporaries of the forward pass that a statement of another line reads: they
     * must be fields, where a local of their own line's method would be out of reach.
     */
    static Set<Node> readAcrossLines(Plan plan) {
        Map<Node, Line> lineOf = new HashMap<>();
        Set<Node> across = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Line line : of(plan)) {
            for (int p = line.from(); p < line.to(); p++) {
                Plan.Assignment a = plan.forward().get(p);
                // A value computed already, under another name, is copied from where it was computed.
                List<Node> reads = lineOf.containsKey(a.node()) ? List.of(a.node()) : reads(a.node(),
                        plan.materialized());
                for (Node read : reads) {
                    Line writer = lineOf.get(read);
                    if (writer != null && writer != line && read.shape().isScalar()) {
                        across.add(read);
                    }
                }
                lineOf.putIfAbsent(a.node(), line);
            }
        }
        return across;
    }

    /** The materialized nodes a statement computing {@code node} reads, through the nodes it computes inline. */
    static List<Node> reads(Node node, Set<Node> materialized) {
        List<Node> reads = new ArrayList<>();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> work = new ArrayDeque<>(node.inputs());
        while (!work.isEmpty()) {
            Node input = work.pop();
            if (!seen.add(input) || input.op().isLeaf()) {
                continue;
            }
            if (materialized.contains(input)) {
                reads.add(input);
            } else {
                input.inputs().forEach(work::push);
            }
        }
        return reads;
    }
}
