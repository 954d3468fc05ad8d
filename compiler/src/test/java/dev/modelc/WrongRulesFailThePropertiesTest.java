package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.autodiff.RuleMutants;
import dev.modelc.autodiff.RuleMutants.Mutant;
import dev.modelc.runtime.TrainableModel;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every wrong derivative rule of {@link RuleMutants} fails the gradient property tests, and
 * GradCheck too. Compiled into the cases of each property's own generator that it changes (the
 * very cases the property tests check), it must fail that property on one of the first few, and
 * GradCheck at that case's values on one of them: in the tensor test, and in the scalar test
 * where it reaches scalars. A mutant that no case of either changes fails the test, naming it:
 * the generators must reach every argument, rank, axis and shape a rule can be wrong at.
 */
class WrongRulesFailThePropertiesTest {
    /** Cases tried per mutant and property at most; nearly every mutant fails the first. */
    private static final int MAX_CASES = 8;

    /** What became of one mutant in one property's cases. */
    private static final class Verdict {
        final MutantPool<?> pool;
        final List<String> tried = new ArrayList<>();
        boolean property;
        boolean gradCheck;
        boolean exhausted;
        int next;

        Verdict(MutantPool<?> pool) {
            this.pool = pool;
        }

        boolean open() {
            return !exhausted && !(property && gradCheck) && tried.size() < MAX_CASES;
        }

        boolean killed() {
            return property && gradCheck;
        }

        @Override
        public String toString() {
            return pool.name() + (killed() ? " killed it in " : " did not kill it in ") + String.join(", ", tried);
        }
    }

    /** One mutant compiled into one case of one property. */
    private record Trial(Mutant mutant, Verdict verdict, int index) {
        String modelText(String className) {
            return verdict.pool.modelText(index, className);
        }
    }

    @Test
    void everyWrongRuleFailsTheGradientPropertiesAndGradCheck() {
        long startCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        List<MutantPool<?>> pools = List.of(
                new MutantPool<>("the tensor property", TensorGradientPropertyTest.property().cases(),
                        TensorCase::modelText, TensorGradientCheck::check, (c, m) -> TensorGradientCheck.load(m, c)),
                new MutantPool<>("the scalar property", ScalarGradientPropertyTest.property().cases(),
                        GradientCase::modelText, ScalarGradientCheck::check, (c, m) -> { }),
                new MutantPool<>("the layout property", LayoutGradientPropertyTest.property().cases(),
                        LayoutCase::modelText, LayoutGradientCheck::check, (c, m) -> LayoutGradientCheck.load(m, c)));
        Map<Mutant, List<Verdict>> verdicts = new LinkedHashMap<>();
        RuleMutants.all().forEach(m -> verdicts.put(m, pools.stream().map(Verdict::new).toList()));
        int trialCount = 0;
        for (int round = 0; round < MAX_CASES; round++) {
            List<Trial> trials = nextTrials(verdicts);
            if (trials.isEmpty()) {
                break;
            }
            trialCount += trials.size();
            CompiledModels<Trial> models = new CompiledModels<>(Trial::modelText,
                    (trial, compile) -> RuleMutants.withMutant(trial.mutant(), compile));
            models.compileAll(trials);
            trials.forEach(trial -> judge(trial, models));
        }
        System.out.printf("%d wrong derivative rules in %d compiled cases, %.1f s cpu in this thread%n",
                verdicts.size(), trialCount,
                (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - startCpu) / 1e9);
        List<String> survivors = new ArrayList<>();
        verdicts.forEach((mutant, list) -> {
            List<Verdict> reached = list.stream().filter(v -> !v.tried.isEmpty()).toList();
            String line = mutant + ": " + (reached.isEmpty() ? "no case of the property tests is changed by it"
                    : String.join("; ", reached.stream().map(Verdict::toString).toList()));
            System.out.println("  " + line);
            if (reached.isEmpty() || !reached.stream().allMatch(Verdict::killed)) {
                survivors.add(line);
            }
        });
        assertTrue(survivors.isEmpty(), "wrong rules that survive:\n" + String.join("\n", survivors));
    }

    /** For each mutant and property not yet decided, the next case of the property the mutant changes. */
    private static List<Trial> nextTrials(Map<Mutant, List<Verdict>> verdicts) {
        List<Trial> trials = new ArrayList<>();
        verdicts.forEach((mutant, list) -> {
            for (Verdict v : list) {
                if (v.open()) {
                    int index = v.pool.nextAffected(mutant, v.next);
                    if (index < 0) {
                        v.exhausted = true;
                    } else {
                        v.next = index + 1;
                        trials.add(new Trial(mutant, v, index));
                    }
                }
            }
        });
        return trials;
    }

    private static void judge(Trial trial, CompiledModels<Trial> models) {
        Verdict v = trial.verdict();
        String where = "case " + (trial.index() + 1);
        TrainableModel model;
        try {
            model = models.instantiate(trial, TensorGradientCheck.CAPACITY);
        } catch (RuntimeException e) {
            v.tried.add(where + " (not compiled: " + e.getMessage().lines().findFirst().orElse("") + ")");
            return;
        }
        MutantPool.Verdict property = v.pool.property(trial.index(), model);
        boolean gradCheck = v.pool.gradCheckFails(trial.index(), models.instantiate(trial, TensorGradientCheck.CAPACITY));
        v.property |= property == MutantPool.Verdict.FAILED;
        v.gradCheck |= gradCheck;
        v.tried.add(where + " (property " + property.name().toLowerCase(Locale.ROOT)
                + (gradCheck ? ", GradCheck failed)" : ", GradCheck passed)"));
    }
}
