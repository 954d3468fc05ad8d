package dev.modelc.graph;

import java.util.List;
import java.util.stream.Collectors;

/** The dimensions of a value; {@link #BATCH} marks the batch dimension bound at run time. */
public record Shape(List<Integer> dims) {
    public static final int BATCH = -1;
    public static final Shape SCALAR = new Shape(List.of());

    public Shape {
        dims = List.copyOf(dims);
    }

    public int rank() {
        return dims.size();
    }

    public boolean isScalar() {
        return dims.isEmpty();
    }

    @Override
    public String toString() {
        return dims.stream().map(d -> d == BATCH ? "batch" : Integer.toString(d))
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
