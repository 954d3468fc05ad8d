package dev.modelc.graph;

/** The attribute of {@link Op#SLICE}: elements {@code from} (inclusive) to {@code to} (exclusive) along {@code axis}. */
public record Slice(int axis, int from, int to) {
    @Override
    public String toString() {
        return "axis=" + axis + ",from=" + from + ",to=" + to;
    }
}
