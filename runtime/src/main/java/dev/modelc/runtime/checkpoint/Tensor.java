package dev.modelc.runtime.checkpoint;

import java.util.List;

/**
 * One tensor of a safetensors file: its element type ({@code "F32"} or {@code "F64"}, the
 * two modelc computes in), its shape (empty for a scalar), and its elements in row-major
 * order, held as doubles (an F32 value widens exactly, so nothing is lost).
 */
public record Tensor(String dtype, List<Integer> shape, double[] values) {
    public Tensor {
        shape = List.copyOf(shape);
        if (!dtype.equals("F32") && !dtype.equals("F64")) {
            throw new IllegalArgumentException("dtype must be F32 or F64, got " + dtype);
        }
        if (elements(shape) != values.length) {
            throw new IllegalArgumentException("shape " + shape + " needs " + elements(shape) + " values, got "
                    + values.length);
        }
    }

    /** Bytes per element of a dtype modelc reads, or 0 for any other. */
    static int itemSize(String dtype) {
        return switch (dtype) {
            case "F64" -> 8;
            case "F32" -> 4;
            default -> 0;
        };
    }

    int itemSize() {
        return itemSize(dtype);
    }

    long byteSize() {
        return (long) values.length * itemSize();
    }

    /** The element count of a shape: the product of its dimensions, 1 for a scalar. */
    static long elements(List<Integer> shape) {
        long count = 1;
        for (int d : shape) {
            try {
                count = Math.multiplyExact(count, d);
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }
        return count;
    }
}
