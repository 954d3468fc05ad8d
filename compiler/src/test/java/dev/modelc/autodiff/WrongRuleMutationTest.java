package dev.modelc.autodiff;

import static dev.modelc.autodiff.DerivativeRules.add;
import static dev.modelc.autodiff.DerivativeRules.mul;
import static dev.modelc.autodiff.DerivativeRules.neg;
import static dev.modelc.autodiff.DerivativeRules.recip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.modelc.ModelCompiler;
import dev.modelc.Sample;
import dev.modelc.codegen.Dtype;
import dev.modelc.codegen.InMemoryCompiler;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.testing.GradCheck;
import dev.modelc.testing.GradientMismatch;
import dev.modelc.testing.InputCase;
import dev.modelc.testing.property.Property;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves the gradient checks can fail: for every differentiable op, a deliberately wrong
 * derivative rule compiled into a small model through that op makes {@link GradCheck} fail,
 * while the same model compiled with the real rule passes. One line per op; an op without a
 * line fails the test.
 */
class WrongRuleMutationTest {
    /** An op, how its rule is made wrong, and the body of a small model whose loss goes through the op. */
    record Mutation(Op op, String mistake, DerivativeRules.Rule wrong, String body) {
        @Override
        public String toString() {
            return op.mnemonic() + ": " + mistake;
        }
    }

    static final List<Mutation> MUTATIONS = List.of(
            new Mutation(Op.ADD, "second cotangent negated", (y, g) -> new Node[] {g, neg(g)},
                    "param a = 0.7\nparam b = -1.3\nloss L = (a + b) * b"),
            new Mutation(Op.MUL, "operands swapped", (y, g) -> new Node[] {mul(g, y.input(0)), mul(g, y.input(1))},
                    "param a = 0.7\nparam b = -1.3\nloss L = a * b"),
            new Mutation(Op.NEG, "sign dropped", (y, g) -> new Node[] {g},
                    "param a = 0.7\nloss L = -a + a^2"),
            new Mutation(Op.RECIP, "-1/x instead of -1/x^2", (y, g) -> new Node[] {neg(mul(g, y))},
                    "param a = 0.7\nloss L = 1 / (a^2 + 1)"),
            new Mutation(Op.POW, "exponent not lowered", (y, g) -> new Node[] {
                mul(g, mul(y.input(1), y)), null}, "param a = 0.7\nloss L = a^3"),
            new Mutation(Op.EXP, "the factor exp(x) forgotten", (y, g) -> new Node[] {g},
                    "param a = 0.7\nloss L = exp(a)"),
            new Mutation(Op.LOG, "times x instead of over x", (y, g) -> new Node[] {mul(g, y.input(0))},
                    "param a = 0.7\nloss L = log(a)"),
            new Mutation(Op.SQRT, "the 2 forgotten", (y, g) -> new Node[] {mul(g, recip(y))},
                    "param a = 0.7\nloss L = sqrt(a)"),
            new Mutation(Op.ABS, "sign(x) forgotten", (y, g) -> new Node[] {g},
                    "param a = -0.7\nloss L = abs(a)"),
            new Mutation(Op.TANH, "1 + tanh^2", (y, g) -> new Node[] {mul(g, add(Node.constant(1), mul(y, y)))},
                    "param a = 0.7\nloss L = tanh(a)"),
            new Mutation(Op.SIGMOID, "the factor 1 - s forgotten", (y, g) -> new Node[] {mul(g, y)},
                    "param a = 0.7\nloss L = sigmoid(a)"),
            new Mutation(Op.SOFTPLUS, "sigmoid(-x)", (y, g) -> new Node[] {
                mul(g, Node.of(Op.SIGMOID, neg(y.input(0))))}, "param a = 0.7\nloss L = softplus(a)"),
            new Mutation(Op.RELU, "step(x) forgotten", (y, g) -> new Node[] {g},
                    "param a = -0.7\nloss L = relu(a) + a^2"),
            new Mutation(Op.SIN, "-cos", (y, g) -> new Node[] {neg(mul(g, Node.of(Op.COS, y.input(0))))},
                    "param a = 0.7\nloss L = sin(a)"),
            new Mutation(Op.COS, "sign dropped", (y, g) -> new Node[] {mul(g, Node.of(Op.SIN, y.input(0)))},
                    "param a = 0.7\nloss L = cos(a)"),
            new Mutation(Op.EXPAND, "summed back, then doubled", scaled(Op.EXPAND, 2),
                    "input x : [batch, 3]\nparam b : [3] = normal(0, 1)\nloss L = mean((x + b)^2)"),
            // Doubled, not negated: the vector product reshapes twice, and two sign flips cancel.
            new Mutation(Op.RESHAPE, "passed back doubled", scaled(Op.RESHAPE, 2),
                    "input x : [batch, 3]\nparam w : [3] = normal(0, 1)\nloss L = mean((x @ w)^2)"),
            new Mutation(Op.TRANSPOSE, "not transposed back", (y, g) -> new Node[] {g},
                    "param A : [2, 2] = normal(0, 1)\nparam B : [2, 2] = normal(0, 1)\nloss L = sum(transpose(A) * B)"),
            new Mutation(Op.SUM, "spread at half", scaled(Op.SUM, 0.5),
                    "input x : [batch, 3]\nparam w : [3] = normal(0, 1)\nloss L = mean(sum(x * w, axis = 1)^2)"),
            new Mutation(Op.MAX, "spread to every element, not only the largest", (y, g) -> new Node[] {
                Broadcasts.unreduce(g, y.input(0).shape(), y.axes())},
                    "input x : [batch, 3]\nparam w : [3] = normal(0, 1)\nloss L = mean(max(x * w, axis = 1))"),
            new Mutation(Op.LOGSUMEXP, "softmax forgotten", (y, g) -> new Node[] {
                Broadcasts.unreduce(g, y.input(0).shape(), y.axes())},
                    "input x : [batch, 3]\nparam w : [3] = normal(0, 1)\nloss L = mean(logsumexp(x * w, axis = 1))"),
            new Mutation(Op.MATMUL, "g @ b instead of g @ b^T", (y, g) -> new Node[] {
                Node.of(Op.MATMUL, g, y.input(1)), Node.of(Op.MATMUL, Node.of(Op.TRANSPOSE, y.input(0)), g)},
                    "input x : [batch, 2]\nparam W1 : [2, 2] = normal(0, 1)\nparam W2 : [2, 2] = normal(0, 1)\n"
                            + "loss L = mean(tanh(x @ W1) @ W2)"));

