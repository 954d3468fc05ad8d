package dev.modelc.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.modelc.ModelCompiler;
import dev.modelc.Sample;
import dev.modelc.codegen.Dtype;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Shape;
import org.junit.jupiter.api.Test;

/**
 * The simplify stage: the seed example's gradients come out as a person writes them, and the
 * named rules do the algebra their names say. Nodes are hash-consed, so an expected result
 * is the very node the simplifier must return.
 */
class SimplifierTest {
    private static final Node X = Node.param("x", Shape.SCALAR);
    private static final Node Y = Node.param("y", Shape.SCALAR);

    @Test
    void seedExampleGradientsSimplifyToTwoXAndFourY() throws Exception {
        ModelCompiler.Result result = Sample.named("quadratic").compile(Dtype.F64);
        ModelIr simplified = Simplifier.simplify(result.differentiated());
        assertEquals("dJ/dx = 2 * x", simplified.gradientFormula("x"));
        assertEquals("dJ/dy = 4 * y", simplified.gradientFormula("y"));
        assertSame(mul(c(2), X), simplified.gradients().get("x"));
        assertSame(mul(c(4), Y), simplified.gradients().get("y"));
        // The chain rule alone leaves ones and products of constants behind.
        assertNotEquals("dJ/dy = 4 * y", result.differentiated().gradientFormula("y"));
    }

    @Test
    void timesOneAndPlusZeroVanish() {
        assertSame(X, simplify(mul(X, c(1))));
        assertSame(X, simplify(mul(c(1), X)));
        assertSame(X, simplify(add(X, c(0))));
        assertSame(X, simplify(add(c(0), X)));
    }

    @Test
    void doubleNegationVanishes() {
        assertSame(X, simplify(neg(neg(X))));
        assertSame(neg(X), simplify(neg(neg(neg(X)))));
    }

    @Test
    void constantsFold() {
        assertSame(c(5), simplify(add(c(2), c(3))));
        assertSame(c(6), simplify(mul(c(2), c(3))));
        assertSame(c(1), simplify(Node.of(Op.EXP, c(0))));
        assertSame(c(-0.25), simplify(neg(Node.of(Op.RECIP, c(4)))));
    }

    @Test
    void foldingLeavesValuesThatAreNotFinite() {
        Node oneOverZero = Node.of(Op.RECIP, c(0));
        assertSame(oneOverZero, simplify(oneOverZero));
        Node logOfZero = Node.of(Op.LOG, c(0));
        assertSame(logOfZero, simplify(logOfZero));
    }

    @Test
    void constantsOfNestedProductsMeet() {
        assertSame(mul(c(6), X), simplify(mul(c(2), mul(c(3), X))));
        assertSame(mul(c(6), X), simplify(mul(mul(X, c(2)), c(3))));
        assertSame(mul(c(8), mul(X, Y)), simplify(mul(mul(c(2), X), mul(c(4), Y))));
    }

    /** Found by fuzzing: with c1*c2 infinite, (c1*c2)*x and c1*(c2*x) turned into each other without end. */
    @Test
    void constantsWhoseProductOverflowsStayApart() {
        assertSame(mul(c(1e308), mul(c(2), X)), simplify(mul(mul(c(1e308), c(2)), X)));
        assertSame(mul(c(1e308), mul(c(2), X)), simplify(mul(c(1e308), mul(c(2), X))));
        assertNull(rule("c1*(c2*x) -> (c1*c2)*x").apply(mul(c(1e308), mul(c(2), X))));
    }

    @Test
    void namedRulesDoWhatTheirNamesSay() {
        assertSame(X, rule("x*1 -> x").apply(mul(X, c(1))));
        assertNull(rule("x*1 -> x").apply(mul(X, c(2))));
        assertSame(X, rule("x+0 -> x").apply(add(X, c(0))));
        assertNull(rule("x+0 -> x").apply(add(X, c(1))));
        assertSame(X, rule("--x -> x").apply(neg(neg(X))));
        assertNull(rule("--x -> x").apply(neg(X)));
        assertSame(c(5), rule("op(c...) -> c").apply(add(c(2), c(3))));
        assertNull(rule("op(c...) -> c").apply(add(X, c(3))));
        assertSame(mul(mul(c(2), c(3)), X), rule("c1*(c2*x) -> (c1*c2)*x").apply(mul(c(2), mul(c(3), X))));
        assertNull(rule("c1*(c2*x) -> (c1*c2)*x").apply(mul(c(2), mul(X, Y))));
    }

    @Test
    void theSimplifierCountsTheRulesItApplied() {
        Simplifier simplifier = new Simplifier(Rules.SIMPLIFY);
        simplifier.rewrite(add(mul(X, c(1)), c(0)));
        assertEquals(1, simplifier.applied().get("x*1 -> x"));
        assertEquals(1, simplifier.applied().get("x+0 -> x"));
        assertEquals(Rules.SIMPLIFY.size(), Rules.SIMPLIFY.stream().map(Rule::name).distinct().count(),
                "rule names are unique");
    }

    private static Rule rule(String name) {
        return Rules.SIMPLIFY.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no rule " + name));
    }

    private static Node simplify(Node node) {
        return new Simplifier(Rules.SIMPLIFY).rewrite(node);
    }

    private static Node c(double value) {
        return Node.constant(value);
    }

    private static Node add(Node a, Node b) {
        return Node.of(Op.ADD, a, b);
    }

    private static Node mul(Node a, Node b) {
        return Node.of(Op.MUL, a, b);
    }

    private static Node neg(Node a) {
        return Node.of(Op.NEG, a);
    }
}
