package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.codegen.Dtype;
import dev.modelc.report.GraphDot;
import dev.modelc.report.MemoryReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code recompute h}: how it reads, and what the graph and the memory report show of it. */
class RecomputeDeclarationTest {
    private static final String DIGITS = Sample.named("digits_mlp").source().text();

    @Test
    void recomputeIsStillAName() {
        ModelCompiler.Result result = BufferPlanningTest.compile("model M\nparam w = 1\nrecompute = w * 2\n"
                + "loss L = recompute^2\nrecompute recompute, recompute\n", ModelCompiler.Options.DEFAULT);
        assertEquals(List.of("recompute"), result.ast().recomputedNames());
        assertEquals("recompute", result.simplified().values().get(0).name());
    }

    @Test
    void theBackwardGraphComputesARecomputedValueAgain() {
        String stored = GraphDot.withBackward(BufferPlanningTest.compile(DIGITS, ModelCompiler.Options.DEFAULT));
        String again = GraphDot.withBackward(BufferPlanningTest.compile(DIGITS + "\nrecompute h\n",
                ModelCompiler.Options.DEFAULT));
        assertTrue(stored.contains("[label=\"h\", shape=box, penwidth=2]"), stored);
        assertFalse(stored.contains("(again)"), stored);
        assertTrue(again.contains("[label=\"h\", shape=box]"), again);
        assertTrue(again.contains("[label=\"h (again)\", shape=box]"), again);
    }

    @Test
    void theMemoryReportShowsWhatRecomputingSaves() {
        String report = MemoryReport.of(BufferPlanningTest.compile(DIGITS + "\nrecompute h\n",
                ModelCompiler.Options.DEFAULT), Dtype.F64, List.of(1));
        // h is [batch, 128]: 1024 bytes a row fewer stored, out of 2128 (x @ W1 + b1, h and probs).
        assertTrue(report.lines().anyMatch(l -> l.matches("stored for backward +2128·batch +2128")), report);
        assertTrue(report.lines().anyMatch(l -> l.matches("  recomputing h +1104·batch +1104")), report);
        assertTrue(report.contains("computed again by the backward pass instead of stored:\n  h  [batch, 128]"),
                report);
        assertTrue(report.contains("h (again)"), report);
    }
}
