package dev.modelc.autodiff;

import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Shape;
import dev.modelc.graph.Slice;
import java.util.ArrayList;
import java.util.List;

/** Cotangents of ops that move elements by index. */
final class Indexes {
    private Indexes() {
    }

    /** The cotangent of a slice spread back over the sliced value: zeros before and after it along the axis. */
    static Node unslice(Node g, Shape shape, Slice slice) {
        int axis = slice.axis();
        Node result = g;
        if (slice.from() > 0) {
            result = Node.of(Op.CONCAT, List.of(axis), Node.fill(0, resized(shape, axis, slice.from())), result);
        }
        int after = shape.dim(axis) - slice.to();
        if (after > 0) {
            result = Node.of(Op.CONCAT, List.of(axis), result, Node.fill(0, resized(shape, axis, after)));
        }
        return result;
    }

    private static Shape resized(Shape shape, int axis, int size) {
        List<Integer> dims = new ArrayList<>(shape.dims());
        dims.set(axis, size);
        return new Shape(dims);
    }
}
