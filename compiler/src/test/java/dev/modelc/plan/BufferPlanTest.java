package dev.modelc.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.ModelCompiler;
import dev.modelc.Sample;
import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What buffer planning and recomputation save, worked out by hand for the MLP samples. */
class BufferPlanTest {

    @Test
    void digitsMlpNeedsTheArraysOfItsPeakOnly() throws Exception {
        Plan plan = plan("digits_mlp");
        // One array per value: forward x@W1, +b1, relu, h@W2, +b2 (128, 128, 128, 10, 10), logsumexp (1),
        // the output probs (10), the label's logit and argmax (1 each); backward g1 (10), g1 @ W2^T and
        // * step (128 each): 683 numbers a row.
        assertEquals(new Costs.Linear(0, 683 * 8), Costs.bufferBytes(plan, 8));
        // The peak comes as the loss picks out each row's logit: x@W1+b1 and h (kept for backward), logits,
        // logsumexp, probs (an output, kept to the end of the pass) and the label's logit, 278 numbers a row;
        // the plan needs no more.
        assertEquals(new Costs.Linear(0, 278 * 8), Costs.plannedBytes(plan, 8));
    }

    @Test
    void aSixLayerMlpNeedsLessThanHalfTheArraysAndNoLessThanItStores() throws Exception {
        Plan plan = plan("deep_mlp");
        Costs.Linear naive = Costs.bufferBytes(plan, 8);
        Costs.Linear planned = Costs.plannedBytes(plan, 8);
        // Per layer matmul, add and relu (3 x 96) five times, matmul and add (2 x 10), the output probs (10),
        // three of 1; backward g1 (10) and two of 96 for each of five layers: 2443 numbers a row.
        assertEquals(new Costs.Linear(0, 2443 * 8), naive);
        assertTrue(2 * planned.perRow() < naive.perRow(), planned + " vs " + naive);
        // Every stored value is live when the forward pass ends, so it needs an array of its own.
        assertTrue(planned.perRow() >= Costs.storedBytes(plan, 8).perRow());
    }

    @Test
    void anElementwiseOpWritesInPlaceButAMatrixProductNever() throws Exception {
        Plan plan = plan("digits_mlp");
        List<Plan.Assignment> sequence = plan.sequence();
        int product = positionOf(sequence, Op.MATMUL);
        int sum = product + 1;
        assertEquals(Op.ADD, sequence.get(sum).node().op(), "x @ W1 + b1 follows x @ W1");
        // x @ W1 + b1 reads x @ W1 only at the element it writes, so it may overwrite it.
        assertSame(plan.bufferAt(product), plan.bufferAt(sum));
        // h @ W2 reads h and writes its own array: its output never shares with h.
        int second = positionOf(sequence.subList(product + 1, sequence.size()), Op.MATMUL) + product + 1;
        Node h = sequence.get(second).node().input(0);
        assertNotSame(plan.bufferAt(positionOfNode(sequence, h)), plan.bufferAt(second));
    }

    @Test
    void theBackwardPassStartsNearestTheLoss() throws Exception {
        List<String> order = plan("digits_mlp").backward().stream()
                .filter(a -> a.role() == Plan.Role.GRADIENT).map(Plan.Assignment::label).toList();
        assertEquals(List.of("b2", "W2", "b1", "W1"), order);
    }

    @Test
    void recomputingTheActivationsStoresLessAndNeedsSmallerArrays() throws Exception {
        String text = Sample.named("deep_mlp").source().text();
        Plan storing = compile(text, ModelCompiler.Options.DEFAULT).plan();
        Plan recomputing = compile(text + "\nrecompute h1, h2, h3, h4, h5\n", ModelCompiler.Options.DEFAULT).plan();
        ModelIr model = recomputing.model();
        for (String name : List.of("h1", "h2", "h3", "h4", "h5")) {
            Node h = value(model, name);
            assertTrue(storing.stored().contains(h), name + " is stored without recompute");
            assertTrue(recomputing.recomputed().contains(h) && !recomputing.stored().contains(h), name);
        }
        // Five activations of 96 numbers a row are no longer kept.
        assertEquals(Costs.storedBytes(storing, 8).perRow() - 5 * 96 * 8, Costs.storedBytes(recomputing, 8).perRow());
        assertTrue(Costs.plannedBytes(recomputing, 8).perRow() < Costs.plannedBytes(storing, 8).perRow());
        // The declaration is ignored when asked to.
        Plan ignoring = compile(text + "\nrecompute h1\n", ModelCompiler.Options.DEFAULT.withRecompute(false)).plan();
        assertEquals(storing.stored(), ignoring.stored());
    }

    @Test
    void aMemoryBudgetIsMetByRecomputingOrRefusedWithTheSmallestFigure() throws Exception {
        String text = Sample.named("deep_mlp").source().text();
        Plan storing = compile(text, ModelCompiler.Options.DEFAULT).plan();
        long planned = Costs.plannedBytes(storing, 8).at(32);
        Plan squeezed = compile(text, ModelCompiler.Options.DEFAULT.withMemoryBudget(planned - 1)).plan();
        assertTrue(Costs.plannedBytes(squeezed, 8).at(32) <= planned - 1);
        assertTrue(!squeezed.recomputed().isEmpty());
        CompilationFailed failed = assertThrows(CompilationFailed.class, () -> ModelCompiler.compile(
                new SourceFile("deep.model", text), ModelCompiler.Options.DEFAULT.withMemoryBudget(1000)));
        assertTrue(failed.diagnostics().render().contains("more than the memory budget of 1000 bytes"),
                failed.diagnostics().render());
    }

    @Test
    void withoutPlanningEveryValueHasAnArrayOfItsOwn() throws Exception {
        Plan plan = Sample.named("digits_mlp").compile(Dtype.F64).plan();
        Plan unplanned = compile(Sample.named("digits_mlp").source().text(),
                ModelCompiler.Options.DEFAULT.withPlanBuffers(false)).plan();
        assertEquals(Costs.bufferBytes(plan, 8), Costs.plannedBytes(unplanned, 8));
        assertTrue(unplanned.buffers().stream().allMatch(b -> b.values().size() == 1));
    }

    private static Plan plan(String sample) throws Exception {
        return Sample.named(sample).compile(Dtype.F64).plan();
    }

    private static ModelCompiler.Result compile(String text, ModelCompiler.Options options) throws Exception {
        return ModelCompiler.compile(new SourceFile("test.model", text), options);
    }

    private static int positionOf(List<Plan.Assignment> sequence, Op op) {
        for (int p = 0; p < sequence.size(); p++) {
            if (sequence.get(p).node().op() == op) {
                return p;
            }
        }
        throw new AssertionError("no " + op);
    }

    private static int positionOfNode(List<Plan.Assignment> sequence, Node node) {
        for (int p = 0; p < sequence.size(); p++) {
            if (sequence.get(p).node() == node) {
                return p;
            }
        }
        throw new AssertionError("no assignment of " + node);
    }

    private static Node value(ModelIr model, String name) {
        return model.values().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow().node();
    }
}
