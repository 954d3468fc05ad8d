package dev.modelc.plan;

import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The lifetime of every tensor value a plan computes, over the forward pass and then the
 * backward pass: from the statement that writes it to the last statement that reads it, so a
 * stored value lives until its last use in the backward pass; a named value lives at least to
 * the end of the forward pass, so that it can be read once the pass is done, unless it is
 * recomputed. A statement's inputs are live
 * while it runs, so it never writes an array it reads, except in the one safe case: an
 * elementwise loop that reads an operand of its own shape at the element it writes
 * ({@code a[i] = f(a[i])}). Reads are found the way code generation finds them: a node
 * without a variable is computed inline, so its own inputs are read instead.
 */
final class Liveness {
    /** The position of an assignment whose variable is not an array the plan allocates. */
    private static final int UNPLANNED = -1;

    private Liveness() {
    }

    /** A read of the value written at {@code position}; {@code inPlace} when at the element being written. */
    private record Read(int position, boolean inPlace) {
    }

    static List<Buffers.Value> of(Plan schedule) {
        List<Plan.Assignment> sequence = schedule.sequence();
        Map<Node, Integer> holders = new HashMap<>();
        int[] end = new int[sequence.size()];
        Arrays.fill(end, -1);
        for (int p = 0; p < sequence.size(); p++) {
            if (p == schedule.forward().size()) {
                // The backward pass computes these again into variables of its own.
                schedule.recomputed().forEach(holders::remove);
            }
            Plan.Assignment a = sequence.get(p);
            for (Read read : reads(a.node(), holders)) {
                if (read.position() != UNPLANNED) {
                    end[read.position()] = Math.max(end[read.position()], read.inPlace() ? 2 * p : 2 * p + 1);
                }
            }
            if (a.writesBuffer()) {
                end[p] = Math.max(end[p], 2 * p + 1);
            }
            if (a.writesBuffer() && keptToTheEnd(a, schedule) && p < schedule.forward().size()) {
                end[p] = Math.max(end[p], 2 * schedule.forward().size() - 1);
            }
            if (!a.node().op().isLeaf()) {
                holders.putIfAbsent(a.node(), a.writesBuffer() ? p : UNPLANNED);
            }
        }
        List<Buffers.Value> values = new ArrayList<>();
        for (int p = 0; p < sequence.size(); p++) {
            if (sequence.get(p).writesBuffer()) {
                values.add(new Buffers.Value(p, sequence.get(p), 2 * p + 1, end[p]));
            }
        }
        return values;
    }

    /**
     * Whether a forward value lives to the end of the forward pass even when nothing reads it
     * there: a named value, unless the backward pass is to compute it again (that is what
     * {@code recompute} saves); an output always, for {@code predict} to copy.
     */
    private static boolean keptToTheEnd(Plan.Assignment a, Plan schedule) {
        if (a.role() != Plan.Role.VALUE) {
            return false;
        }
        return a.origin().kind() == dev.modelc.graph.ModelIr.NamedValue.Kind.OUTPUT
                || !schedule.recomputed().contains(a.node());
    }

    /** The variables the statement computing {@code node} reads. */
    private static List<Read> reads(Node node, Map<Node, Integer> holders) {
        List<Read> reads = new ArrayList<>();
        if (holders.containsKey(node)) {
            // Computed already under another name: a copy.
            reads.add(new Read(holders.get(node), false));
            return reads;
        }
        if (node.op().kind() == Op.Kind.CONTRACTION) {
            for (Node operand : node.inputs()) {
                Node base = operand.op() == Op.TRANSPOSE ? operand.input(0) : operand;
                while (!holders.containsKey(base) && base.op() == Op.RESHAPE) {
                    base = base.input(0);
                }
                if (holders.containsKey(base)) {
                    reads.add(new Read(holders.get(base), false));
                }
            }
            return reads;
        }
        Deque<Node> work = new ArrayDeque<>();
        Deque<Boolean> sameElement = new ArrayDeque<>();
        for (Node input : node.inputs()) {
            work.push(input);
            sameElement.push(node.op().isElementwise());
        }
        while (!work.isEmpty()) {
            Node n = work.pop();
            boolean same = sameElement.pop();
            if (holders.containsKey(n)) {
                reads.add(new Read(holders.get(n), same && n.shape().equals(node.shape())));
            } else if (!n.op().isLeaf()) {
                for (Node input : n.inputs()) {
                    work.push(input);
                    sameElement.push(same && n.op().isElementwise());
                }
            }
        }
        return reads;
    }
}
