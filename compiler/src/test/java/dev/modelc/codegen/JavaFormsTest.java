package dev.modelc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Shape;
import org.junit.jupiter.api.Test;

/**
 * The Java text of expressions, as the renderer's documentation promises it: the special forms
 * ({@code a - b}, {@code a / b}, {@code x * x}, {@code Math.sqrt}, {@code 1.0 / x}) and
 * parentheses exactly where Java's precedence needs them, inside every kind of parent. Values
 * are {@link JavaExpressionsTest}'s business; this test notices a form lost or a pair of
 * parentheses added or dropped, which values alone would let through.
 */
class JavaFormsTest {
    private static final Node A = Node.param("a", Shape.SCALAR);
    private static final Node B = Node.param("b", Shape.SCALAR);
    private static final Node C = Node.param("c", Shape.SCALAR);

    @Test
    void sumsAndDifferences() {
        assertForm("a + b + c", add(add(A, B), C));
        assertForm("a + (b + c)", add(A, add(B, C)));
        assertForm("a - b", add(A, neg(B)));
        assertForm("(a - b) * c", mul(add(A, neg(B)), C));
        assertForm("a - (b + c)", add(A, neg(add(B, C))));
        assertForm("a - 0.5", add(A, c(-0.5)));
        assertForm("(a - 0.5) * c", mul(add(A, c(-0.5)), C));
        assertForm("a + 0.5", add(A, c(0.5)));
        assertForm("a - 2.0 * b", add(A, mul(c(-2), B)));
        assertForm("(a - 2.0 * b) * c", mul(add(A, mul(c(-2), B)), C));
        assertForm("a - 2.0 * (b + c)", add(A, mul(c(-2), add(B, C))));
        assertForm("a + 2.0 * b", add(A, mul(c(2), B)));
        assertForm("(a + b) * c", mul(add(A, B), C));
        assertForm("a + b * c", add(A, mul(B, C)));
        assertForm("a + b - c", add(add(A, B), neg(C)));
        assertForm("a - b * c", add(A, neg(mul(B, C))));
        assertForm("a + b - 0.5", add(add(A, B), c(-0.5)));
    }

    @Test
    void productsQuotientsAndNegations() {
        assertForm("a * (b * c)", mul(A, mul(B, C)));
        assertForm("a * b * c", mul(mul(A, B), C));
        assertForm("a / b", mul(A, recip(B)));
        assertForm("a / (b * c)", mul(A, recip(mul(B, C))));
        assertForm("c * (a / b)", mul(C, mul(A, recip(B))));
        assertForm("a / b / c", mul(mul(A, recip(B)), recip(C)));
        assertForm("1.0 / (a * b)", recip(mul(A, B)));
        assertForm("-(a / b)", neg(mul(A, recip(B))));
        assertForm("-(-a)", neg(neg(A)));
        assertForm("-(-2.0)", neg(c(-2)));
        assertForm("-(a + b)", neg(add(A, B)));
        assertForm("-a * b", mul(neg(A), B));
        assertForm("a * -b", mul(A, neg(B)));
        assertForm("a / -b", mul(A, recip(neg(B))));
        assertForm("1.0 / -a", recip(neg(A)));
        assertForm("-(1.0 / a)", neg(recip(A)));
        assertForm("a / (1.0 / b)", mul(A, recip(recip(B))));
    }

    @Test
    void powers() {
        assertForm("a * a", pow(A, 2));
        assertForm("c * (a * a)", mul(C, pow(A, 2)));
        assertForm("-(a * a)", neg(pow(A, 2)));
        assertForm("java.lang.Math.pow(a + b, 2.0)", pow(add(A, B), 2));
        assertForm("java.lang.Math.sqrt(a)", pow(A, 0.5));
        assertForm("-java.lang.Math.sqrt(a)", neg(pow(A, 0.5)));
        assertForm("1.0 / a", pow(A, -1));
        assertForm("c * (1.0 / a)", mul(C, pow(A, -1)));
        assertForm("1.0 / (a + b)", pow(add(A, B), -1));
        assertForm("1.0 / -a", pow(neg(A), -1));
        assertForm("java.lang.Math.pow(a, 3.0)", pow(A, 3));
        assertForm("-java.lang.Math.pow(a, 3.0)", neg(pow(A, 3)));
    }

    @Test
    void conditionsAndComparisons() {
        assertForm("a < b ? a - b : b * 2.0", where(Node.of(Op.LT, A, B), add(A, neg(B)), mul(B, c(2))));
        assertForm("(a < b ? a : b) * c", mul(where(Node.of(Op.LT, A, B), A, B), C));
        assertForm("a - b != 0.0 ? a : -b", where(add(A, neg(B)), A, neg(B)));
        assertForm("a < b ? (a > c ? a : b) : c", where(Node.of(Op.LT, A, B), where(Node.of(Op.GT, A, C), A, B), C));
        assertForm("a < b ? a : a > c ? b : c", where(Node.of(Op.LT, A, B), A, where(Node.of(Op.GT, A, C), B, C)));
        assertForm("-(a >= b ? a : b)", neg(where(Node.of(Op.GE, A, B), A, B)));
        assertForm("a + b < a * b ? 1.0 : 0.0", Node.of(Op.LT, add(A, B), mul(A, B)));
        assertForm("a + b < a * b ? a : b", where(Node.of(Op.LT, add(A, B), mul(A, B)), A, B));
        assertForm("b >= a ? 1.0 : 0.0", Node.of(Op.GE, B, A));
        assertForm("(a < b ? 1.0 : 0.0) + c", add(Node.of(Op.LT, A, B), C));
        assertForm("a + (b < c ? 1.0 : 0.0) < c ? 1.0 : 0.0", Node.of(Op.LT, add(A, Node.of(Op.LT, B, C)), C));
    }

    @Test
    void callsInBothDtypes() {
        assertForm("java.lang.Math.exp(a) * b", mul(Node.of(Op.EXP, A), B));
        assertForm("(float) java.lang.Math.exp(a) * b", mul(Node.of(Op.EXP, A), B), Dtype.F32);
        assertForm("-(float) java.lang.Math.exp(a)", neg(Node.of(Op.EXP, A)), Dtype.F32);
        assertForm("java.lang.Math.abs(a) * b", mul(Node.of(Op.ABS, A), B), Dtype.F32);
        assertForm("(float) java.lang.Math.sqrt(a)", pow(A, 0.5), Dtype.F32);
        assertForm("(float) java.lang.Math.pow(a, 3.0f)", pow(A, 3), Dtype.F32);
        assertForm("1.0f / a", pow(A, -1), Dtype.F32);
        assertForm("java.lang.Math.max(a, 0.0f)", Node.of(Op.RELU, A), Dtype.F32);
        assertForm("dev.modelc.runtime.Kernels.sigmoid(a + b)", Node.of(Op.SIGMOID, add(A, B)));
        assertForm("a + b", Node.of(Op.STOP_GRADIENT, add(A, B)));
    }

    private static void assertForm(String expected, Node node) {
        assertForm(expected, node, Dtype.F64);
    }

    private static void assertForm(String expected, Node node, Dtype dtype) {
        assertEquals(expected, JavaExpressions.render(node, dtype, new OpTablesTest.ParamOperands(dtype)).code()
                .toString(), dtype.label());
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

    private static Node recip(Node a) {
        return Node.of(Op.RECIP, a);
    }

    private static Node pow(Node a, double exponent) {
        return Node.of(Op.POW, a, Node.constant(exponent));
    }

    private static Node where(Node condition, Node a, Node b) {
        return Node.of(Op.WHERE, condition, a, b);
    }
}
