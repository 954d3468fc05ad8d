package dev.modelc.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Formulas print as a person writes them, and a graph whose text would be huge prints in bounded text. */
class ExpressionPrinterTest {
    private static final Node X = Node.param("x", Shape.SCALAR);

    @Test
    void aSmallFormulaPrintsWhole() {
        Node formula = Node.of(Op.ADD, Node.of(Op.MUL, Node.constant(2), X), Node.of(Op.NEG, Node.constant(1)));
        assertEquals("2 * x - 1", ExpressionPrinter.print(formula));
    }

    /** Sixty squarings share every node, but written out the last one has 2^60 x's. */
    @Test
    void aGraphThatSharesNodesPrintsItsFirstNodesThenDots() {
        Node node = X;
        for (int i = 0; i < 60; i++) {
            node = Node.of(Op.MUL, node, node);
        }
        Node squared = node;
        String text = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> ExpressionPrinter.print(squared));
        assertTrue(text.startsWith("x * x * (x * x) * (x * x * (x * x))"), text.substring(0, 40));
        assertTrue(text.contains("..."));
        // Each node shown adds at most a name, an operator and a pair of parentheses.
        assertTrue(text.length() < 10 * ExpressionPrinter.MAX_NODES, "length " + text.length());
    }

    /** A chain as deep as the stack allows many times over. */
    @Test
    void aDeepChainPrintsWithoutOverflowingTheStack() {
        Node node = X;
        for (int i = 0; i < 200_000; i++) {
            node = Node.of(Op.SIN, node);
        }
        String text = ExpressionPrinter.print(node);
        assertTrue(text.startsWith("sin(sin("));
        assertTrue(text.contains("..."));
    }
}