    /**
     * Ops no model differentiates through: they appear only in backward graphs, as the
     * derivatives of abs and relu, so a wrong rule for them could not show.
     */
    static final Set<Op> ONLY_IN_DERIVATIVES = EnumSet.of(Op.SIGN, Op.STEP);

    /** The generated classes: the real rule's and the wrong rule's model for each op. */
    private static final Map<Op, ModelCompiler.LoadedModel> REAL = new EnumMap<>(Op.class);
    private static final Map<Op, ModelCompiler.LoadedModel> WRONG = new EnumMap<>(Op.class);
    private static final Map<Op, String> REAL_SOURCE = new EnumMap<>(Op.class);
    private static final Map<Op, String> WRONG_SOURCE = new EnumMap<>(Op.class);

    static List<Mutation> mutations() {
        return MUTATIONS;
    }

    /** Generates every model, real and wrong, and compiles them all in one javac run. */
    @BeforeAll
    static void compileAll() throws ReflectiveOperationException {
        Map<String, String> sources = new LinkedHashMap<>();
        Map<Op, String> realClass = new EnumMap<>(Op.class);
        Map<Op, String> wrongClass = new EnumMap<>(Op.class);
        for (Mutation m : MUTATIONS) {
            ModelCompiler.Result real = compile("Real" + className(m.op()), m.body());
            DerivativeRules.withOverride(m.op(), m.wrong(), () -> {
                ModelCompiler.Result wrong = compile("Wrong" + className(m.op()), m.body());
                wrongClass.put(m.op(), wrong.className());
                sources.put(wrong.className(), wrong.javaSource());
            });
            realClass.put(m.op(), real.className());
            sources.put(real.className(), real.javaSource());
        }
        ClassLoader loader = InMemoryCompiler.compile(sources);
        for (Mutation m : MUTATIONS) {
            REAL.put(m.op(), load(loader, realClass.get(m.op())));
            WRONG.put(m.op(), load(loader, wrongClass.get(m.op())));
            REAL_SOURCE.put(m.op(), sources.get(realClass.get(m.op())).replace("Real", ""));
            WRONG_SOURCE.put(m.op(), sources.get(wrongClass.get(m.op())).replace("Wrong", ""));
        }
    }

