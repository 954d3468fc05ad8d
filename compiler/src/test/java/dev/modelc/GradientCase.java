package dev.modelc;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One case of the gradient property test: a loss over parameters {@code p0 .. p<n-1>} and the
 * point to differentiate it at, which is also the parameters' initial value in the model.
 */
record GradientCase(List<Double> point, ScalarExpr loss) {
    GradientCase {
        point = List.copyOf(point);
    }

    double[] pointArray() {
        return point.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The parameters the loss uses, in order. */
    Set<Integer> usedParams() {
        Set<Integer> used = new TreeSet<>();
        loss.collectParams(used);
        return used;
    }

    /** The case as a .model file for model {@code name}, the loss with as few parentheses as it needs. */
    String modelText(String name) {
        return modelText(name, ModelText.minimal(loss));
    }

    /** The case as a .model file for model {@code name} with the loss written as {@code lossText}. */
    String modelText(String name, String lossText) {
        StringBuilder text = new StringBuilder("model ").append(name).append("\n\n");
        for (int i = 0; i < point.size(); i++) {
            text.append("param p").append(i).append(" = ").append(point.get(i)).append('\n');
        }
        return text.append("\nloss L = ").append(lossText).append('\n').toString();
    }

    /** How a failure message shows the case: the model itself, ready to save and compile. */
    String describe() {
        return modelText("M").strip() + "\n// depth " + loss.depth() + ", " + loss.size() + " nodes";
    }
}
