package dev.modelc.check;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The optimizers and learning-rate schedules a train block may name, each with its parameters:
 * optimizers take PyTorch's hyperparameter names and defaults ({@code betas} written as
 * {@code beta1} and {@code beta2}), schedules count in updates except {@code reduce_on_plateau},
 * which counts epochs.
 */
public final class TrainTables {

    /** The values a parameter accepts, and how to say so when it is given another. */
    enum Kind {
        POSITIVE("must be positive"),
        NON_NEGATIVE("must be at least 0"),
        BELOW_ONE("must be at least 0 and below 1"),
        UP_TO_ONE("must be from 0 to 1"),
        FACTOR("must be above 0 and below 1"),
        FLAG("is `true` or `false`"),
        COUNT("must be a whole number from 1 to 10^15"),
        WHOLE("must be a whole number from 0 to 10^15"),
        MILESTONES("is a list of increasing step numbers, each from 1 to 10^15");

        final String requirement;

        Kind(String requirement) {
            this.requirement = requirement;
        }

        boolean accepts(double v) {
            return switch (this) {
                case POSITIVE -> v > 0;
                case NON_NEGATIVE -> v >= 0;
                case BELOW_ONE -> v >= 0 && v < 1;
                case UP_TO_ONE -> v >= 0 && v <= 1;
                case FACTOR -> v > 0 && v < 1;
                case FLAG -> v == 0 || v == 1;
                case COUNT, MILESTONES -> v >= 1 && v == Math.rint(v) && v <= MAX_COUNT;
                case WHOLE -> v >= 0 && v == Math.rint(v) && v <= MAX_COUNT;
            };
        }
    }

    /**
     * One parameter. {@code defaultValue} is null for a required parameter, and for one the
     * run decides when it is not given ({@code cosine}'s {@code steps}: the run's length).
     */
    record Parameter(String name, Kind kind, Double defaultValue, boolean required) {
        static Parameter of(String name, Kind kind, double defaultValue) {
            return new Parameter(name, kind, defaultValue, false);
        }

        static Parameter required(String name, Kind kind) {
            return new Parameter(name, kind, null, true);
        }

        static Parameter leftToTheRun(String name, Kind kind) {
            return new Parameter(name, kind, null, false);
        }

        /** An example value for help texts. */
        String example() {
            if (kind == Kind.MILESTONES) {
                return "[1000, 2000]";
            }
            if (kind == Kind.FLAG) {
                return "true";
            }
            if (defaultValue != null) {
                return number(defaultValue);
            }
            return kind == Kind.COUNT ? "1000" : "0.1";
        }
    }

    /** The largest count of steps a schedule takes: every whole number up to it is a double exactly. */
    static final double MAX_COUNT = 1e15;
    static final Map<String, List<Parameter>> OPTIMIZERS = optimizerTable();
    static final Map<String, List<Parameter>> SCHEDULES = scheduleTable();
    /** Hyperparameters that do not exist as such in modelc, with what to write instead. */
    static final Map<String, String> RENAMED = Map.of(
            "betas", "give the two betas separately: `beta1 = 0.9, beta2 = 0.999`",
            "learning_rate", "the learning rate is `lr`");

    private TrainTables() {
    }

    private static Map<String, List<Parameter>> optimizerTable() {
        Map<String, List<Parameter>> optimizers = new LinkedHashMap<>();
        Parameter weightDecay = Parameter.of("weight_decay", Kind.NON_NEGATIVE, 0);
        optimizers.put("gd", List.of(Parameter.of("lr", Kind.POSITIVE, 0.01)));
        optimizers.put("sgd", List.of(Parameter.of("lr", Kind.POSITIVE, 1e-3),
                Parameter.of("momentum", Kind.BELOW_ONE, 0), Parameter.of("dampening", Kind.UP_TO_ONE, 0),
                weightDecay, Parameter.of("nesterov", Kind.FLAG, 0)));
        optimizers.put("adam", adam(weightDecay));
        optimizers.put("adamw", adam(Parameter.of("weight_decay", Kind.NON_NEGATIVE, 1e-2)));
        optimizers.put("rmsprop", List.of(Parameter.of("lr", Kind.POSITIVE, 1e-2),
                Parameter.of("alpha", Kind.BELOW_ONE, 0.99), Parameter.of("eps", Kind.POSITIVE, 1e-8), weightDecay,
                Parameter.of("momentum", Kind.BELOW_ONE, 0), Parameter.of("centered", Kind.FLAG, 0)));
        optimizers.put("adagrad", List.of(Parameter.of("lr", Kind.POSITIVE, 1e-2),
                Parameter.of("lr_decay", Kind.NON_NEGATIVE, 0), weightDecay,
                Parameter.of("initial_accumulator_value", Kind.NON_NEGATIVE, 0),
                Parameter.of("eps", Kind.POSITIVE, 1e-10)));
        return Collections.unmodifiableMap(optimizers);
    }

    private static Map<String, List<Parameter>> scheduleTable() {
        Map<String, List<Parameter>> schedules = new LinkedHashMap<>();
        Parameter gamma = Parameter.of("gamma", Kind.POSITIVE, 0.1);
        schedules.put("constant", List.of());
        schedules.put("step", List.of(Parameter.required("step_size", Kind.COUNT), gamma));
        schedules.put("multistep", List.of(Parameter.required("milestones", Kind.MILESTONES), gamma));
        schedules.put("exponential", List.of(Parameter.required("gamma", Kind.POSITIVE)));
        schedules.put("inverse_time", List.of(Parameter.required("k", Kind.POSITIVE)));
        schedules.put("cosine", List.of(Parameter.leftToTheRun("steps", Kind.COUNT),
                Parameter.of("warmup", Kind.WHOLE, 0), Parameter.of("min_lr", Kind.NON_NEGATIVE, 0)));
        schedules.put("linear_warmup", List.of(Parameter.required("steps", Kind.COUNT)));
        schedules.put("reduce_on_plateau", List.of(Parameter.of("factor", Kind.FACTOR, 0.1),
                Parameter.of("patience", Kind.WHOLE, 10), Parameter.of("threshold", Kind.NON_NEGATIVE, 1e-4),
                Parameter.of("cooldown", Kind.WHOLE, 0), Parameter.of("min_lr", Kind.NON_NEGATIVE, 0),
                Parameter.leftToTheRun("held_out", Kind.FLAG)));
        return Collections.unmodifiableMap(schedules);
    }

    private static List<Parameter> adam(Parameter weightDecay) {
        return List.of(Parameter.of("lr", Kind.POSITIVE, 1e-3), Parameter.of("beta1", Kind.BELOW_ONE, 0.9),
                Parameter.of("beta2", Kind.BELOW_ONE, 0.999), Parameter.of("eps", Kind.POSITIVE, 1e-8),
                weightDecay);
    }

    /** The optimizers' names, in the order the documentation lists them. */
    public static Set<String> optimizers() {
        return OPTIMIZERS.keySet();
    }

    /** The schedules' names, in the order the documentation lists them. */
    public static Set<String> schedules() {
        return SCHEDULES.keySet();
    }

    /** A number for a message: whole numbers without {@code .0}, others as Java prints them. */
    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }
}
