package dev.modelc.autodiff;

import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Shape;
import java.util.ArrayList;
import java.util.List;

/** Moving cotangents between a broadcast shape and the shape of the value that was broadcast. */
final class Broadcasts {
    private Broadcasts() {
    }

    /**
     * Sums {@code g} down to {@code shape}: over every axis for a scalar, over the axes that
     * were expanded from size 1 otherwise.
     */
    static Node sumTo(Node g, Shape shape) {
        Shape from = g.shape();
        if (from.equals(shape)) {
            return g;
        }
        if (shape.isScalar()) {
            return Node.of(Op.SUM, allAxes(from), g);
        }
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < shape.rank(); i++) {
            if (shape.dim(i) == 1 && from.dim(i) != 1) {
                axes.add(i);
            }
        }
        return Node.of(Op.RESHAPE, shape, Node.of(Op.SUM, List.copyOf(axes), g));
    }

    /** Spreads {@code g}, the result of reducing {@code axes} of a {@code shape} value, back over it. */
    static Node unreduce(Node g, Shape shape, List<Integer> axes) {
        if (g.shape().isScalar()) {
            return Node.of(Op.EXPAND, shape, g);
        }
        return Node.of(Op.EXPAND, shape, Node.of(Op.RESHAPE, shape.keeping(axes), g));
    }

    static List<Integer> allAxes(Shape shape) {
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < shape.rank(); i++) {
            axes.add(i);
        }
        return List.copyOf(axes);
    }
}
