package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.TensorCase.Decl;
import dev.modelc.TensorCase.Role;
import dev.modelc.graph.Evaluator;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Tensor;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.testing.property.Property;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Random chains of slices, positions, concatenations, stacks, reshapes, flattens and gathers
 * (with repeated indices), compiled to Java in f64: the interpreter of the lowered IR must give
 * the test's own reading of the model, the generated forward pass the interpreter's loss, and
 * the generated backward pass the central differences of the interpreter's loss.
 */
class LayoutGradientPropertyTest {
    private static final int TRIES = 250;
    private static final long SEED = 20261207L;
    /** Every kind of step must occur in at least this share of the cases. */
    private static final double MIN_SHARE = 0.05;
    private static final double STEP = 1e-5;
    private static final int CAPACITY = 6;

    private final CompiledModels<LayoutCase> models = new CompiledModels<>(LayoutCase::modelText);
    private final Map<LayoutCase.Kind, Integer> checkedKinds = new EnumMap<>(LayoutCase.Kind.class);

    @Test
    void compiledLayoutGradientsMatchFiniteDifferences() {
        Property<LayoutCase> property = Property.forAll("compiled layout gradients match finite differences",
                new LayoutCaseGen()).tries(TRIES).seed(SEED).maxShrinkAttempts(100).describedBy(LayoutCase::describe);
        models.compileAll(property.cases());
        Property.Report report = property.check(c -> {
            check(c);
            c.steps().stream().map(LayoutCase.Step::kind).distinct().forEach(k -> checkedKinds.merge(k, 1, Integer::sum));
        });
        System.out.println("steps in checked cases: " + checkedKinds);
        for (LayoutCase.Kind kind : LayoutCase.Kind.values()) {
            assertTrue(checkedKinds.getOrDefault(kind, 0) >= MIN_SHARE * report.checked(),
                    kind + " was checked too rarely: " + checkedKinds);
        }
    }

    private void check(LayoutCase c) {
        Map<String, Tensor> leaves = c.leafValues();
        ModelIr ir = models.lowered(c);
        double reference = interpret(ir, c, leaves);
        double own = c.loss(leaves);
        assertTrue(Math.abs(own - reference) <= 1e-9 * Math.max(1, Math.abs(reference)),
                "the interpreter gives " + reference + " but the model reads as " + own);
        TrainableModel model = models.instantiate(c, CAPACITY);
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

    private static void load(TrainableModel model, LayoutCase c) {
        Map<String, Decl> byName = new HashMap<>();
        c.decls().forEach(d -> byName.put(d.name(), d));
        List<ModelSignature.Param> params = model.signature().params();
        for (int p = 0; p < params.size(); p++) {
            List<Double> values = byName.get(params.get(p).name()).values();
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
        };
        return Evaluator.evaluate(List.of(ir.loss().node()), bindings).get(ir.loss().node()).data()[0];
    }
}
