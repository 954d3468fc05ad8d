package dev.modelc.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The learning rate of every update under a model's schedule. The rate of update {@code t}
 * (the number of updates made before it, so the first update has {@code t = 0}) is a pure
 * function of the base rate, {@code t} and, for {@code reduce_on_plateau}, the mean training
 * losses of the complete epochs so far, whose effect is kept in a {@link State} that
 * checkpoints save. Trainers set the rate on the model before each update.
 *
 * <ul>
 *   <li>{@code constant}: the base rate;</li>
 *   <li>{@code step(step_size, gamma)}: {@code base * gamma^floor(t / step_size)};</li>
 *   <li>{@code multistep(milestones, gamma)}: {@code base * gamma^(milestones <= t)};</li>
 *   <li>{@code exponential(gamma)}: {@code base * gamma^t};</li>
 *   <li>{@code inverse_time(k)}: {@code base / (1 + k * t)};</li>
 *   <li>{@code linear_warmup(steps)}: {@code base * (t + 1) / steps} during the first {@code steps}
 *       updates, then the base rate;</li>
 *   <li>{@code cosine(steps, warmup, min_lr)}: a linear warmup as above over {@code warmup} updates,
 *       then {@code min_lr + (base - min_lr) * (1 + cos(pi * (t - warmup) / (steps - warmup))) / 2},
 *       and {@code min_lr} from update {@code steps} on; {@code steps} defaults to the run's length;</li>
 *   <li>{@code reduce_on_plateau(factor, patience, threshold, cooldown, min_lr)}: PyTorch's
 *       ReduceLROnPlateau in mode "min" with a relative threshold, told each complete epoch's mean
 *       training loss.</li>
 * </ul>
 */
public final class LearningRateSchedule {
    /** Changes of the plateau rate smaller than this are ignored, as PyTorch's {@code eps}. */
    static final double PLATEAU_EPSILON = 1e-8;
    /** The rate of a model without a train block, as of {@code gd} without {@code lr}. */
    public static final double DEFAULT_RATE = 0.01;

    /**
     * What a schedule needs to go on exactly where it was: the base rate, the length the
     * schedule was planned for, and the plateau's rate, best loss, epochs without improvement
     * and epochs of cooldown left (unused by the other schedules). The best loss is infinite
     * until the first epoch ends.
     */
    public record State(double baseRate, long plannedSteps, double plateauRate, double bestLoss, long badEpochs,
                        long cooldownLeft) {
        public State {
            if (!(baseRate >= 0) || !Double.isFinite(baseRate)) {
                throw new IllegalArgumentException("the base learning rate must be 0 or more, got " + baseRate);
            }
            if (!(plateauRate >= 0) || !Double.isFinite(plateauRate)) {
                throw new IllegalArgumentException("the plateau's rate must be 0 or more, got " + plateauRate);
            }
            if (Double.isNaN(bestLoss) || bestLoss == Double.NEGATIVE_INFINITY) {
                throw new IllegalArgumentException("the plateau's best loss must be a number or +Infinity, got "
                        + bestLoss);
            }
            if (badEpochs < 0 || cooldownLeft < 0) {
                throw new IllegalArgumentException("the plateau counts epochs from 0, got " + badEpochs
                        + " without improvement and " + cooldownLeft + " of cooldown");
            }
        }
    }

    private enum Kind {
        CONSTANT, STEP, MULTISTEP, EXPONENTIAL, INVERSE_TIME, LINEAR_WARMUP, COSINE, REDUCE_ON_PLATEAU
    }

    private final ModelSignature.Schedule spec;
    private final Kind kind;
    private final double baseRate;
    private final long plannedSteps;
    private double plateauRate;
    private double bestLoss;
    private long badEpochs;
    private long cooldownLeft;

