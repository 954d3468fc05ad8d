package dev.modelc.testing;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.testing.property.Property;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A gradient check as a property test on JUnit Jupiter: random inputs for the model's declared
 * shapes, drawn from a seed, each checked by {@link GradCheck} on a fresh model. The first
 * failing case is shrunk toward fewer rows and simpler values, and the test fails with the
 * seed that reproduces it ({@code -Dmodelc.seed=N}; {@code -Dmodelc.tries=N} changes the tries).
 * A model without inputs is checked once, at its params as made.
 *
 * <pre>{@code
 * GradCheck.forAll(() -> new MyModel(7), 50).check();
 * GradCheck.forAll(() -> new MyModel(7, 16), 200).batch(16).inputRange("x", 0.1, 3).fast(4).seed(42).check();
 * }</pre>
 *
 * <p>Numbers are uniform in [-2, 2) unless a range is given; labels ({@code int[batch]}
 * inputs) are below the class count the model declares, or below {@link #labelBound} when it
 * declares none. The settings are kept by this object and apply to the next run.
 */
public final class GradientProperty {
    private static final int DEFAULT_BATCH = 8;
    private static final int DEFAULT_SHRINK_ATTEMPTS = 300;

    private final Supplier<? extends TrainableModel> models;
    private final int tries;
    private long seed;
    private int batch;
    private GradCheck gradCheck = GradCheck.defaults();
    private double low = -2;
    private double high = 2;
    private final Map<String, double[]> ranges = new LinkedHashMap<>();
    private int labelBound = 2;
    private int maxShrinkAttempts = DEFAULT_SHRINK_ATTEMPTS;

    GradientProperty(Supplier<? extends TrainableModel> models, int tries) {
        this.models = Objects.requireNonNull(models, "models");
        if (tries < 1) {
            throw new IllegalArgumentException("tries must be positive, got " + tries);
        }
        this.tries = tries;
    }

    /** The seed the inputs are drawn from; 0 unless given. */
    public GradientProperty seed(long value) {
        this.seed = value;
        return this;
    }

    /** Rows per case before shrinking; at most the model's batch capacity, which is also the default up to 8. */
    public GradientProperty batch(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("batch must be positive, got " + rows);
        }
        this.batch = rows;
        return this;
    }

    /** Checks each case with these settings instead of {@link GradCheck#defaults()}. */
    public GradientProperty using(GradCheck settings) {
        this.gradCheck = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /** Compares directional derivatives along {@code directions} random directions ({@link GradCheck#fast}). */
    public GradientProperty fast(int directions) {
        return using(gradCheck.fast(directions));
    }

    /** The range [low, high) of every number input without a range of its own. */
    public GradientProperty inputRange(double lowest, double highest) {
        requireRange(lowest, highest);
        this.low = lowest;
        this.high = highest;
        return this;
    }

    /** The range [low, high) of one number input, say (0.1, 3) for one the model takes the log of. */
    public GradientProperty inputRange(String input, double lowest, double highest) {
        requireRange(lowest, highest);
        ranges.put(Objects.requireNonNull(input, "input"), new double[] {lowest, highest});
        return this;
    }

    /** Labels are below this, for label inputs whose model declares no class count; 2 unless given. */
    public GradientProperty labelBound(int bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("label bound must be positive, got " + bound);
        }
        this.labelBound = bound;
        return this;
    }

    /** How many simpler cases shrinking may check; each is a whole gradient check. */
    public GradientProperty maxShrinkAttempts(int attempts) {
        this.maxShrinkAttempts = attempts;
        return this;
    }

    /** Checks every case; fails the test with the shrunk case, its report and the seed. */
    public Property.Report check() {
        return property().check(this::checkCase);
    }

    /** Checks the cases as {@link #check} does but returns what it found instead of failing. */
    public Property.Search<InputCase> search() {
        return property().search(this::checkCase);
    }

    /** The cases {@link #check} tries, in order. */
    public List<InputCase> cases() {
        return property().cases();
    }

    private void checkCase(InputCase c) {
        TrainableModel model = models.get();
        if (!c.inputs().isEmpty()) {
            model.bind(c.bindArguments(), c.rows());
        }
        GradCheckReport report = gradCheck.check(model);
        Property.assume(report.lossFinite(), "the loss is not finite");
        if (!report.passed()) {
            throw new GradientMismatch(report);
        }
    }

    private Property<InputCase> property() {
        TrainableModel prototype = models.get();
        ModelSignature signature = prototype.signature();
        GradCheck.requireF64(signature);
        InputCaseGen gen = new InputCaseGen(signature.inputs(), domains(signature), rows(prototype));
        return Property.forAll("gradients of " + signature.name() + " match finite differences", gen)
                .tries(signature.inputs().isEmpty() ? 1 : tries)
                .seed(seed)
                .maxShrinkAttempts(maxShrinkAttempts);
    }

    private int rows(TrainableModel prototype) {
        int capacity = prototype.batchCapacity();
        if (batch == 0) {
            return Math.min(DEFAULT_BATCH, capacity);
        }
        if (batch > capacity) {
            String name = prototype.signature().name();
            throw new IllegalArgumentException("batch " + batch + " is more than the " + capacity + " rows this "
                    + name + " was made for: make it with a larger batch capacity (new " + name + "(seed, "
                    + batch + ")) or ask for .batch(" + capacity + ")");
        }
        return batch;
    }

    private List<InputCaseGen.Domain> domains(ModelSignature signature) {
        List<String> names = signature.inputs().stream().map(ModelSignature.Input::name).toList();
        for (String named : ranges.keySet()) {
            if (!names.contains(named)) {
                throw new IllegalArgumentException("inputRange: " + signature.name() + " has no input " + named
                        + "; its inputs are " + names);
            }
        }
        List<InputCaseGen.Domain> domains = new ArrayList<>();
        for (ModelSignature.Input input : signature.inputs()) {
            double[] range = ranges.getOrDefault(input.name(), new double[] {low, high});
            int bound = input.classes() > 0 ? input.classes() : labelBound;
            domains.add(new InputCaseGen.Domain(range[0], range[1], bound));
        }
        return domains;
    }

    private static void requireRange(double lowest, double highest) {
        if (!(lowest < highest) || !Double.isFinite(highest - lowest)) {
            throw new IllegalArgumentException("not a finite range [" + lowest + ", " + highest + ")");
        }
    }
}
