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

    /**
     * A convolution's adjoints are functions of its stride and padding, and the pooling's adjoint
     * of its window: a printed gradient without them would be another function.
     */
    @Test
    void theAdjointsOfConvolutionAndPoolingPrintTheirWindows() {
        Node image = Node.param("x", Shape.of(2, 3, 9, 9));
        Node kernel = Node.param("K", Shape.of(4, 3, 3, 3));
        Node cotangent = Node.param("dY", Shape.of(2, 4, 5, 5));
        Window window = Window.of(2, 1);
        assertEquals("conv2d(x, K, stride = 2, padding = 1)",
                ExpressionPrinter.print(Node.of(Op.CONV2D, window, image, kernel)));
        assertEquals("conv2d_input(dY, K, stride = 2, padding = 1)",
                ExpressionPrinter.print(Node.of(Op.CONV2D_INPUT, window.to(image.shape()), cotangent, kernel)));
        assertEquals("conv2d_kernel(x, dY, stride = 2, padding = 1)",
                ExpressionPrinter.print(Node.of(Op.CONV2D_KERNEL, window.to(kernel.shape()), image, cotangent)));

        Node pooled = Node.param("dP", Shape.of(2, 3, 3, 3));
        assertEquals("max_pool2d(x, 3)", ExpressionPrinter.print(Node.of(Op.MAX_POOL2D, 3, image)));
        assertEquals("max_pool2d_grad(x, dP, 3)", ExpressionPrinter.print(Node.of(Op.MAX_POOL2D_GRAD, 3, image, pooled)));
    }
}