    private LearningRateSchedule(ModelSignature.Schedule spec, State state) {
        this.spec = spec;
        this.kind = kind(spec.name());
        this.baseRate = state.baseRate();
        this.plannedSteps = state.plannedSteps();
        this.plateauRate = state.plateauRate();
        this.bestLoss = state.bestLoss();
        this.badEpochs = state.badEpochs();
        this.cooldownLeft = state.cooldownLeft();
        for (String required : required(kind)) {
            parameter(required);
        }
    }

    /**
     * A fresh schedule from a model's train block.
     *
     * @param baseRate the rate the schedule starts from: the optimizer's {@code lr}, or {@code --lr}
     * @param plannedSteps how many updates the run means to make, for {@code cosine} without {@code steps}
     */
    public static LearningRateSchedule of(ModelSignature.Schedule spec, double baseRate, long plannedSteps) {
        return new LearningRateSchedule(spec, new State(baseRate, plannedSteps, baseRate,
                Double.POSITIVE_INFINITY, 0, 0));
    }

    /**
     * The schedule of a model's train block (constant when it has none), from the optimizer's
     * {@code lr} as the model computes with it.
     */
    public static LearningRateSchedule of(ModelSignature signature, long plannedSteps) {
        return of(signature, trainBlockRate(signature), plannedSteps);
    }

    /** The schedule of a model's train block from another base rate, as {@code --lr} asks. */
    public static LearningRateSchedule of(ModelSignature signature, double baseRate, long plannedSteps) {
        ModelSignature.TrainDefaults train = signature.train();
        return of(train == null ? ModelSignature.Schedule.CONSTANT : train.schedule(), modelRate(signature, baseRate),
                plannedSteps);
    }

    /** The optimizer's {@code lr} in the train block, or {@value #DEFAULT_RATE} without one. */
    static double trainBlockRate(ModelSignature signature) {
        return signature.train() == null ? DEFAULT_RATE : signature.train().learningRate();
    }

    /**
     * A rate as the model holds it: an f32 model computes with a float, so its base rate is the
     * float nearest the one asked for, and a resumed run starts from the same bits.
     */
    public static double modelRate(ModelSignature signature, double rate) {
        return "f32".equals(signature.dtype()) ? (float) rate : rate;
    }

    /** A schedule that goes on from a saved state. */
    public static LearningRateSchedule restore(ModelSignature.Schedule spec, State state) {
        return new LearningRateSchedule(spec, state);
    }

    /**
     * The same schedule from another base rate, as {@code --lr} asks when resuming: a plateau
     * goes on at that rate and keeps its best loss and its counts.
     */
    public LearningRateSchedule withBaseRate(double rate) {
        return restore(spec, new State(rate, plannedSteps, rate, bestLoss, badEpochs, cooldownLeft));
    }

    public ModelSignature.Schedule spec() {
        return spec;
    }

    /**
     * Whether this is {@code reduce_on_plateau(held_out = true)}, told each epoch's loss over the
     * held-out rows rather than its mean training loss.
     */
    public boolean watchesHeldOut() {
        return kind == Kind.REDUCE_ON_PLATEAU && spec.parameters().getOrDefault("held_out", 0.0) == 1;
    }

    /** Whether this is {@code reduce_on_plateau}, the one schedule whose state a checkpoint must keep. */
    public boolean waitsForPlateau() {
        return kind == Kind.REDUCE_ON_PLATEAU;
    }

    /** Whether a train block's schedule is {@code reduce_on_plateau}. */
    public static boolean waitsForPlateau(ModelSignature.Schedule spec) {
        return kind(spec.name()) == Kind.REDUCE_ON_PLATEAU;
    }

    public double baseRate() {
        return baseRate;
    }

    public State state() {
        return new State(baseRate, plannedSteps, plateauRate, bestLoss, badEpochs, cooldownLeft);
    }

