package dev.modelc.plan;

import dev.modelc.graph.Graphs;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Shape;
import java.util.List;

/**
 * What a training step costs, as linear functions of the batch size: floating-point
 * operations of forward and backward, and the bytes of the buffers a plan allocates.
 */
public final class Costs {
    private Costs() {
    }

    /** {@code fixed + perRow * batch}. */
    public record Linear(long fixed, long perRow) {
        public long at(long batch) {
            return fixed + perRow * batch;
        }

        public Linear plus(Linear other) {
            return new Linear(fixed + other.fixed, perRow + other.perRow);
        }

        public Linear times(long factor) {
            return new Linear(fixed * factor, perRow * factor);
        }

        @Override
        public String toString() {
            if (perRow == 0) {
                return Long.toString(fixed);
            }
            return fixed == 0 ? perRow + "·batch" : fixed + " + " + perRow + "·batch";
        }
    }

    /** Elements of a shape as a function of the batch size. */
    public static Linear elements(Shape shape) {
        long fixed = shape.sizeWithoutBatch();
        return shape.hasBatch() ? new Linear(0, fixed) : new Linear(fixed, 0);
    }

    /** Floating-point operations to compute every node under {@code roots} once. */
    public static Linear flops(List<Node> roots) {
        Linear total = new Linear(0, 0);
        for (Node node : Graphs.topologicalOrder(roots)) {
            total = total.plus(flops(node));
        }
        return total;
    }

    /**
     * One node's operations: an element each for elementwise ops and reductions, 2·m·k·n for a
     * matrix product, two per output pixel and kernel element for a convolution.
     */
    static Linear flops(Node node) {
        if (node.op() == Op.MATMUL) {
            int inner = node.input(0).shape().dim(1);
            if (inner == Shape.BATCH) {
                // a weight gradient, x^T @ g: fixed output, the batch is summed over
                return new Linear(0, 2L * node.shape().sizeWithoutBatch());
            }
            return elements(node.shape()).times(2L * inner);
        }
        if (node.op().kind() == Op.Kind.CONTRACTION) {
            // a convolution or an adjoint: per pixel of the convolution's result, a product with the kernel
            Shape y = node.op() == Op.CONV2D ? node.shape()
                    : node.op() == Op.CONV2D_INPUT ? node.input(0).shape() : node.input(1).shape();
            Shape k = node.op() == Op.CONV2D_KERNEL ? node.shape() : node.input(1).shape();
            return elements(y).times(2L * k.dim(1) * k.dim(2) * k.dim(3));
        }
        if (node.op().isElementwise()) {
            return elements(node.shape());
        }
        if (node.op().kind() == Op.Kind.REDUCTION || node.op().kind() == Op.Kind.INDEX) {
            return elements(node.input(0).shape());
        }
        return new Linear(0, 0);
    }

    /** Bytes of the params the optimizer updates, which have its state: all but batch_norm's running statistics. */
    public static Linear trainableParamBytes(ModelIr model, int bytesPerElement) {
        return bytes(model.trainableParams(), bytesPerElement);
    }

    /** Bytes of parameters, gradients and optimizer state for elements of {@code bytesPerElement}. */
    public static Linear paramBytes(ModelIr model, int bytesPerElement) {
        return bytes(model.params(), bytesPerElement);
    }

    private static Linear bytes(List<ModelIr.ParamSpec> params, int bytesPerElement) {
        Linear total = new Linear(0, 0);
        for (ModelIr.ParamSpec p : params) {
            total = total.plus(elements(p.shape()));
        }
        return total.times(bytesPerElement);
    }

    /** Bytes of the forward tensors a plan keeps for the backward pass; a stored scalar is a field, not counted. */
    public static Linear storedBytes(Plan plan, int bytesPerElement) {
        Linear total = new Linear(0, 0);
        for (Node node : plan.stored()) {
            if (!node.shape().isScalar()) {
                total = total.plus(elements(node.shape()));
            }
        }
        return total.times(bytesPerElement);
    }

    /** Bytes of the arrays a plan's tensor values would take with one array each (gradients excluded). */
    public static Linear bufferBytes(Plan plan, int bytesPerElement) {
        Linear total = new Linear(0, 0);
        for (Plan.Assignment a : plan.sequence()) {
            if (a.writesBuffer()) {
                total = total.plus(elements(a.node().shape()));
            }
        }
        return total.times(bytesPerElement);
    }

    /**
     * Bytes of the arrays one thread of a predictor holds for a pass of {@code batch} rows: the
     * planned arrays the outputs' statements write, and the rows of each input the outputs read
     * with the batch dimension, for a part of a larger prediction.
     */
    public static Linear predictorBytes(Plan plan, int bytesPerElement) {
        Linear total = new Linear(0, 0);
        int end = plan.predictionEnd();
        for (Buffers.Buffer buffer : plan.buffers()) {
            if (buffer.values().stream().anyMatch(v -> v.position() < end)) {
                total = total.plus(buffer.elements());
            }
        }
        total = total.times(bytesPerElement);
        java.util.Set<Node> read = new java.util.HashSet<>(dev.modelc.graph.Graphs.topologicalOrder(
                plan.model().outputs().stream().map(ModelIr.NamedValue::node).toList()));
        for (ModelIr.InputSpec input : plan.model().inputs()) {
            if (read.contains(input.node()) && input.shape().hasBatch()) {
                // An integer input (ids, labels) is held as ints whatever the model's dtype.
                total = total.plus(elements(input.shape()).times(input.integer() ? Integer.BYTES : bytesPerElement));
            }
        }
        return total;
    }

    /** Bytes of the arrays a plan allocates for its tensor values, shared where lifetimes allow. */
    public static Linear plannedBytes(Plan plan, int bytesPerElement) {
        Linear total = new Linear(0, 0);
        for (Buffers.Buffer buffer : plan.buffers()) {
            total = total.plus(buffer.elements());
        }
        return total.times(bytesPerElement);
    }
}
