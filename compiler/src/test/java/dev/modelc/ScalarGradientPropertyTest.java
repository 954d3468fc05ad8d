package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.TrainableModel;
import dev.modelc.testing.property.Property;
import java.lang.management.ManagementFactory;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Random scalar losses over one to four parameters, compiled to Java: the gradient the
 * generated code computes must match central finite differences of the test's own
 * evaluation of the loss, and so must its forward value.
 */
class ScalarGradientPropertyTest {
    private static final int TRIES = 2000;
    private static final long SEED = 20260101L;
    private static final double MIN_CHECKED = 0.9;
    /** Every operation must occur in at least this share of the checked cases. */
    private static final double MIN_OP_SHARE = 0.02;

    private final CompiledModels<GradientCase> models = new CompiledModels<>(GradientCase::modelText);
    private final Map<ScalarOp, Integer> checkedOps = new EnumMap<>(ScalarOp.class);

    @Test
    void compiledGradientsMatchFiniteDifferences() {
        Property<GradientCase> property = Property.forAll("compiled gradients match finite differences",
                        new GradientCaseGen())
                .tries(TRIES).seed(SEED).minCheckedFraction(MIN_CHECKED)
                .maxShrinkAttempts(400).describedBy(GradientCase::describe);
        long start = System.nanoTime();
        long startCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        List<GradientCase> cases = property.cases();
        models.compileAll(cases);
        Property.Report report = property.check(this::checkAndCount);
        System.out.printf("%d cases generated, compiled and checked in %.1f s (%.1f s cpu in this thread)%n",
                cases.size(), (System.nanoTime() - start) / 1e9,
                (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - startCpu) / 1e9);
        System.out.println("operations in checked cases: " + checkedOps);

        assertTrue(report.checkedFraction() >= MIN_CHECKED, report.toString());
        for (ScalarOp op : ScalarOp.values()) {
            assertTrue(checkedOps.getOrDefault(op, 0) >= MIN_OP_SHARE * report.checked(),
                    op + " was checked too rarely: " + checkedOps);
        }
        assertTrue(cases.stream().allMatch(c -> c.loss().depth() <= GradientCaseGen.MAX_DEPTH));
        assertEquals(GradientCaseGen.MAX_DEPTH, cases.stream().mapToInt(c -> c.loss().depth()).max().orElse(0));
        assertEquals(Set.of(1, 2, 3, 4), cases.stream().map(c -> c.point().size()).collect(Collectors.toSet()));
    }

    private void checkAndCount(GradientCase c) {
        check(c);
        Set<ScalarOp> ops = EnumSet.noneOf(ScalarOp.class);
        c.loss().collectOps(ops);
        ops.forEach(op -> checkedOps.merge(op, 1, Integer::sum));
    }

    private void check(GradientCase c) {
        double[] point = c.pointArray();
        Property.assume(!c.usedParams().isEmpty(), "the loss uses no parameter");
        assumeSafe(c.loss(), point);
        double[] expected = new double[point.length];
        for (int i = 0; i < point.length; i++) {
            FiniteDifferences.Estimate estimate = FiniteDifferences.derivative(c.loss(), point, i);
            Property.assume(estimate.isTrustworthy(tolerance(estimate.derivative())),
                    "finite differences unreliable");
            expected[i] = estimate.derivative();
        }

        TrainableModel model = models.instantiate(c);
        for (int i = 0; i < point.length; i++) {
            assertEquals(point[i], model.param(i, 0), "initial value of p" + i);
        }
        double value = c.loss().eval(point);
        double forward = model.forward();
        assertTrue(Math.abs(forward - value) <= 1e-9 * (1 + Math.abs(value)),
                "forward() gave " + forward + " but the loss is " + value);
        model.backward();
        for (int i = 0; i < point.length; i++) {
            double gradient = model.gradient(i, 0);
            assertTrue(Math.abs(gradient - expected[i]) <= tolerance(expected[i]),
                    "dL/dp" + i + ": compiled gradient " + gradient + " but finite differences give " + expected[i]);
        }
    }

    /** Discards a case with an operation near a kink or edge, at the point or where the differences probe. */
    private static void assumeSafe(ScalarExpr loss, double[] point) {
        DomainSafety.violation(loss, point).ifPresent(why -> Property.assume(false, why));
        for (double[] probe : FiniteDifferences.probes(point)) {
            DomainSafety.violation(loss, probe).ifPresent(why -> Property.assume(false, why + " near the point"));
        }
    }

    private static double tolerance(double derivative) {
        return 1e-6 + 1e-4 * Math.abs(derivative);
    }
}
