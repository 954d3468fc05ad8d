package dev.modelc.graph;

import java.util.List;

/**
 * Normalization built from primitive ops, so that its derivative is the chain rule through
 * rules proved already: a mean and a variance over an axis, kept with size 1, and the value
 * centered and scaled by them.
 */
public final class Normalization {
    /** The suffix of the param that keeps a batch norm's running mean, after its gamma's name. */
    public static final String RUNNING_MEAN = ".running_mean";
    /** The suffix of the param that keeps a batch norm's running variance, after its gamma's name. */
    public static final String RUNNING_VAR = ".running_var";

    private Normalization() {
    }

    /** Whether a param is a running statistic, kept by training forward passes rather than by the optimizer. */
    public static boolean isRunning(String param) {
        return param.endsWith(RUNNING_MEAN) || param.endsWith(RUNNING_VAR);
    }

    /** The initial value of a running statistic: a mean of 0, a variance of 1, as PyTorch's. */
    public static double initialValue(String param) {
        return param.endsWith(RUNNING_VAR) ? 1 : 0;
    }

    /**
     * {@code (x - mean) / sqrt(var + eps) * gamma + beta} for each feature of {@code [batch,
     * features]} over the rows, or for each channel of images {@code [batch, channels, height,
     * width]} over the rows and the pixels, as PyTorch's {@code BatchNorm1d} and {@code
     * BatchNorm2d}: in training the batch's mean and biased variance, which gradients flow
     * through; in prediction and evaluation the running mean and variance, params named after
     * gamma ({@link #RUNNING_MEAN}, {@link #RUNNING_VAR}, of shape {@code [features]} or {@code
     * [channels]}) that no optimizer updates. An image's statistics are reshaped to {@code
     * [channels, 1, 1]}, which broadcasts over its pixels, as gamma and beta do.
     */
    public static Node batchNorm(Node x, Node gamma, Node beta, double momentum, double eps) {
        String name = gamma.name();
        boolean images = x.shape().rank() == 4;
        int perRow = images ? x.shape().dim(2) * x.shape().dim(3) : 1;
        Node batchMean = images ? imageMean(x) : Library.mean(x, 0, false);
        Node mean = Node.of(Op.TRAINING, new RunningStatistic(momentum, false, perRow), batchMean,
                Node.param(name + RUNNING_MEAN, batchMean.shape()));
        Node centered = Library.elementwise(Op.ADD, x, Node.of(Op.NEG, perChannel(mean, x)));
        Node squares = Node.of(Op.MUL, centered, centered);
        Node batchVariance = images ? imageMean(squares) : Library.mean(squares, 0, false);
        Node variance = Node.of(Op.TRAINING, new RunningStatistic(momentum, true, perRow), batchVariance,
                Node.param(name + RUNNING_VAR, batchVariance.shape()));
        Node scale = Node.of(Op.RECIP, Node.of(Op.SQRT, Library.elementwise(Op.ADD, variance, Node.constant(eps))));
        Node normalized = Library.elementwise(Op.MUL, centered, perChannel(scale, x));
        return Library.elementwise(Op.ADD, Library.elementwise(Op.MUL, normalized, gamma), beta);
    }

    /** The mean of images {@code [batch, channels, height, width]} over all but the channels: {@code [channels]}. */
    private static Node imageMean(Node x) {
        Node sum = Node.of(Op.SUM, List.of(0, 2, 3), x);
        Node count = Node.of(Op.MUL, Node.constant(x.shape().dim(2) * x.shape().dim(3)), Node.batchSize());
        return Node.of(Op.MUL, sum, Node.of(Op.RECIP, count));
    }

    /** A statistic of images' channels, {@code [channels]}, as {@code [channels, 1, 1]}; of features, as it is. */
    private static Node perChannel(Node statistic, Node x) {
        if (x.shape().rank() != 4) {
            return statistic;
        }
        return Node.of(Op.RESHAPE, Shape.of(x.shape().dim(1), 1, 1), statistic);
    }

    /**
     * What a running statistic becomes after a training forward pass: {@code (1 - momentum) *
     * running + momentum * batch}, a batch variance made unbiased first ({@code n / (n - 1)}, n
     * the elements each statistic is over: the rows, times the pixels of an image; 1 for a single
     * element), as PyTorch updates it.
     */
    public static Node runningUpdate(Node choice) {
        RunningStatistic statistic = (RunningStatistic) choice.attribute();
        Node batch = choice.input(0);
        if (statistic.variance()) {
            Node rows = statistic.perRow() == 1 ? Node.batchSize()
                    : Node.of(Op.MUL, Node.constant(statistic.perRow()), Node.batchSize());
            Node less = Library.maximum(Node.of(Op.ADD, rows, Node.constant(-1)), Node.constant(1));
            batch = Library.elementwise(Op.MUL, batch, Node.of(Op.MUL, rows, Node.of(Op.RECIP, less)));
        }
        Node kept = Library.elementwise(Op.MUL, choice.input(1), Node.constant(1 - statistic.momentum()));
        return Library.elementwise(Op.ADD, kept, Library.elementwise(Op.MUL, batch,
                Node.constant(statistic.momentum())));
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
