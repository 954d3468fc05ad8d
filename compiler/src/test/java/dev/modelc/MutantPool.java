package dev.modelc;

import dev.modelc.autodiff.ReverseMode;
import dev.modelc.autodiff.RuleMutants;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.graph.Graphs;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.testing.GradCheck;
import dev.modelc.testing.property.CaseDiscarded;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * The cases of one gradient property test, in the test's own order, as a pool to find cases in
 * that a wrong derivative rule changes: a case is affected when differentiating its model with
 * the mutant in place gives other gradients. Each case is compiled once, when first looked at.
 *
 * @param <C> the type of the property's cases
 */
final class MutantPool<C> {
    /** The property for one case: throws an assertion error when it fails, discards through an assumption. */
    interface Check<C> {
        void check(C c, ModelIr lowered, TrainableModel model);
    }

    /** What a check said of a model. */
    enum Verdict {
        FAILED, PASSED, DISCARDED
    }

    /** A case's model as the compiler made it with the real rules, and the nodes its loss goes through. */
    private record Real(ModelCompiler.Result result, List<Node> nodes) {
    }

    private final String name;
    private final List<C> cases;
    private final BiFunction<C, String, String> modelText;
    private final Check<C> check;
    /** Gives a fresh instance of the case's class the case's values, for GradCheck. */
    private final BiConsumer<C, TrainableModel> bind;
    private final Map<Integer, Real> real = new HashMap<>();

    MutantPool(String name, List<C> cases, BiFunction<C, String, String> modelText, Check<C> check,
               BiConsumer<C, TrainableModel> bind) {
        this.name = name;
        this.cases = List.copyOf(cases);
        this.modelText = modelText;
        this.check = check;
        this.bind = bind;
    }

    String name() {
        return name;
    }

    /** The model text of case {@code index} under model name {@code className}. */
    String modelText(int index, String className) {
        return modelText.apply(cases.get(index), className);
    }

    /** The first case at {@code from} or after that the mutant affects, or -1. */
    int nextAffected(RuleMutants.Mutant mutant, int from) {
        for (int i = from; i < cases.size(); i++) {
            Real r = real(i);
            boolean reached = r.nodes().stream().anyMatch(n -> n.op() == mutant.op() && mutant.wrongAt().test(n));
            if (reached && affects(mutant, r.result())) {
                return i;
            }
        }
        return -1;
    }

    /** What the property says of case {@code index} compiled into {@code model}. */
    Verdict property(int index, TrainableModel model) {
        try {
            check.check(cases.get(index), real(index).result().lowered(), model);
            return Verdict.PASSED;
        } catch (CaseDiscarded e) {
            return Verdict.DISCARDED;
        } catch (AssertionError | RuntimeException e) {
            return Verdict.FAILED;
        }
    }

    /** Whether GradCheck, at the case's own values, fails {@code model}. */
    boolean gradCheckFails(int index, TrainableModel model) {
        bind.accept(cases.get(index), model);
        return !GradCheck.defaults().check(model).passed();
    }

    private boolean affects(RuleMutants.Mutant mutant, ModelCompiler.Result result) {
        boolean[] changed = new boolean[1];
        RuleMutants.withMutant(mutant, () -> {
            try {
                changed[0] = !ReverseMode.differentiate(result.stabilized()).gradients()
                        .equals(result.differentiated().gradients());
            } catch (RuntimeException e) {
                // The wrong rule breaks this model outright, as the IR verifier would say: no gradient to check.
                changed[0] = false;
            }
        });
        return changed[0];
    }

    private Real real(int index) {
        return real.computeIfAbsent(index, i -> {
            String text = modelText.apply(cases.get(i), "Real" + i);
            try {
                ModelCompiler.Result result = ModelCompiler.compile(new SourceFile("Real" + i + ".model", text),
                        ModelCompiler.Options.DEFAULT);
                return new Real(result, Graphs.topologicalOrder(List.of(result.stabilized().loss().node())));
            } catch (CompilationFailed e) {
                throw new IllegalStateException("a case of the " + name + " property does not compile:\n" + text, e);
            }
        });
    }
}