    @Test
    void everyDifferentiableOpHasAMutation() {
        Set<Op> expected = Arrays.stream(Op.values()).filter(op -> !op.isLeaf() && op.isDifferentiable())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Op.class)));
        Set<Op> covered = EnumSet.copyOf(ONLY_IN_DERIVATIVES);
        MUTATIONS.forEach(m -> assertTrue(covered.add(m.op()), "two lines for " + m.op()));
        assertEquals(expected, covered, "every differentiable op needs a line in MUTATIONS");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutations")
    void theWrongRuleFailsTheGradientCheckAndTheRealRulePasses(Mutation m) {
        assertNotEquals(REAL_SOURCE.get(m.op()), WRONG_SOURCE.get(m.op()), "the wrong rule changed nothing");
        Property.Search<InputCase> real = check(REAL.get(m.op()));
        assertTrue(real.counterexample().isEmpty(), () -> "the real rule fails:\n"
                + real.counterexample().orElseThrow().shrunkFailure().getMessage());
        assertTrue(real.report().checked() > 0, real.report()::toString);
        Property.Search<InputCase> wrong = check(WRONG.get(m.op()));
        Throwable failure = wrong.counterexample().orElseThrow(
                () -> new AssertionError("GradCheck passed a model compiled with a wrong " + m)).shrunkFailure();
        if (!(failure instanceof GradientMismatch)) {
            fail("the wrong rule broke the model instead of its gradient", failure);
        }
    }

    @Test
    void opsOnlyInDerivativesAreNeverDifferentiatedThrough() {
        for (Op op : ONLY_IN_DERIVATIVES) {
            DerivativeRules.Rule used = (y, g) -> {
                throw new AssertionError("differentiated through " + op);
            };
            DerivativeRules.withOverride(op, used, () -> {
                MUTATIONS.forEach(m -> compile("M", m.body()));
                for (Sample sample : Sample.all()) {
                    try {
                        sample.compile(Dtype.F64);
                    } catch (CompilationFailed e) {
                        throw new AssertionError(e.diagnostics().render());
                    }
                }
            });
        }
    }

    /** A few tries of random inputs on small batches: enough for a wrong rule, quick for a right one. */
    private static Property.Search<InputCase> check(ModelCompiler.LoadedModel loaded) {
        return GradCheck.forAll(() -> loaded.create(1, 4), 5).batch(4).maxShrinkAttempts(20).search();
    }

    /** The rule's own result, each cotangent scaled by {@code factor}. */
    private static DerivativeRules.Rule scaled(Op op, double factor) {
        DerivativeRules.Rule real = DerivativeRules.rule(op);
        return (y, g) -> Arrays.stream(real.vjp(y, g)).map(c -> c == null ? null : mul(c, Node.constant(factor)))
                .toArray(Node[]::new);
    }

    private static String className(Op op) {
        return op.mnemonic().substring(0, 1).toUpperCase() + op.mnemonic().substring(1);
    }

    private static ModelCompiler.Result compile(String name, String body) {
        try {
            return ModelCompiler.compile(new SourceFile(name + ".model", "model " + name + "\n" + body + "\n"),
                    new ModelCompiler.Options("", Dtype.F64));
        } catch (CompilationFailed e) {
            throw new AssertionError(e.diagnostics().render());
        }
    }

    private static ModelCompiler.LoadedModel load(ClassLoader loader, String className)
            throws ReflectiveOperationException {
        Class<?> type = loader.loadClass(className);
        return new ModelCompiler.LoadedModel(type, (ModelSignature) type.getField("SIGNATURE").get(null));
    }
}