    /** The rate of update {@code t}, counted from 0. */
    public double rate(long t) {
        if (t < 0) {
            throw new IllegalArgumentException("updates are counted from 0, got " + t);
        }
        return switch (kind) {
            case CONSTANT -> baseRate;
            case STEP -> baseRate * Math.pow(parameter("gamma"), Math.floorDiv(t, (long) parameter("step_size")));
            case MULTISTEP -> baseRate * Math.pow(parameter("gamma"), milestonesReached(t));
            case EXPONENTIAL -> baseRate * Math.pow(parameter("gamma"), t);
            case INVERSE_TIME -> baseRate / (1 + parameter("k") * t);
            case LINEAR_WARMUP -> warmup(t, (long) parameter("steps"));
            case COSINE -> cosine(t);
            case REDUCE_ON_PLATEAU -> plateauRate;
        };
    }

    /**
     * Tells the schedule that an epoch is complete, with its mean training loss; only
     * {@code reduce_on_plateau} listens. Models without data count every update as an epoch.
     */
    public void epochEnded(double loss) {
        if (kind != Kind.REDUCE_ON_PLATEAU) {
            return;
        }
        if (loss < bestLoss * (1 - parameter("threshold"))) {
            bestLoss = loss;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            badEpochs = 0; // epochs in cooldown do not count against the loss
        }
        if (badEpochs > parameter("patience")) {
            double reduced = Math.max(plateauRate * parameter("factor"), parameter("min_lr"));
            if (plateauRate - reduced > PLATEAU_EPSILON) {
                plateauRate = reduced;
            }
            cooldownLeft = (long) parameter("cooldown");
            badEpochs = 0;
        }
    }

    private double warmup(long t, long steps) {
        return t < steps ? baseRate * (t + 1) / steps : baseRate;
    }

    private double cosine(long t) {
        long warmup = (long) parameter("warmup");
        long total = spec.parameters().containsKey("steps") ? (long) parameter("steps") : plannedSteps;
        double minRate = parameter("min_lr");
        if (t < warmup) {
            return warmup(t, warmup);
        }
        if (t >= total) {
            return minRate;
        }
        double progress = (double) (t - warmup) / (total - warmup);
        return minRate + (baseRate - minRate) * (1 + Math.cos(Math.PI * progress)) / 2;
    }

    private int milestonesReached(long t) {
        int reached = 0;
        for (long milestone : spec.milestones()) {
            reached += milestone <= t ? 1 : 0;
        }
        return reached;
    }

    private double parameter(String name) {
        Double value = spec.parameters().get(name);
        if (value == null) {
            throw new IllegalArgumentException("schedule `" + spec.name() + "` needs `" + name + "`, got "
                    + spec.parameters());
        }
        return value;
    }

    private static List<String> required(Kind kind) {
        return switch (kind) {
            case CONSTANT -> List.of();
            case STEP -> List.of("step_size", "gamma");
            case MULTISTEP, EXPONENTIAL -> List.of("gamma");
            case INVERSE_TIME -> List.of("k");
            case LINEAR_WARMUP -> List.of("steps");
            case COSINE -> List.of("warmup", "min_lr");
            case REDUCE_ON_PLATEAU -> List.of("factor", "patience", "threshold", "cooldown", "min_lr");
        };
    }

    private static Kind kind(String name) {
        for (Kind kind : Kind.values()) {
            if (kind.name().toLowerCase(Locale.ROOT).equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown schedule `" + name + "`");
    }

    /** The schedule as the train block writes it, such as {@code cosine(min_lr = 0.0, warmup = 100.0)}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(spec.name());
        if (!spec.parameters().isEmpty() || !spec.milestones().isEmpty()) {
            List<String> parts = new ArrayList<>();
            if (!spec.milestones().isEmpty()) {
                parts.add("milestones = " + spec.milestones());
            }
            for (Map.Entry<String, Double> e : spec.parameters().entrySet()) {
                parts.add(e.getKey() + " = " + e.getValue());
            }
            text.append('(').append(String.join(", ", parts)).append(')');
        }
        return text.toString();
    }
}
