package dev.modelc.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Assigns the plan's tensor values to arrays. Values whose lifetimes do not overlap may share
 * an array: largest first, each value goes into the first array, oldest first, none of whose
 * values it overlaps, else into a new array of its own size (greedy interval colouring by
 * size). Arrays sized by the batch and arrays of fixed size are never shared with each other,
 * so that each array's size stays one term of {@link Costs.Linear}.
 */
public final class Buffers {
    private Buffers() {
    }

    /**
     * A tensor value and its lifetime on a timeline of half-steps: the assignment at position
     * {@code p} reads at {@code 2p} what it reads element by element in place, everything else
     * during {@code 2p + 1}, when it also writes. A value lives from its write to its last read.
     */
    public record Value(int position, Plan.Assignment assignment, int start, int end) {
        public Costs.Linear elements() {
            return Costs.elements(assignment.node().shape());
        }

        boolean overlaps(Value other) {
            return start <= other.end && other.start <= end;
        }
    }

    /**
     * One array and the values that take turns in it, in order of position; {@code owner} is
     * the largest, the value whose variable the array is allocated for.
     */
    public record Buffer(int number, Costs.Linear elements, Value owner, List<Value> values) {
        boolean fits(Value candidate) {
            return elements.perRow() > 0 == candidate.elements().perRow() > 0
                    && values.stream().noneMatch(candidate::overlaps);
        }
    }

    /** An array for every value, as without planning. */
    static List<Buffer> unshared(List<Value> values) {
        List<Buffer> buffers = new ArrayList<>();
        for (Value v : values) {
            buffers.add(new Buffer(buffers.size() + 1, v.elements(), v, List.of(v)));
        }
        return buffers;
    }

    /** Arrays shared by values whose lifetimes do not overlap. */
    static List<Buffer> shared(List<Value> values) {
        List<Value> largestFirst = new ArrayList<>(values);
        largestFirst.sort(Comparator.comparingLong((Value v) -> -v.elements().perRow())
                .thenComparingLong(v -> -v.elements().fixed())
                .thenComparingInt(Value::position));
        List<List<Value>> groups = new ArrayList<>();
        for (Value v : largestFirst) {
            List<Value> home = null;
            for (List<Value> group : groups) {
                Buffer tried = new Buffer(0, group.get(0).elements(), group.get(0), group);
                if (tried.fits(v)) {
                    home = group;
                    break;
                }
            }
            if (home == null) {
                home = new ArrayList<>();
                groups.add(home);
            }
            home.add(v);
        }
        // Number the arrays in order of their first value, so that the text reads in program order.
        groups.sort(Comparator.comparingInt(g -> g.stream().mapToInt(Value::position).min().orElseThrow()));
        List<Buffer> buffers = new ArrayList<>();
        for (List<Value> group : groups) {
            List<Value> inOrder = new ArrayList<>(group);
            inOrder.sort(Comparator.comparingInt(Value::position));
            buffers.add(new Buffer(buffers.size() + 1, group.get(0).elements(), group.get(0), List.copyOf(inOrder)));
        }
        return buffers;
    }
}
