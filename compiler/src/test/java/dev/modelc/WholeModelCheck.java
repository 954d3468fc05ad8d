package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.TensorCase.Decl;
import dev.modelc.TensorCase.Role;
import dev.modelc.codegen.Dtype;
import dev.modelc.graph.Evaluator;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Tensor;
import dev.modelc.runtime.LearningRateSchedule;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.testing.property.Property;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks one whole model against the IR interpreter: its loss, metrics and stop condition
 * against the lowered IR, its gradients against the differentiated IR's, and its params after
 * each update against the reference update rules fed with the model's gradients once those
 * are checked. Each comparison allows the rounding of the dtype, widened by how much the
 * interpreter's own value moves when every param and input is nudged by a rounding error: an
 * ill-conditioned value may differ by that much, a wrong one differs by more.
 */
final class WholeModelCheck {
    /** Updates a cosine schedule without {@code steps} is spread over. */
    private static final long PLANNED_STEPS = 10;
    /** How far the rounding of a value's inputs may move it, in multiples of what a nudge moves it. */
    private static final double CONDITION_FACTOR = 50;

    private final CompiledModels<WholeModel> models = new CompiledModels<>(WholeModel::modelText,
            WholeModel::options);
    private final WholeModelCoverage coverage;

    WholeModelCheck(WholeModelCoverage coverage) {
        this.coverage = coverage;
    }

    void compileAll(List<WholeModel> cases) {
        models.compileAll(cases);
    }

    void check(WholeModel c) {
        // Shrinking may take away the last param the loss uses: a model no one could train.
        Property.assume(c.core().lossUsesParam(), "the loss uses no parameter");
        ModelCompiler.Result result = compiled(c);
        TrainableModel model = models.instantiate(c, c.core().rows() + c.extraRows());
        Tolerance tolerance = new Tolerance(c.dtype(), labels(c));
        Map<String, Tensor> leaves = load(model, c);
        Reference reference = new Reference(result, c.core().rows());
        Map<String, Tensor> nudged = tolerance.nudge(leaves);

        double loss = model.forward();
        Map<Node, Tensor> values = reference.values(leaves);
        Map<Node, Tensor> moved = reference.values(nudged);
        ModelIr lowered = result.lowered();
        tolerance.close("the loss", loss, values, moved, lowered.loss().node());
        for (int m = 0; m < lowered.metrics().size(); m++) {
            tolerance.close("metric " + lowered.metrics().get(m).name(), model.metric(m), values, moved,
                    lowered.metrics().get(m).node());
        }
        lowered.stop().ifPresent(stop -> assertEquals(values.get(stop.node()).data()[0] != 0, model.stopRequested(),
                "stop when " + stop.text()));
        assertNull(model.firstNonFinite(), "firstNonFinite() of finite values");
        model.backward();
        Gradient gradient = reference.gradient(model, leaves, tolerance, "");
        train(c, model, reference, leaves, gradient, tolerance);
        coverage.count(c, result);
    }

    /** The case's compiled model, or its refusal when only its memory budget was too small to meet. */
    private ModelCompiler.Result compiled(WholeModel c) {
        try {
            return models.result(c);
        } catch (CompiledModels.Refused e) {
            Property.assume(!(c.memoryBudget() > 0 && e.getMessage().contains("more than the memory budget")),
                    "the memory budget is below what recomputing reaches");
            throw e;
        }
    }

