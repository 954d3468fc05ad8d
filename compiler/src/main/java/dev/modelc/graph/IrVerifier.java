package dev.modelc.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks the invariants every stage must keep: arities match their ops, shapes match their
 * shape rules, parameters referenced are declared, every parameter has a gradient once
 * differentiated, the loss is a scalar, and no value has more dimensions than generated loops index.
 */
public final class IrVerifier {
    private IrVerifier() {
    }

    /** The broken invariants, empty when the model is well formed. */
    public static List<String> problems(ModelIr model) {
        List<String> problems = new ArrayList<>();
        Set<String> declared = new HashSet<>();
        model.params().forEach(p -> declared.add(p.name()));
        for (Node node : Graphs.topologicalOrder(model.roots())) {
            if (node.inputs().size() != node.op().arity()) {
                problems.add(node.op() + " has " + node.inputs().size() + " inputs, wants " + node.op().arity());
            }
            if (node.shape().rank() > Shape.MAX_RANK) {
                problems.add(node.op() + " has " + node.shape().rank() + " dimensions, more than loops can index");
            }
            if (node.op() == Op.PARAM && !declared.contains(node.name())) {
                problems.add("param " + node.name() + " is used but not declared");
            }
            if (!node.op().isLeaf()) {
                try {
                    Shape expected = ShapeRules.resultShape(node.op(), node.attribute(), node.inputs());
                    if (!expected.equals(node.shape())) {
                        problems.add(node.op() + " has shape " + node.shape() + ", its rule gives " + expected);
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(node.op() + ": " + e.getMessage());
                }
            }
        }
        long losses = model.values().stream().filter(v -> v.kind() == ModelIr.NamedValue.Kind.LOSS).count();
        if (losses != 1) {
            problems.add("model has " + losses + " losses");
        } else if (!model.loss().node().shape().isScalar()) {
            problems.add("loss is not a scalar");
        }
        if (!model.gradients().isEmpty()) {
            for (ModelIr.ParamSpec p : model.params()) {
                Node g = model.gradients().get(p.name());
                if (g == null) {
                    problems.add("no gradient for " + p.name());
                } else if (!g.shape().equals(p.shape())) {
                    problems.add("gradient of " + p.name() + " has shape " + g.shape() + ", param " + p.shape());
                }
            }
        }
        return problems;
    }

    /** Throws when the model breaks an invariant; for tests and debug runs. */
    public static ModelIr verify(ModelIr model, String afterStage) {
        List<String> problems = problems(model);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("IR invalid after " + afterStage + ": " + String.join("; ", problems));
        }
        return model;
    }
}
