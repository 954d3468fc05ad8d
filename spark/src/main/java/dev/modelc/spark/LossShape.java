package dev.modelc.spark;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import java.util.Arrays;

/**
 * How a model's loss over a batch is made of its parts over pieces of the batch, which decides
 * how the partitions' gradients add up. Data-parallel training is exact (up to the order of the
 * additions) for a loss that is the mean of per-row terms, plus terms that do not depend on the
 * rows (such as a weight penalty): the batch's gradient is the row-weighted mean of the pieces'
 * gradients. A loss that is the sum of per-row terms adds the pieces' gradients as they are. Any
 * other loss (one that takes the largest row's term, or normalizes over the batch) is not made of
 * its pieces this way, and is refused.
 *
 * <p>The shape is found by trying: the loss and gradients over a few rows, against the same over
 * the two halves of those rows.
 */
enum LossShape {
    MEAN, SUM;

    /** The most rows tried. */
    static final int PROBE_ROWS = 64;

    /**
     * Finds the shape of the loss of {@code probe}'s class from {@code rows} rows (at least 2)
     * of {@code inputs}, at the probe's parameters.
     *
     * @throws IllegalArgumentException when the loss is neither a mean nor a sum over the rows, saying so
     */
    static LossShape of(TrainableModel probe, Object[] inputs, int rows) {
        int half = rows / 2;
        Pass all = pass(probe, inputs, 0, rows);
        Pass first = pass(probe, inputs, 0, half);
        Pass second = pass(probe, inputs, half, rows);
        double tolerance = probe.signature().dtype().equals("f32") ? 1e-3 : 1e-9;
        if (all.matches(first.weighted(half).plus(second.weighted(rows - half)).weighted(1.0 / rows), tolerance)) {
            return MEAN;
        }
        if (all.matches(first.plus(second), tolerance)) {
            return SUM;
        }
        ModelSignature s = probe.signature();
        throw new IllegalArgumentException("the loss " + s.loss() + " of " + s.name() + " is not a mean (or a sum) "
                + "of one term per row: over " + rows + " rows it is " + all.loss + ", but the mean of its values "
                + "over the two halves, weighted by their rows, is " + (first.loss * half + second.loss
                * (rows - half)) / rows + ". Training on Spark adds up the gradients of the partitions' shares of a "
                + "batch, which gives the batch's gradient only for such losses; a loss that takes, say, the "
                + "largest row's term (max over the batch) cannot be split that way");
    }

    /** A loss and its gradients, all parameter elements in one array. */
    private record Pass(double loss, double[] gradients) {
        Pass weighted(double w) {
            double[] g = gradients.clone();
            for (int k = 0; k < g.length; k++) {
                g[k] *= w;
            }
            return new Pass(loss * w, g);
        }

        Pass plus(Pass other) {
            double[] g = gradients.clone();
            for (int k = 0; k < g.length; k++) {
                g[k] += other.gradients[k];
            }
            return new Pass(loss + other.loss, g);
        }

        boolean matches(Pass other, double tolerance) {
            double scale = Math.abs(loss);
            for (double g : gradients) {
                scale = Math.max(scale, Math.abs(g));
            }
            double limit = tolerance * scale + 1e-300;
            if (!(Math.abs(loss - other.loss) <= limit)) {
                return false;
            }
            for (int k = 0; k < gradients.length; k++) {
                if (!(Math.abs(gradients[k] - other.gradients[k]) <= limit)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static Pass pass(TrainableModel model, Object[] inputs, int from, int to) {
        Object[] part = new Object[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            part[i] = slice(inputs[i], from, to, model.signature().inputs().get(i).rowSize());
        }
        model.bind(part, to - from);
        double loss = model.forward();
        model.backward();
        double[] gradients = new double[ModelClasses.params(model).length];
        int at = 0;
        for (int p = 0; p < model.signature().params().size(); p++) {
            for (int i = 0, size = model.signature().params().get(p).size(); i < size; i++) {
                gradients[at++] = model.gradient(p, i);
            }
        }
        return new Pass(loss, gradients);
    }

    private static Object slice(Object array, int from, int to, int width) {
        if (array instanceof double[] d) {
            return Arrays.copyOfRange(d, from * width, to * width);
        }
        if (array instanceof float[] f) {
            return Arrays.copyOfRange(f, from * width, to * width);
        }
        return Arrays.copyOfRange((int[]) array, from * width, to * width);
    }
}
