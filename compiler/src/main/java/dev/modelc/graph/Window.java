package dev.modelc.graph;

/**
 * The attribute of the convolution ops: the kernel's {@code stride} and the zeros of
 * {@code padding} on each side of the height and the width; and for the two adjoints
 * ({@link Op#CONV2D_INPUT}, {@link Op#CONV2D_KERNEL}) the shape of their result, which their
 * operands do not fix (the output size rounds down). Null for {@link Op#CONV2D}.
 */
public record Window(int stride, int padding, Shape result) {
    /** A convolution's window. */
    public static Window of(int stride, int padding) {
        return new Window(stride, padding, null);
    }

    /** The same window, for an adjoint whose result has {@code shape}. */
    public Window to(Shape shape) {
        return new Window(stride, padding, shape);
    }

    /** Output pixels along a side of {@code size} elements for a kernel side of {@code kernel}. */
    public int outSize(int size, int kernel) {
        return (size + 2 * padding - kernel) / stride + 1;
    }

    @Override
    public String toString() {
        return "stride=" + stride + ",padding=" + padding + (result == null ? "" : ",to=" + result);
    }
}
