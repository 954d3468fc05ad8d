package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.TensorCase.Decl;
import dev.modelc.TensorCase.Role;
import dev.modelc.graph.Evaluator;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Tensor;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.testing.property.Property;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensor gradient property for one case, shared by {@link TensorGradientPropertyTest} and
 * the mutation tests that prove it fails for wrong derivative rules: the generated forward pass
 * gives the reference interpreter's loss and metric, and the generated backward pass the central
 * finite differences of the interpreter's loss. The interpreter reads the IR as lowered, before
 * any rewrite or differentiation; the test's own NumPy reading of the model must agree with it.
 */
final class TensorGradientCheck {
    /** How far from a kink, tie or domain edge a checked point must be; finite differences step far less. */
    private static final double CHECK_MARGIN = 1e-3;
    private static final double STEP = 1e-5;
    /** More rows than any case binds, so that code reading up to the capacity rather than the rows shows. */
    static final int CAPACITY = TensorCaseGen.MAX_ROWS + 2;

    private TensorGradientCheck() {
    }

    /**
     * The property for one case: the loss and the metric of the compiled pass agree with the
     * interpreter's, and every gradient element with central differences of the interpreter's
     * loss. {@code model} is a fresh instance of the case's class with {@link #CAPACITY} rows;
     * discards the case where finite differences cannot be trusted.
     */
    static void check(TensorCase c, ModelIr ir, TrainableModel model) {
        Property.assume(c.lossUsesParam(), "the loss uses no parameter");
        Map<String, Tensor> leaves = c.leafValues();
        TensorSafety.violation(c.loss(), leaves, CHECK_MARGIN).ifPresent(why -> Property.assume(false, why));
        if (c.metric() != null) {
            TensorSafety.violation(c.metric(), leaves, CHECK_MARGIN).ifPresent(why -> Property.assume(false, why));
        }
        passOverOtherRows(model);
        load(model, c);
        checkForward(ir, model, c, leaves);
        model.backward();
        checkGradients(ir, model, c, leaves);
    }

    /** The loss and the metric: the compiled pass, the interpreter and the test's own reading agree. */
    private static void checkForward(ModelIr ir, TrainableModel model, TensorCase c, Map<String, Tensor> leaves) {
        double reference = interpret(ir, ir.loss().node(), c, leaves);
        assertAgrees("the loss", c.loss(), reference, leaves);
        double forward = model.forward();
        assertTrue(Math.abs(forward - reference) <= 1e-12 * Math.max(1, Math.abs(reference)),
                "forward() gave " + forward + " but the interpreter gives " + reference);
        if (c.metric() != null) {
            double metric = interpret(ir, ir.metrics().get(0).node(), c, leaves);
            assertAgrees("the metric", c.metric(), metric, leaves);
            assertTrue(Math.abs(model.metric(0) - metric) <= 1e-12 * Math.max(1, Math.abs(metric)),
                    "the compiled metric is " + model.metric(0) + " but the interpreter gives " + metric);
        }
    }

    /** Every element of every param: the compiled gradient against central differences of the interpreter. */
    private static void checkGradients(ModelIr ir, TrainableModel model, TensorCase c, Map<String, Tensor> leaves) {
        List<ModelSignature.Param> params = model.signature().params();
        for (int p = 0; p < params.size(); p++) {
            String name = params.get(p).name();
            for (int i = 0; i < params.get(p).size(); i++) {
                double[] estimate = {derivative(ir, c, leaves, name, i, STEP),
                        derivative(ir, c, leaves, name, i, 2 * STEP)};
                // Truncation error grows as h², so the two estimates differ by about three times the first's error.
                Property.assume(Double.isFinite(estimate[0]) && Double.isFinite(estimate[1])
                        && Math.abs(estimate[1] - estimate[0]) <= 0.3 * tolerance(estimate[0]),
                        "finite differences unreliable");
                double gradient = model.gradient(p, i);
                assertTrue(Math.abs(gradient - estimate[0]) <= tolerance(estimate[0]), "dL/d" + name + "[" + i
                        + "]: compiled gradient " + gradient + " but finite differences give " + estimate[0]);
            }
        }
    }

    /** The interpreter's value of the lowered IR agrees with the test's own reading of the language. */
    private static void assertAgrees(String what, TensorExpr expr, double interpreted, Map<String, Tensor> leaves) {
        double own = TensorSemantics.evaluate(expr, leaves).data()[0];
        assertTrue(Math.abs(own - interpreted) <= 1e-9 * Math.max(1, Math.abs(interpreted)),
                "the interpreter of the lowered IR gives " + interpreted + " for " + what + ", which is " + own);
    }

    /**
     * A forward and backward pass over a full batch of other values first, as training does
     * before a partial last batch: nothing of it may leak into the pass that is checked.
     */
    private static void passOverOtherRows(TrainableModel model) {
        List<ModelSignature.Input> inputs = model.signature().inputs();
        Object[] arrays = new Object[inputs.size()];
        for (int k = 0; k < arrays.length; k++) {
            int size = inputs.get(k).rowSize() * (inputs.get(k).shape().contains(ModelSignature.BATCH) ? CAPACITY : 1);
            double[] values = new double[size];
            Arrays.fill(values, 0.25 * (k + 1));
            arrays[k] = inputs.get(k).integer() ? new int[size] : values;
        }
        model.bind(arrays, CAPACITY);
        model.forward();
        model.backward();
    }

    /** Gives the model the case's param values and binds its inputs, matched by name. */
    static void load(TrainableModel model, TensorCase c) {
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

    /** Central difference of the interpreter's loss along element {@code index} of param {@code name}. */
    private static double derivative(ModelIr ir, TensorCase c, Map<String, Tensor> leaves, String name, int index,
                                     double h) {
        Tensor original = leaves.get(name);
        Map<String, Tensor> shifted = new HashMap<>(leaves);
        double[] up = original.data().clone();
        up[index] += h;
        shifted.put(name, new Tensor(original.dims(), up));
        double lossUp = interpret(ir, ir.loss().node(), c, shifted);
        double[] down = original.data().clone();
        down[index] -= h;
        shifted.put(name, new Tensor(original.dims(), down));
        return (lossUp - interpret(ir, ir.loss().node(), c, shifted)) / (2 * h);
    }

    private static double interpret(ModelIr ir, Node root, TensorCase c, Map<String, Tensor> leaves) {
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
        return Evaluator.evaluate(List.of(root), bindings).get(root).data()[0];
    }

    private static double tolerance(double derivative) {
        return 1e-6 + 1e-4 * Math.abs(derivative);
    }
}
