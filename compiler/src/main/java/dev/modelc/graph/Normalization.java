package dev.modelc.graph;

/**
 * Normalization built from primitive ops, so that its derivative is the chain rule through
 * rules proved already: a mean and a variance over an axis, kept with size 1, and the value
 * centered and scaled by them.
 */
public final class Normalization {
    private Normalization() {
    }

    /**
     * {@code (x - mean) / sqrt(var + eps) * gamma + beta} over x's last axis, the variance the
     * biased one (divided by n), as PyTorch's {@code LayerNorm}.
     */
    public static Node layerNorm(Node x, Node gamma, Node beta, double eps) {
        int last = x.shape().rank() - 1;
        Node centered = Library.elementwise(Op.ADD, x, Node.of(Op.NEG, Library.mean(x, last, true)));
        Node variance = Library.mean(Node.of(Op.MUL, centered, centered), last, true);
        Node scale = Node.of(Op.RECIP, Node.of(Op.SQRT, Library.elementwise(Op.ADD, variance, Node.constant(eps))));
        Node normalized = Library.elementwise(Op.MUL, centered, scale);
        return Library.elementwise(Op.ADD, Library.elementwise(Op.MUL, normalized, gamma), beta);
    }
}