    /**
     * The updates of the case, each after setting the rate as the trainer does: the model's params
     * after it against the reference update from the model's params before it, by the
     * model's gradient there, once checked against the interpreter's. How far the reference update
     * moves when that gradient moves by a few roundings is allowed besides the dtype's rounding.
     */
    private static void train(WholeModel c, TrainableModel model, Reference reference, Map<String, Tensor> leaves,
                              Gradient first, Tolerance tolerance) {
        LearningRateSchedule schedule = LearningRateSchedule.of(model.signature(), PLANNED_STEPS);
        List<ModelSignature.Param> params = model.signature().params();
        ReferenceOptimizer optimizer = new ReferenceOptimizer(c.training(), flatten(params, leaves).length);
        Gradient gradient = first;
        for (int t = 1; t <= c.training().steps(); t++) {
            if (t > 1) {
                model.forward();
                model.backward();
                gradient = reference.gradient(model, leaves, tolerance, " before update " + t);
            }
            model.setLearningRate(schedule.rate(model.stepCount()));
            double rate = model.learningRate();
            model.step();
            double[] expected = flatten(params, leaves);
            double[] moved = expected.clone();
            optimizer.copy().step(moved, gradient.widened(), rate, t);
            optimizer.step(expected, gradient.values(), rate, t);
            assertEquals(t, model.stepCount(), "stepCount() after update " + t);
            int at = 0;
            for (ModelSignature.Param param : params) {
                int p = params.indexOf(param);
                double[] now = new double[param.size()];
                for (int i = 0; i < now.length; i++, at++) {
                    now[i] = model.param(p, i);
                    tolerance.close(param.name() + "[" + i + "] after update " + t, now[i], expected[at],
                            Math.abs(moved[at] - expected[at]) / CONDITION_FACTOR * 2);
                }
                leaves.put(param.name(), new Tensor(leaves.get(param.name()).dims(), now));
            }
            assertTrue(model.paramsFinite() || !allFinite(expected), "paramsFinite() after update " + t);
        }
    }

    /** The model's gradient once checked, flat in param order, and each element moved by a few of its roundings. */
    private record Gradient(double[] values, double[] widened) {
    }

    /**
     * Gives the model the case's param values and binds its inputs; returns every value as the
     * model holds it (rounded to float in f32), which the interpreter then reads.
     */
    private static Map<String, Tensor> load(TrainableModel model, WholeModel c) {
        Map<String, Decl> byName = new HashMap<>();
        c.core().decls().forEach(d -> byName.put(d.name(), d));
        Map<String, Tensor> leaves = new HashMap<>();
        List<ModelSignature.Param> params = model.signature().params();
        for (int p = 0; p < params.size(); p++) {
            Decl d = byName.get(params.get(p).name());
            double[] held = new double[d.values().size()];
            for (int i = 0; i < held.length; i++) {
                model.setParam(p, i, d.values().get(i));
                held[i] = model.param(p, i);
            }
            leaves.put(d.name(), new Tensor(d.tensor(c.core().rows()).dims(), held));
        }
        List<ModelSignature.Input> inputs = model.signature().inputs();
        Object[] arrays = new Object[inputs.size()];
        for (int k = 0; k < arrays.length; k++) {
            Decl d = byName.get(inputs.get(k).name());
            double[] values = d.values().stream().mapToDouble(Double::doubleValue).toArray();
            if (d.role() == Role.LABELS) {
                arrays[k] = d.values().stream().mapToInt(v -> (int) Math.round(v)).toArray();
            } else if (c.dtype() == Dtype.F32) {
                float[] floats = new float[values.length];
                for (int i = 0; i < values.length; i++) {
                    floats[i] = (float) values[i];
                    values[i] = floats[i];
                }
                arrays[k] = floats;
            } else {
                arrays[k] = values;
            }
            leaves.put(d.name(), new Tensor(d.tensor(c.core().rows()).dims(), values));
        }
        model.bind(arrays, c.core().rows());
        return leaves;
    }

    private static java.util.Set<String> labels(WholeModel c) {
        java.util.Set<String> labels = new java.util.HashSet<>();
        c.core().decls().stream().filter(d -> d.role() == Role.LABELS).forEach(d -> labels.add(d.name()));
        return labels;
    }

