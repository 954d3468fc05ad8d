package dev.modelc.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The dimensions of a value, outermost first; {@link #BATCH} marks the batch dimension,
 * whose size is bound at run time. Values are stored flat in row-major order.
 */
public record Shape(List<Integer> dims) {
    public static final int BATCH = -1;
    /** The most dimensions a value may have; generated loops name their indices i0 to i7. */
    public static final int MAX_RANK = 8;
    public static final Shape SCALAR = new Shape(List.of());

    public Shape {
        dims = List.copyOf(dims);
    }

    public static Shape of(Integer... dims) {
        return new Shape(List.of(dims));
    }

    public int rank() {
        return dims.size();
    }

    public int dim(int axis) {
        return dims.get(axis);
    }

    public boolean isScalar() {
        return dims.isEmpty();
    }

    public boolean hasBatch() {
        return dims.contains(BATCH);
    }

    /** The number of elements, counting the batch dimension as {@code rows}. */
    public long size(int rows) {
        long size = 1;
        for (int d : dims) {
            size *= d == BATCH ? rows : d;
        }
        return size;
    }

    /** The number of elements apart from the batch dimension. */
    public long sizeWithoutBatch() {
        return size(1);
    }

    /** This shape without the given axis. */
    public Shape without(int axis) {
        List<Integer> rest = new ArrayList<>(dims);
        rest.remove(axis);
        return new Shape(rest);
    }

    /** This shape with the given axis set to 1, as a reduction with kept dimensions leaves it. */
    public Shape keeping(List<Integer> axes) {
        List<Integer> kept = new ArrayList<>(dims);
        for (int axis : axes) {
            kept.set(axis, 1);
        }
        return new Shape(kept);
    }

    /** This shape without the given axes. */
    public Shape removing(List<Integer> axes) {
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < dims.size(); i++) {
            if (!axes.contains(i)) {
                rest.add(dims.get(i));
            }
        }
        return new Shape(rest);
    }

    /**
     * NumPy broadcasting: the shapes aligned on the right, each pair of dimensions equal or one
     * of them 1; null when they do not broadcast.
     */
    public static Shape broadcast(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            int da = a.fromRight(rank - 1 - i);
            int db = b.fromRight(rank - 1 - i);
            if (da == db || db == 1) {
                dims.add(da);
            } else if (da == 1) {
                dims.add(db);
            } else {
                return null;
            }
        }
        return new Shape(dims);
    }

    /** The dimension {@code fromRight} places from the last (0 is the last); 1 beyond the first. */
    public int fromRight(int fromRight) {
        int index = rank() - 1 - fromRight;
        return index >= 0 ? dim(index) : 1;
    }

    @Override
    public String toString() {
        return dims.stream().map(Shape::dimText).collect(Collectors.joining(", ", "[", "]"));
    }

    public static String dimText(int dim) {
        return dim == BATCH ? "batch" : Integer.toString(dim);
    }
}
