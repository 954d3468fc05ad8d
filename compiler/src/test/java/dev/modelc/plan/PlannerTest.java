package dev.modelc.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.ModelCompiler;
import dev.modelc.Sample;
import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Shape;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The plan keeps from the forward pass exactly the values the backward pass reads. */
class PlannerTest {

    @Test
    void seedExampleStoresNothing() throws Exception {
        // dJ/dx = 2 * x and dJ/dy = 4 * y read parameters only.
        assertEquals(Set.of(), plan("quadratic").stored());
    }

    @Test
    void logisticStoresOnlyTheSigmoid() throws Exception {
        // dL/dw = 2 * (p - 1) and dL/db = p - 1 read p; 2 * w only feeds z and is not stored.
        Plan plan = plan("logistic");
        assertEquals(Set.of(value(plan.model(), "p")), plan.stored());
    }

    @Test
    void polarStoresTheCosineSineAndBothResiduals() throws Exception {
        Plan plan = plan("polar");
        Node theta = Node.param("theta", Shape.SCALAR);
        Node residualX = Node.of(Op.ADD, value(plan.model(), "px"), Node.constant(-0.6));
        Node residualY = Node.of(Op.ADD, value(plan.model(), "py"), Node.constant(-0.8));
        assertEquals(Set.of(Node.of(Op.COS, theta), Node.of(Op.SIN, theta), residualX, residualY), plan.stored());
    }

    /**
     * The backward pass of 150 nested sines is a product of 150 cosines, each used once: without
     * a limit it would be one Java expression 150 operations deep.
     */
    @Test
    void noExpressionComputedInlineNestsDeeperThanTheLimit() throws Exception {
        String text = "model Deep\nparam x = 0.5\nloss L = " + "sin(".repeat(150) + "x" + ")".repeat(150) + "\n";
        Plan plan = ModelCompiler.compile(new SourceFile("deep.model", text), ModelCompiler.Options.DEFAULT).plan();
        int deepest = plan.sequence().stream().mapToInt(a -> inlineDepth(a.node(), plan.materialized()))
                .max().orElseThrow();
        assertEquals(Planner.MAX_INLINE_DEPTH + 1, deepest);
    }

    /**
     * The gradient of softmax cross-entropy reads softmax(logits); the forward pass computes it
     * beside the loss's logsumexp, in the kernel that takes each exponential once, and keeps it,
     * so the backward pass takes no exponential at all.
     */
    @Test
    void theSoftmaxOfTheLossIsComputedWithItsLogsumexpAndKept() throws Exception {
        String text = """
                model Classifier
                input x : [batch, 4]
                input y : int[batch]
                param W : [4, 3] = 0.1
                loss L = mean(softmax_cross_entropy(x @ W, y))
                """;
        Plan plan = ModelCompiler.compile(new SourceFile("classifier.model", text), ModelCompiler.Options.DEFAULT)
                .plan();
        int lse = -1;
        for (int p = 0; p < plan.forward().size(); p++) {
            if (plan.forward().get(p).node().op() == Op.LOGSUMEXP) {
                lse = p;
            }
        }
        Node softmax = plan.forward().get(lse + 1).node();
        assertEquals(plan.forward().get(lse).node(), dev.modelc.graph.Library.softmaxOver(softmax));
        assertTrue(plan.stored().contains(softmax));
        for (Plan.Assignment a : plan.backward()) {
            assertFalse(computesInline(a.node(), Op.EXP, plan.materialized()), "the backward pass takes exp in " + a);
        }
    }

    /** Whether {@code node}, or an input computed inline in its expression, is an {@code op}. */
    private static boolean computesInline(Node node, Op op, Set<Node> materialized) {
        if (node.op() == op) {
            return true;
        }
        for (Node input : node.inputs()) {
            if (!input.op().isLeaf() && !materialized.contains(input) && computesInline(input, op, materialized)) {
                return true;
            }
        }
        return false;
    }

    /** Operations in the expression that computes {@code node}: it, and its inputs computed inline. */
    private static int inlineDepth(Node node, Set<Node> materialized) {
        int deepest = 0;
        for (Node input : node.inputs()) {
            if (!input.op().isLeaf() && !materialized.contains(input)) {
                deepest = Math.max(deepest, inlineDepth(input, materialized));
            }
        }
        return deepest + 1;
    }

    private static Plan plan(String sample) throws Exception {
        return Sample.named(sample).compile(Dtype.F64).plan();
    }

    private static Node value(ModelIr model, String name) {
        return model.values().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow().node();
    }
}
