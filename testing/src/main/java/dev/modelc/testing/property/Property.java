package dev.modelc.testing.property;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assertions;

/**
 * A property checked on many generated cases: runs it on {@code tries} cases drawn from a
 * seed and, on the first failure, shrinks the case and fails the test with the seed, the try,
 * the original and the shrunk case. {@code -Dmodelc.seed=N} reruns with seed N and
 * {@code -Dmodelc.tries=N} changes the number of cases.
 *
 * <pre>{@code
 * Property.forAll("sorting keeps the length", Gen.lists(Gen.integers(-9, 9), 0, 20))
 *         .tries(500).seed(42)
 *         .check(list -> assertEquals(list.size(), sort(list).size()));
 * }</pre>
 *
 * @param <T> the type of the cases
 */
public final class Property<T> {
    /** The system property that replaces the seed of every property run. */
    public static final String SEED_PROPERTY = "modelc.seed";
    /** The system property that replaces the number of tries of every property run. */
    public static final String TRIES_PROPERTY = "modelc.tries";

    private final String name;
    private final Gen<T> gen;
    private final int tries;
    private final long seed;
    private final double minCheckedFraction;
    private final int maxShrinkAttempts;
    private final Function<T, String> describe;

    private Property(String name, Gen<T> gen, int tries, long seed, double minCheckedFraction,
                     int maxShrinkAttempts, Function<T, String> describe) {
        this.name = Objects.requireNonNull(name, "name");
        this.gen = Objects.requireNonNull(gen, "gen");
        this.tries = tries;
        this.seed = seed;
        this.minCheckedFraction = minCheckedFraction;
        this.maxShrinkAttempts = maxShrinkAttempts;
        this.describe = Objects.requireNonNull(describe, "describe");
    }

    /** A property over the cases of {@code gen}: 100 tries, seed 0, at least half the cases checked. */
    public static <T> Property<T> forAll(String name, Gen<T> gen) {
        return new Property<>(name, gen, 100, 0, 0.5, 10_000, String::valueOf);
    }

    /** Checks {@code property} on {@code tries} cases of {@code gen} drawn from {@code seed}. */
    public static <T> Report check(String name, Gen<T> gen, int tries, long seed, Consumer<T> property) {
        return forAll(name, gen).tries(tries).seed(seed).check(property);
    }

    /** Discards the current case, neither passed nor failed, unless {@code condition} holds. */
    public static void assume(boolean condition, String reason) {
        if (!condition) {
            throw new CaseDiscarded(reason);
        }
    }

