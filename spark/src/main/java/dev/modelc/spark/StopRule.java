package dev.modelc.spark;

import dev.modelc.runtime.ModelSignature;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model's {@code stop when} condition, checked on the driver against a step's loss and
 * metrics as all partitions computed them together. A generated model checks its condition in
 * its own forward pass, over the rows it was given; on Spark no model sees the whole batch, so
 * only a condition that compares the loss or a metric with a number can be checked, and any
 * other is refused before training.
 */
final class StopRule {
    private static final Pattern COMPARISON = Pattern.compile(
            "\\s*([\\p{L}_][\\p{L}\\p{N}_]*)\\s*(<=|>=|==|!=|<|>)\\s*([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)\\s*");

    private final int metric;
    private final String operator;
    private final double bound;

    private StopRule(int metric, String operator, double bound) {
        this.metric = metric;
        this.operator = operator;
        this.bound = bound;
    }

    /**
     * The rule of a model's condition, or null when it has none.
     *
     * @throws IllegalArgumentException for a condition that is not a comparison of the loss or a metric with a number
     */
    static StopRule of(ModelSignature signature) {
        if (!signature.hasStopCondition()) {
            return null;
        }
        if (signature.train() != null && signature.train().heldOutStop() != null) {
            throw new IllegalArgumentException("`stop when " + signature.stopCondition() + "` watches the held-out "
                    + "rows once an epoch, which training on Spark does not do yet; train on one machine");
        }
        Matcher m = COMPARISON.matcher(signature.stopCondition());
        if (m.matches()) {
            String name = m.group(1);
            int metric = name.equals(signature.loss()) ? -1 : signature.metrics().indexOf(name);
            if (metric >= 0 || name.equals(signature.loss())) {
                return new StopRule(metric, m.group(2), Double.parseDouble(m.group(3)));
            }
        }
        throw new IllegalArgumentException("`stop when " + signature.stopCondition() + "` cannot be checked on "
                + "Spark: no model sees a whole batch there, so the condition must compare the loss or a metric "
                + "with a number, as in `stop when " + signature.loss() + " < 0.01`");
    }

    /** Whether the condition holds for a step's loss and metrics. */
    boolean holds(double loss, double[] metrics) {
        double value = metric < 0 ? loss : metrics[metric];
        return switch (operator) {
            case "<" -> value < bound;
            case "<=" -> value <= bound;
            case ">" -> value > bound;
            case ">=" -> value >= bound;
            case "==" -> value == bound;
            default -> value != bound;
        };
    }
}