    private static double[] flatten(List<ModelSignature.Param> params, Map<String, Tensor> leaves) {
        List<Double> all = new ArrayList<>();
        for (ModelSignature.Param p : params) {
            for (double v : leaves.get(p.name()).data()) {
                all.add(v);
            }
        }
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static boolean allFinite(double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** The interpreter over the case's IR: forward values from the lowered IR, gradients from the differentiated. */
    private record Reference(ModelCompiler.Result result, int rows) {
        Map<Node, Tensor> values(Map<String, Tensor> leaves) {
            List<Node> roots = new ArrayList<>(result.lowered().roots());
            return Evaluator.evaluate(roots, bindings(leaves));
        }

        /**
         * The model's gradient, checked element by element against the interpreter's, and returned
         * for the reference update: an update that divides by the gradient's size (Adagrad, Adam,
         * RMSprop) turns a gradient of 1e-10 that f32 rounds to 0 into a step of the full rate, so
         * the interpreter's gradient would make a correct update look wrong.
         */
        Gradient gradient(TrainableModel model, Map<String, Tensor> leaves, Tolerance tolerance, String when) {
            Map<String, Node> gradients = result.differentiated().gradients();
            List<Node> roots = new ArrayList<>(gradients.values());
            Map<Node, Tensor> exact = Evaluator.evaluate(roots, bindings(leaves));
            Map<Node, Tensor> moved = Evaluator.evaluate(roots, bindings(tolerance.nudge(leaves)));
            List<ModelSignature.Param> params = model.signature().params();
            List<Double> values = new ArrayList<>();
            List<Double> widened = new ArrayList<>();
            for (int p = 0; p < params.size(); p++) {
                Node node = gradients.get(params.get(p).name());
                for (int i = 0; i < params.get(p).size(); i++) {
                    double expected = exact.get(node).data()[i];
                    double sensitivity = Math.abs(moved.get(node).data()[i] - expected);
                    double actual = model.gradient(p, i);
                    tolerance.close("dL/d" + params.get(p).name() + "[" + i + "]" + when, actual, expected,
                            sensitivity);
                    values.add(actual);
                    widened.add(actual * (1 + tolerance.rounding() * (i % 2 == 0 ? 1 : -1)));
                }
            }
            return new Gradient(values.stream().mapToDouble(Double::doubleValue).toArray(),
                    widened.stream().mapToDouble(Double::doubleValue).toArray());
        }

        private Evaluator.Bindings bindings(Map<String, Tensor> leaves) {
            return new Evaluator.Bindings() {
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
                    return rows;
                }
            };
        }
    }

    /** What a dtype's rounding allows between the compiled value and the interpreter's, and the nudge that measures conditioning. */
    private record Tolerance(Dtype dtype, java.util.Set<String> labels) {
        double relative() {
            return dtype == Dtype.F64 ? 1e-9 : 1e-4;
        }

        /** A few roundings of the dtype, relative: how far a value the model holds may be from the exact one. */
        double rounding() {
            return dtype == Dtype.F64 ? 1e-14 : 1e-6;
        }

        double nudgeSize() {
            return dtype == Dtype.F64 ? 1e-9 : 3e-7;
        }

        /** Every param and real input moved by the nudge, up or down by element. */
        Map<String, Tensor> nudge(Map<String, Tensor> leaves) {
            Map<String, Tensor> nudged = new HashMap<>(leaves);
            leaves.forEach((name, t) -> {
                if (!labels.contains(name)) {
                    double[] data = t.data().clone();
                    for (int i = 0; i < data.length; i++) {
                        data[i] *= 1 + nudgeSize() * ((i + name.length()) % 2 == 0 ? 1 : -1);
                    }
                    nudged.put(name, new Tensor(t.dims(), data));
                }
            });
            return nudged;
        }

        void close(String what, double actual, Map<Node, Tensor> values, Map<Node, Tensor> moved, Node node) {
            double expected = values.get(node).data()[0];
            close(what, actual, expected, Math.abs(moved.get(node).data()[0] - expected));
        }

        void close(String what, double actual, double expected, double sensitivity) {
            Property.assume(Double.isFinite(expected) && Double.isFinite(sensitivity),
                    "the interpreter's value is not finite");
            double allowed = allowed(expected, sensitivity);
            assertTrue(Math.abs(actual - expected) <= allowed, what + ": the compiled model gives " + actual
                    + ", the interpreter " + expected + " (allowed difference " + allowed + ")");
        }

        double allowed(double expected, double sensitivity) {
            return relative() * (1 + Math.abs(expected)) + CONDITION_FACTOR * sensitivity;
        }
    }
}