    public Property<T> tries(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("tries must be positive, got " + count);
        }
        return new Property<>(name, gen, count, seed, minCheckedFraction, maxShrinkAttempts, describe);
    }

    public Property<T> seed(long value) {
        return new Property<>(name, gen, tries, value, minCheckedFraction, maxShrinkAttempts, describe);
    }

    /** Fails the run when fewer than this fraction of the cases were checked rather than discarded. */
    public Property<T> minCheckedFraction(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("a fraction is in [0, 1], got " + fraction);
        }
        return new Property<>(name, gen, tries, seed, fraction, maxShrinkAttempts, describe);
    }

    /** How many candidates shrinking may try before it reports the smallest failure found. */
    public Property<T> maxShrinkAttempts(int attempts) {
        return new Property<>(name, gen, tries, seed, minCheckedFraction, attempts, describe);
    }

    /** How cases appear in failure messages; {@code toString} unless given. */
    public Property<T> describedBy(Function<T, String> description) {
        return new Property<>(name, gen, tries, seed, minCheckedFraction, maxShrinkAttempts, description);
    }

    /** The seed in effect: {@code -Dmodelc.seed} if set, else the one given. */
    public long effectiveSeed() {
        return Overrides.longValue(SEED_PROPERTY).orElse(seed);
    }

    /** The number of tries in effect: {@code -Dmodelc.tries} if set, else the one given. */
    public int effectiveTries() {
        int count = Overrides.longValue(TRIES_PROPERTY).map(Math::toIntExact).orElse(tries);
        if (count < 1) {
            throw new IllegalArgumentException("-D" + TRIES_PROPERTY + " must be positive, got " + count);
        }
        return count;
    }

    /**
     * The cases {@link #check} tries, in order: for work that is cheaper done once for all
     * of them, such as compiling.
     */
    public List<T> cases() {
        long runSeed = effectiveSeed();
        int count = effectiveTries();
        List<T> cases = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            cases.add(gen.generate(RandomSource.forTry(runSeed, i)));
        }
        return cases;
    }

    /** Checks a property that returns whether it holds. */
    public Report holds(Predicate<T> property) {
        return check(value -> Assertions.assertTrue(property.test(value), "the property returned false"));
    }

    /**
     * Runs {@code property} on every case; it fails by throwing (an assertion, usually) and
     * discards a case through {@link #assume}. Fails the test on the first failing case,
     * after shrinking it, or when too few cases were checked.
     */
    public Report check(Consumer<T> property) {
        Search<T> search = search(property);
        // A plain if rather than ifPresent: the failure message names the first frame outside this
        // library as the test to rerun, and a JDK frame in between would be taken for it.
        if (search.counterexample().isPresent()) {
            Counterexample<T> c = search.counterexample().get();
            Assertions.fail(FailureReport.render(new FailureReport(name, c.seed(), c.tryIndex(), c.tries(),
                    describe.apply(c.original()), c.originalFailure(), describe.apply(c.shrunk()),
                    c.shrunkFailure(), c.shrinkSteps(), c.shrinkAttempts(), c.shrinkBudgetExhausted())),
                    c.shrunkFailure());
        }
        Report report = search.report();
        if (report.checked() < minCheckedFraction * report.tries()) {
            Assertions.fail(report + ": fewer than " + minCheckedFraction * 100 + "% of the cases were checked; "
                    + "generate valid cases more often instead of discarding them");
        }
        System.out.println(report);
        return report;
    }

    /**
     * Runs {@code property} on the cases as {@link #check} does, but reports rather than fails:
     * for callers outside a test, such as a command line. Stops at the first failing case and
     * shrinks it; the report then counts the cases up to that one.
     */
    public Search<T> search(Consumer<T> property) {
        long runSeed = effectiveSeed();
        int count = effectiveTries();
        int checked = 0;
        Map<String, Integer> discards = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            T value = gen.generate(RandomSource.forTry(runSeed, i));
            Outcome outcome = Outcome.of(property, value);
            if (outcome.failed()) {
                GreedyShrinker.Result<T> shrunk = GreedyShrinker.shrink(gen, property, value, outcome.error(),
                        maxShrinkAttempts);
                Report report = new Report(name, runSeed, i + 1, checked, i - checked, sorted(discards));
                return new Search<>(report, Optional.of(new Counterexample<>(runSeed, i, count, value,
                        outcome.error(), shrunk.value(), shrunk.failure(), shrunk.steps(), shrunk.attempts(),
                        shrunk.budgetExhausted())));
            }
            if (outcome.status() == Outcome.Status.PASSED) {
                checked++;
            } else {
                discards.merge(outcome.discardReason(), 1, Integer::sum);
            }
        }
        return new Search<>(new Report(name, runSeed, count, checked, count - checked, sorted(discards)),
                Optional.empty());
    }

    private static Map<String, Integer> sorted(Map<String, Integer> discards) {
        return Collections.unmodifiableMap(new TreeMap<>(discards));
    }

    /** What {@link #search} found: the run's counts and, when a case failed, that case shrunk. */
    public record Search<T>(Report report, Optional<Counterexample<T>> counterexample) {
    }

    /**
     * A failing case: the seed and try that produced it, the case as generated and as shrunk,
     * each with the error it failed with, and how much work shrinking took.
     */
    public record Counterexample<T>(long seed, int tryIndex, int tries, T original, Throwable originalFailure,
                                    T shrunk, Throwable shrunkFailure, int shrinkSteps, int shrinkAttempts,
                                    boolean shrinkBudgetExhausted) {
    }

    /** How a run went: cases tried, checked and discarded, with the reasons for discarding. */
    public record Report(String name, long seed, int tries, int checked, int discarded,
                         Map<String, Integer> discardReasons) {
        public double checkedFraction() {
            return tries == 0 ? 0 : (double) checked / tries;
        }

        @Override
        public String toString() {
            return "property \"" + name + "\" (seed " + seed + "): " + tries + " tries, " + checked + " checked, "
                    + discarded + " discarded" + (discardReasons.isEmpty() ? "" : " " + discardReasons);
        }
    }

    /** Reads the system properties that override the settings in code. */
    private static final class Overrides {
        static Optional<Long> longValue(String property) {
            String text = System.getProperty(property);
            if (text == null || text.isBlank()) {
                return Optional.empty();
            }
            try {
                return Optional.of(Long.parseLong(text.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + property + " must be a whole number, got `" + text + "`", e);
            }
        }
    }
}
