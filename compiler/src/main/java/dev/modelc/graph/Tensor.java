package dev.modelc.graph;

import java.util.Arrays;

/** A value of the reference interpreter: concrete dimensions and row-major double data. */
public record Tensor(int[] dims, double[] data) {

    public static Tensor scalar(double value) {
        return new Tensor(new int[0], new double[] {value});
    }

    public int size() {
        return data.length;
    }

    public int rank() {
        return dims.length;
    }

    /** Row-major strides of these dimensions. */
    public static int[] strides(int[] dims) {
        int[] strides = new int[dims.length];
        int stride = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= dims[i];
        }
        return strides;
    }

    /** Concrete dimensions of a shape for {@code rows} rows. */
    public static int[] dims(Shape shape, int rows) {
        return shape.dims().stream().mapToInt(d -> d == Shape.BATCH ? rows : d).toArray();
    }

    public static int size(int[] dims) {
        int size = 1;
        for (int d : dims) {
            size *= d;
        }
        return size;
    }

    /** The multi-index of flat position {@code flat} within {@code dims}. */
    public static int[] unflatten(int flat, int[] dims) {
        int[] index = new int[dims.length];
        for (int i = dims.length - 1; i >= 0; i--) {
            index[i] = flat % dims[i];
            flat /= dims[i];
        }
        return index;
    }

    @Override
    public String toString() {
        return Arrays.toString(dims) + Arrays.toString(data);
    }
}
