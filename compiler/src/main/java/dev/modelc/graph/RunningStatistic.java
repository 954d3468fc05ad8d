package dev.modelc.graph;

/**
 * The attribute of a {@link Op#TRAINING} that chooses between a batch statistic of
 * {@code batch_norm} and its running one, a param named {@code <gamma>.running_mean} or
 * {@code <gamma>.running_var}: after each training forward pass the running one becomes
 * {@code (1 - momentum) * running + momentum * batch}, the batch variance made unbiased first
 * (times {@code n / (n - 1)}, n the rows times {@code perRow}), as PyTorch's {@code BatchNorm1d}
 * and {@code BatchNorm2d} keep them.
 *
 * @param perRow the elements of a row each statistic is over: 1 for features, the pixels of an
 *               image ({@code height * width}) for its channels
 */
public record RunningStatistic(double momentum, boolean variance, int perRow) {
}
