package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.TensorCase.Decl;
import dev.modelc.TensorCase.Role;
import dev.modelc.graph.Evaluator;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Tensor;
import dev.modelc.runtime.Dropout;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.testing.property.Property;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the layout property checks of one case: the interpreter of the lowered IR gives the
 * test's own reading of the model, the compiled forward pass the interpreter's loss, and the
 * compiled gradients the central differences of the interpreter's loss.
 */
final class LayoutGradientCheck {
    static final int CAPACITY = 6;
    private static final double STEP = 1e-5;
    /** Any key but {@link Dropout#OFF}: the interpreter in training, so batch norm uses the batch's statistics. */
    private static final long TRAINING = Dropout.key(1, 0);

    private LayoutGradientCheck() {
    }

    /** The property for one case, its model compiled with the rules in force. */
    static void check(LayoutCase c, ModelIr ir, TrainableModel model) {
        Map<String, Tensor> leaves = c.leafValues();
        runningStatistics(model, leaves);
        double reference = interpret(ir, c, leaves);
        double own = c.loss(leaves);
        assertTrue(Math.abs(own - reference) <= 1e-9 * Math.max(1, Math.abs(reference)),
                "the interpreter gives " + reference + " but the model reads as " + own);
        load(model, c);
        double forward = model.forward();
        assertTrue(Math.abs(forward - reference) <= 1e-12 * Math.max(1, Math.abs(reference)),
                "forward() gave " + forward + " but the interpreter gives " + reference);
        model.backward();
        List<ModelSignature.Param> params = model.signature().params();
        for (int p = 0; p < params.size(); p++) {
            for (int i = 0; i < params.get(p).size(); i++) {
                double expected = derivative(ir, c, leaves, params.get(p).name(), i);
                double gradient = model.gradient(p, i);
                assertTrue(Math.abs(gradient - expected) <= 1e-6 + 1e-4 * Math.abs(expected), "dL/d"
                        + params.get(p).name() + "[" + i + "]: compiled " + gradient + ", finite differences " + expected);
            }
        }
    }

    /** The params a case does not declare, batch norm's running statistics, at the model's values. */
    private static void runningStatistics(TrainableModel model, Map<String, Tensor> leaves) {
        for (ModelSignature.Param param : model.signature().params()) {
            if (!leaves.containsKey(param.name())) {
                int[] dims = param.shape().stream().mapToInt(Integer::intValue).toArray();
                leaves.put(param.name(), new Tensor(dims, model.param(param.name())));
            }
        }
    }

    static void load(TrainableModel model, LayoutCase c) {
        Map<String, Decl> byName = new HashMap<>();
        c.decls().forEach(d -> byName.put(d.name(), d));
        List<ModelSignature.Param> params = model.signature().params();
        for (int p = 0; p < params.size(); p++) {
            Decl declared = byName.get(params.get(p).name());
            if (declared == null) {
                continue;
            }
            List<Double> values = declared.values();
            for (int i = 0; i < values.size(); i++) {
                model.setParam(p, i, values.get(i));
            }
        }
        List<ModelSignature.Input> inputs = model.signature().inputs();
        Object[] arrays = new Object[inputs.size()];
        for (int k = 0; k < arrays.length; k++) {
            Decl d = byName.get(inputs.get(k).name());
            arrays[k] = d.role() == Role.LABELS ? d.values().stream().mapToInt(v -> (int) Math.round(v)).toArray()
                    : d.values().stream().mapToDouble(Double::doubleValue).toArray();
        }
        model.bind(arrays, c.rows());
    }

    private static double derivative(ModelIr ir, LayoutCase c, Map<String, Tensor> leaves, String name, int index) {
        Tensor original = leaves.get(name);
        Map<String, Tensor> shifted = new HashMap<>(leaves);
        double[] up = original.data().clone();
        up[index] += STEP;
        shifted.put(name, new Tensor(original.dims(), up));
        double lossUp = interpret(ir, c, shifted);
        double[] down = original.data().clone();
        down[index] -= STEP;
        shifted.put(name, new Tensor(original.dims(), down));
        return (lossUp - interpret(ir, c, shifted)) / (2 * STEP);
    }

    private static double interpret(ModelIr ir, LayoutCase c, Map<String, Tensor> leaves) {
        Evaluator.Bindings bindings = new Evaluator.Bindings() {
            @Override
            public Tensor param(String name) {
                return leaves.get(name);
            }

            @Override
            public Tensor input(String name) {
                return leaves.get(name);
            }

            @Override
            public int rows() {
                return c.rows();
            }

            @Override
            public long dropoutKey() {
                return TRAINING;
            }
        };
        return Evaluator.evaluate(List.of(ir.loss().node()), bindings).get(ir.loss().node()).data()[0];
    }
}
