package dev.modelc.runtime;

import java.util.List;

/**
 * The first value training met that is NaN or infinite: what it was (the loss, a gradient or a
 * parameter), its value, the updates made before it, and for a loss, where the forward pass
 * first made a value that is not finite, as {@link TrainableModel#firstNonFinite()} names it.
 *
 * @param origin the forward operation and its {@code .model} line, or null when not known
 */
public record NonFinite(String what, double value, long updates, String origin) {

    /** The loss of the last forward pass is not finite; asks the model where that began. */
    static NonFinite inLoss(TrainableModel model, double loss, long updates) {
        return new NonFinite("the loss " + model.signature().loss(), loss, updates, model.firstNonFinite());
    }

    /**
     * Checks the parameters after an update; null when all are finite. A gradient that is not
     * finite always spoils its parameter, so one check finds both; only when it fails are the
     * parameters and gradients walked to tell which it was.
     */
    static NonFinite afterUpdate(TrainableModel model, long updates) {
        if (model.paramsFinite()) {
            return null;
        }
        List<ModelSignature.Param> params = model.signature().params();
        for (int p = 0; p < params.size(); p++) {
            for (int i = 0, size = params.get(p).size(); i < size; i++) {
                double value = model.param(p, i);
                if (!Double.isFinite(value)) {
                    return cause(model, updates, p, i, value);
                }
            }
        }
        return null;
    }

    private static NonFinite cause(TrainableModel model, long updates, int param, int index, double value) {
        List<ModelSignature.Param> params = model.signature().params();
        for (int p = 0; p < params.size(); p++) {
            for (int i = 0, size = params.get(p).size(); i < size; i++) {
                double gradient = model.gradient(p, i);
                if (!Double.isFinite(gradient)) {
                    return new NonFinite("the gradient of " + element(params.get(p), i), gradient, updates, null);
                }
            }
        }
        return new NonFinite("param " + element(params.get(param), index), value, updates, null);
    }

    /** {@code W1[3, 5]} for a tensor element, the bare name for a scalar. */
    static String element(ModelSignature.Param param, int index) {
        List<Integer> shape = param.shape();
        if (shape.isEmpty()) {
            return param.name();
        }
        int[] at = new int[shape.size()];
        int rest = index;
        for (int d = shape.size() - 1; d >= 0; d--) {
            at[d] = rest % shape.get(d);
            rest /= shape.get(d);
        }
        StringBuilder text = new StringBuilder(param.name()).append('[');
        for (int d = 0; d < at.length; d++) {
            text.append(d == 0 ? "" : ", ").append(at[d]);
        }
        return text.append(']').toString();
    }

    /** Whether the loss, rather than a gradient or parameter, was the first value not finite. */
    public boolean inLoss() {
        return what.startsWith("the loss");
    }

    /**
     * One line: what is not finite and when, counting updates by {@code unit} ("update" or
     * "step"), as in {@code the loss L is NaN after 3 updates}; a gradient is placed in the
     * update that used it.
     */
    public String describe(String unit) {
        String when = what.startsWith("the gradient") ? "in " + unit + " " + updates
                : "after " + updates + " " + unit + (updates == 1 ? "" : "s");
        return what + " is " + value + " " + when;
    }
}
