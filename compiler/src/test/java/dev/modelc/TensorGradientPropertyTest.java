package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.testing.property.Property;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Random tensor losses over params and batch inputs, some with a metric, compiled to Java in
 * f64 and checked by {@link TensorGradientCheck}: against the reference interpreter and central
 * finite differences of it. Values have ranks 0 to 5, with and without the batch dimension;
 * every rank, axis, operation and form must occur in enough of the cases ({@link TensorCoverage}).
 */
class TensorGradientPropertyTest {
    private static final int TRIES = 1200;
    private static final long SEED = 20260202L;
    private static final double MIN_CHECKED = 0.9;
    /** Every operation, form, rank and axis must occur in at least this share of the checked cases. */
    private static final double MIN_SHARE = 0.01;

    private final CompiledModels<TensorCase> models = new CompiledModels<>(TensorCase::modelText);
    private final TensorCoverage coverage = new TensorCoverage();

    /** The property this test checks; its cases are the ones wrong derivative rules must fail on, too. */
    static Property<TensorCase> property() {
        return Property.forAll("compiled tensor gradients match finite differences", new TensorCaseGen())
                .tries(TRIES).seed(SEED).minCheckedFraction(MIN_CHECKED)
                .maxShrinkAttempts(300).describedBy(TensorCase::describe);
    }

    @Test
    void compiledTensorGradientsMatchFiniteDifferences() {
        Property<TensorCase> property = property();
        long start = System.nanoTime();
        long startCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        List<TensorCase> cases = property.cases();
        models.compileAll(cases);
        double compiled = (System.nanoTime() - start) / 1e9;
        Property.Report report = property.check(this::checkAndCount);
        System.out.printf("%d cases generated and compiled in %.1f s, checked in %.1f s more (%.1f s cpu in this"
                        + " thread)%n", cases.size(), compiled, (System.nanoTime() - start) / 1e9 - compiled,
                (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - startCpu) / 1e9);
        System.out.println(coverage.table());
        assertTrue(report.checkedFraction() >= MIN_CHECKED, report.toString());
        coverage.assertEachAtLeast(MIN_SHARE);
    }

    private void checkAndCount(TensorCase c) {
        TensorGradientCheck.check(c, models.lowered(c), models.instantiate(c, TensorGradientCheck.CAPACITY));
        coverage.count(c);
    }
}
