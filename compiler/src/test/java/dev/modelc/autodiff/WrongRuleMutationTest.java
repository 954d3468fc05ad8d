package dev.modelc.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.modelc.ModelCompiler;
import dev.modelc.Sample;
import dev.modelc.codegen.Dtype;
import dev.modelc.codegen.InMemoryCompiler;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.graph.Op;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.testing.GradCheck;
import dev.modelc.testing.GradientMismatch;
import dev.modelc.testing.InputCase;
import dev.modelc.testing.property.Property;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
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
 * Proves the gradient checks can fail: for every differentiable op, each mistake of its row in
 * {@link RuleMutants}, compiled into the row's small model (or the mistake's own), makes
 * {@link GradCheck} fail on random inputs, while the same model compiled with the real rule
 * passes. An op without a row fails the test. (The rows' mutants per argument, rank and axis
 * are run against the property tests by {@code WrongRulesFailThePropertiesTest}.)
 */
class WrongRuleMutationTest {
    /** A hand-written mistake with the model that shows it. */
    record Mutation(RuleMutants.Mutant mutant, String body) {
        Op op() {
            return mutant.op();
        }

        @Override
        public String toString() {
            return mutant.toString();
        }
    }

    static final List<Mutation> MUTATIONS = RuleMutants.ROWS.stream().flatMap(row -> row.mistakes().stream())
            .map(m -> new Mutation(m.mutant(), m.model())).toList();

    /**
     * Ops no model differentiates through: they appear only in backward graphs, as the
     * derivatives of abs, relu, gathers and convolutions, so a wrong rule for them could not show.
     */
    static final Set<Op> ONLY_IN_DERIVATIVES = EnumSet.of(Op.SIGN, Op.STEP, Op.SCATTER_ADD, Op.CONV2D_INPUT,
            Op.CONV2D_KERNEL, Op.MAX_POOL2D_GRAD);

    /**
     * Ops whose derivative is not the derivative of their value, so that finite differences
     * cannot check it: {@link #stopGradientPassesNoGradient} checks them instead.
     */
    static final Set<Op> NOT_BY_DIFFERENCES = EnumSet.of(Op.STOP_GRADIENT);

    /**
     * Ops whose value is drawn from a random mask, which the property tests' generators and their
     * reference interpreter do not draw: {@code DropoutTest} checks the rule by finite differences
     * under the step's mask, and that a wrong rule (the mask forgotten) fails GradCheck; and ops
     * whose value depends on whether the model trains: {@code BatchNormTest} checks the rule in
     * training, and that a wrong rule (the cotangent sent to the running statistic) fails GradCheck.
     */
    static final Set<Op> CHECKED_APART = EnumSet.of(Op.DROPOUT, Op.TRAINING);

    /** The generated classes: the real rule's and the wrong rule's model for each mutation. */
    private static final Map<Mutation, ModelCompiler.LoadedModel> REAL = new HashMap<>();
    private static final Map<Mutation, ModelCompiler.LoadedModel> WRONG = new HashMap<>();
    private static final Map<Mutation, String> REAL_SOURCE = new HashMap<>();
    private static final Map<Mutation, String> WRONG_SOURCE = new HashMap<>();

    static List<Mutation> mutations() {
        return MUTATIONS;
    }

    /** Generates every model, real and wrong, and compiles them all in one javac run. */
    @BeforeAll
    static void compileAll() throws ReflectiveOperationException {
        Map<String, String> sources = new LinkedHashMap<>();
        Map<Mutation, String> realClass = new HashMap<>();
        Map<Mutation, String> wrongClass = new HashMap<>();
        for (int i = 0; i < MUTATIONS.size(); i++) {
            Mutation m = MUTATIONS.get(i);
            String name = className(m.op()) + i;
            ModelCompiler.Result real = compile("Real" + name, m.body());
            RuleMutants.withMutant(m.mutant(), () -> {
                ModelCompiler.Result wrong = compile("Wrong" + name, m.body());
                wrongClass.put(m, wrong.className());
                sources.put(wrong.className(), wrong.javaSource());
            });
            realClass.put(m, real.className());
            sources.put(real.className(), real.javaSource());
        }
        ClassLoader loader = InMemoryCompiler.compile(sources);
        for (Mutation m : MUTATIONS) {
            REAL.put(m, load(loader, realClass.get(m)));
            WRONG.put(m, load(loader, wrongClass.get(m)));
            REAL_SOURCE.put(m, sources.get(realClass.get(m)).replace("Real", ""));
            WRONG_SOURCE.put(m, sources.get(wrongClass.get(m)).replace("Wrong", ""));
        }
    }

    @Test
    void everyDifferentiableOpHasARowWithAMistake() {
        Set<Op> expected = Arrays.stream(Op.values()).filter(op -> !op.isLeaf() && op.isDifferentiable())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Op.class)));
        Set<Op> covered = EnumSet.copyOf(ONLY_IN_DERIVATIVES);
        covered.addAll(NOT_BY_DIFFERENCES);
        covered.addAll(CHECKED_APART);
        RuleMutants.ROWS.forEach(row -> {
            assertTrue(covered.add(row.op()), "two rows for " + row.op());
            assertFalse(row.mistakes().isEmpty(), row.op() + " has no mistake of its own");
        });
        expected.removeAll(covered);
        assertEquals(Set.of(), expected, "differentiable ops without a row in RuleMutants");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutations")
    void theWrongRuleFailsTheGradientCheckAndTheRealRulePasses(Mutation m) {
        assertNotEquals(REAL_SOURCE.get(m), WRONG_SOURCE.get(m), "the wrong rule changed nothing");
        Property.Search<InputCase> real = check(REAL.get(m));
        assertTrue(real.counterexample().isEmpty(), () -> "the real rule fails:\n"
                + real.counterexample().orElseThrow().shrunkFailure().getMessage());
        assertTrue(real.report().checked() > 0, real.report()::toString);
        Property.Search<InputCase> wrong = check(WRONG.get(m));
        Throwable failure = wrong.counterexample().orElseThrow(
                () -> new AssertionError("GradCheck passed a model compiled with a wrong " + m)).shrunkFailure();
        if (!(failure instanceof GradientMismatch)) {
            fail("the wrong rule broke the model instead of its gradient", failure);
        }
    }

    /** {@code L = a * stop_gradient(a)}: dL/da is the stopped value, a, not 2a as finite differences see it. */
    @Test
    void stopGradientPassesNoGradient() throws ReflectiveOperationException {
        ModelCompiler.Result result = compile("Stopped", "param a = 0.7\nparam b = 2\n"
                + "loss L = a * stop_gradient(a) + stop_gradient(b)^2 * b");
        TrainableModel m = load(InMemoryCompiler.compile(Map.of(result.className(), result.javaSource())),
                result.className()).create(1, 1);
        assertEquals(0.7 * 0.7 + 8, m.forward(), 1e-12);
        m.backward();
        assertEquals(0.7, m.gradient(0, 0), 1e-12);
        assertEquals(4, m.gradient(1, 0), 1e-12);
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
