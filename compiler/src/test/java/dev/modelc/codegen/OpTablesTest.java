package dev.modelc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.CodeBlock;
import dev.modelc.autodiff.DerivativeRules;
import dev.modelc.graph.DropoutSite;
import dev.modelc.graph.Evaluator;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Shape;
import dev.modelc.graph.ShapeRules;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every primitive op has its entry in each per-op table: a shape rule, a reference formula, a
 * derivative rule where it is differentiable, and a Java renderer. An op added to {@link Op}
 * without them fails here, naming the tables it is missing from.
 */
class OpTablesTest {
    private static final Node A = Node.param("a", Shape.SCALAR);
    private static final Node B = Node.param("b", Shape.SCALAR);
    private static final Node C = Node.param("c", Shape.SCALAR);

    @Test
    void everyNonLeafOpHasAShapeRule() {
        assertCovers(ShapeRules.covered(), op -> !op.isLeaf(), "ShapeRules");
    }

    @Test
    void everyNonLeafOpHasAReferenceFormula() {
        assertCovers(Evaluator.covered(), op -> !op.isLeaf(), "Evaluator");
    }

    @Test
    void everyDifferentiableNonLeafOpHasADerivativeRule() {
        assertCovers(DerivativeRules.covered(), op -> !op.isLeaf() && op.isDifferentiable(), "DerivativeRules");
    }

    @Test
    void everyElementwiseOpHasAJavaRenderer() {
        assertCovers(JavaExpressions.covered(), Op::isElementwise, "JavaExpressions");
    }

    @Test
    void everyViewIsReadByTheElementRenderer() {
        assertCovers(ElementRenderer.VIEWS, op -> op.kind() == Op.Kind.VIEW, "ElementRenderer");
    }

    @Test
    void everyOtherNonLeafOpHasAKernel() {
        assertCovers(KernelWriter.KERNELS, op -> !op.isLeaf() && !op.isElementwise() && op.kind() != Op.Kind.VIEW,
                "KernelWriter");
    }

    @Test
    void theOpsTheTablesAreCheckedAgainstIncludeEveryKind() {
        for (Op.Kind kind : Op.Kind.values()) {
            assertTrue(Arrays.stream(Op.values()).anyMatch(op -> op.kind() == kind), kind.name());
        }
    }

    /** An entry that exists but cannot answer is as bad as none: ask each one once. */
    @ParameterizedTest
    @EnumSource(Op.class)
    void everyEntryAnswersForScalars(Op op) {
        if (!op.isElementwise()) {
            return;
        }
        Node node = op == Op.DROPOUT ? Node.of(op, new DropoutSite(0, 0.5), A) : Node.of(op, operands(op));
        assertEquals(Shape.SCALAR, node.shape());
        double[] values = Arrays.copyOf(new double[] {0.7, 0.3, -0.2}, op.arity());
        assertTrue(Double.isFinite(Evaluator.apply(op, values)), op + " at " + Arrays.toString(values));
        if (op.isDifferentiable()) {
            Node[] cotangents = DerivativeRules.rule(op).vjp(node, Node.param("g", Shape.SCALAR));
            assertEquals(op.arity(), cotangents.length, op + " gives one cotangent per input");
        }
        for (Dtype dtype : Dtype.values()) {
            CodeBlock code = JavaExpressions.render(node, dtype, new ParamOperands(dtype)).code();
            assertFalse(code.isEmpty(), op + " renders to nothing in " + dtype);
        }
    }

    private static Node[] operands(Op op) {
        return Arrays.copyOf(new Node[] {A, B, C}, op.arity());
    }

    private static void assertCovers(Set<Op> covered, Predicate<Op> needsEntry, String table) {
        Set<Op> missing = new TreeSet<>();
        for (Op op : Op.values()) {
            if (needsEntry.test(op) && !covered.contains(op)) {
                missing.add(op);
            }
        }
        assertTrue(missing.isEmpty(), table + " has no entry for " + missing);
    }

    /** Params are variables named as in the model; constants are literals; anything else inline. */
    static final class ParamOperands implements JavaExpressions.Operands {
        private final Dtype dtype;

        ParamOperands(Dtype dtype) {
            this.dtype = dtype;
        }

        @Override
        public JavaExpressions.Java java(Node operand) {
            if (operand.op() == Op.PARAM) {
                return new JavaExpressions.Java(CodeBlock.of("$N", operand.name()), JavaExpressions.ATOM);
            }
            if (operand.isConstant()) {
                return JavaExpressions.constant(operand.constantValue(), dtype);
            }
            return JavaExpressions.render(operand, dtype, this);
        }

        @Override
        public boolean isInline(Node operand) {
            return !operand.op().isLeaf();
        }

        @Override
        public CodeBlock flatIndex(Node node) {
            return CodeBlock.of("i");
        }
    }
}
