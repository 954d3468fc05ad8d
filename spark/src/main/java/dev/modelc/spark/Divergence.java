package dev.modelc.spark;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.NonFinite;
import dev.modelc.runtime.TrainableModel;
import java.util.List;

/** What the driver's model holds that is not finite after an update, told as on one machine. */
final class Divergence {
    private Divergence() {
    }

    /** Null when every parameter is finite; else the first gradient, or failing that parameter, that is not. */
    static NonFinite afterUpdate(TrainableModel model, long updates) {
        if (model.paramsFinite()) {
            return null;
        }
        List<ModelSignature.Param> params = model.signature().params();
        for (int p = 0; p < params.size(); p++) {
            for (int i = 0, size = params.get(p).size(); i < size; i++) {
                double gradient = model.gradient(p, i);
                if (!Double.isFinite(gradient)) {
                    return new NonFinite("the gradient of " + element(params.get(p), i), gradient, updates, null);
                }
            }
        }
        for (int p = 0; p < params.size(); p++) {
            for (int i = 0, size = params.get(p).size(); i < size; i++) {
                double value = model.param(p, i);
                if (!Double.isFinite(value)) {
                    return new NonFinite("param " + element(params.get(p), i), value, updates, null);
                }
            }
        }
        return null;
    }

    /** {@code W1[3, 5]} for a tensor element, the bare name for a scalar. */
    private static String element(ModelSignature.Param param, int index) {
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
}
