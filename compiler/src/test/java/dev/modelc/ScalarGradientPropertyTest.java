package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Random scalar losses over one to four parameters, compiled to Java and checked by
 * {@link ScalarGradientCheck}: the gradient the generated code computes must match central
 * finite differences of the test's own evaluation of the loss, and its forward value and the
 * reference interpreter's value of the lowered IR must match that evaluation.
 */
class ScalarGradientPropertyTest {
    private static final int TRIES = 2000;
    private static final long SEED = 20260101L;
    private static final double MIN_CHECKED = 0.9;
    /** Every operation must occur in at least this share of the checked cases. */
    private static final double MIN_OP_SHARE = 0.02;

    private final CompiledModels<GradientCase> models = new CompiledModels<>(GradientCase::modelText);
    private final Map<ScalarOp, Integer> checkedOps = new EnumMap<>(ScalarOp.class);

    /** The property this test checks; its cases are the ones wrong derivative rules must fail on, too. */
    static Property<GradientCase> property() {
        return Property.forAll("compiled gradients match finite differences", new GradientCaseGen())
                .tries(TRIES).seed(SEED).minCheckedFraction(MIN_CHECKED)
                .maxShrinkAttempts(400).describedBy(GradientCase::describe);
    }

    @Test
    void compiledGradientsMatchFiniteDifferences() {
        Property<GradientCase> property = property();
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
        ScalarGradientCheck.check(c, models.lowered(c), models.instantiate(c));
        Set<ScalarOp> ops = EnumSet.noneOf(ScalarOp.class);
        c.loss().collectOps(ops);
        ops.forEach(op -> checkedOps.merge(op, 1, Integer::sum));
    }
}
