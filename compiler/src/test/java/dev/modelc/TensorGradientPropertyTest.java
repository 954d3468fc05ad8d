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
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Random tensor losses over params and batch inputs, some with a metric, compiled to Java in
 * f64: the generated forward pass must give the reference interpreter's loss and metric, and the
 * generated backward pass the central finite differences of the interpreter's loss. The
 * interpreter reads the IR as lowered, before any rewrite or differentiation; the test's own
 * NumPy reading of the model must agree with it too.
 */
class TensorGradientPropertyTest {
    private static final int TRIES = 1200;
    private static final long SEED = 20260202L;
    private static final double MIN_CHECKED = 0.9;
    /** Every operation and form must occur in at least this share of the checked cases. */
    private static final double MIN_SHARE = 0.01;
    /** How far from a kink, tie or domain edge a checked point must be; finite differences step far less. */
    private static final double CHECK_MARGIN = 1e-3;
    private static final double STEP = 1e-5;
    /** More rows than any case binds, so that code reading up to the capacity rather than the rows shows. */
    private static final int CAPACITY = TensorCaseGen.MAX_ROWS + 2;

    private final CompiledModels<TensorCase> models = new CompiledModels<>(TensorCase::modelText);
    private final Map<TensorOp, Integer> checkedOps = new EnumMap<>(TensorOp.class);
    private final Map<TensorForm, Integer> checkedForms = new EnumMap<>(TensorForm.class);
    private final Set<Integer> checkedDims = new TreeSet<>();

    @Test
    void compiledTensorGradientsMatchFiniteDifferences() {
        Property<TensorCase> property = Property.forAll("compiled tensor gradients match finite differences",
                        new TensorCaseGen())
                .tries(TRIES).seed(SEED).minCheckedFraction(MIN_CHECKED)
                .maxShrinkAttempts(300).describedBy(TensorCase::describe);
        long start = System.nanoTime();
        long startCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        List<TensorCase> cases = property.cases();
        models.compileAll(cases);
        double compiled = (System.nanoTime() - start) / 1e9;
        Property.Report report = property.check(this::checkAndCount);
        System.out.printf("%d cases generated and compiled in %.1f s, checked in %.1f s more (%.1f s cpu in this"
                        + " thread)%n", cases.size(), compiled, (System.nanoTime() - start) / 1e9 - compiled,
                (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - startCpu) / 1e9);
        System.out.println("operations in checked cases: " + checkedOps);
        System.out.println("forms in checked cases: " + checkedForms);

        assertTrue(report.checkedFraction() >= MIN_CHECKED, report.toString());
        for (TensorOp op : TensorOp.values()) {
            assertTrue(checkedOps.getOrDefault(op, 0) >= MIN_SHARE * report.checked(),
                    op + " was checked too rarely: " + checkedOps);
        }
        for (TensorForm form : TensorForm.values()) {
            assertTrue(checkedForms.getOrDefault(form, 0) >= MIN_SHARE * report.checked(),
                    form + " was checked too rarely: " + checkedForms);
        }
        assertTrue(checkedDims.containsAll(Set.of(1, 2, 3, 4, 5)), "dimensions in checked cases: " + checkedDims);
    }

    private void checkAndCount(TensorCase c) {
        check(c);
        List<TensorExpr.Apply> applies = new ArrayList<>();
        c.loss().collectApplies(applies);
        Set<TensorForm> forms = TensorForm.of(c.loss());
        if (c.metric() != null) {
            c.metric().collectApplies(applies);
            forms.addAll(TensorForm.of(c.metric()));
        }
        applies.stream().map(TensorExpr.Apply::op).distinct().forEach(op -> checkedOps.merge(op, 1, Integer::sum));
        forms.forEach(form -> checkedForms.merge(form, 1, Integer::sum));
        c.decls().forEach(d -> d.shape().dims().stream().filter(n -> n > 0).forEach(checkedDims::add));
    }

    private void check(TensorCase c) {
        Property.assume(c.lossUsesParam(), "the loss uses no parameter");
        Map<String, Tensor> leaves = c.leafValues();
        TensorSafety.violation(c.loss(), leaves, CHECK_MARGIN).ifPresent(why -> Property.assume(false, why));
        if (c.metric() != null) {
            TensorSafety.violation(c.metric(), leaves, CHECK_MARGIN).ifPresent(why -> Property.assume(false, why));
        }
        ModelIr ir = models.lowered(c);
        TrainableModel model = models.instantiate(c, CAPACITY);
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
    private static void load(TrainableModel model, TensorCase c) {
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
