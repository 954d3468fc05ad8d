package dev.modelc.graph;

import dev.modelc.runtime.LearningRateSchedule;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainingSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The train block after checking: optimizer and its hyperparameters, learning-rate schedule,
 * gradient clipping, data, batching, stopping rules and seed. Absent settings hold their
 * defaults; so does every hyperparameter the optimizer was not given.
 *
 * @param hyperparameters every hyperparameter of the optimizer by its PyTorch name, sorted;
 *                        flags such as {@code nesterov} are 1 or 0
 * @param clipNorm the most the global norm of all gradients may be, or {@link #NO_CLIPPING}
 * @param batchSize rows per step, or 0 for the whole training set (full-batch)
 * @param maxSteps the most updates, or {@link #UNSET}
 * @param heldOutStop a {@code stop when} that watches the held-out rows once an epoch, or null
 */
public record TrainSpec(String optimizer, Map<String, Double> hyperparameters, ScheduleSpec schedule,
                        double clipNorm, Optional<DataSpec> data, int batchSize, boolean shuffle, long epochs,
                        long maxSteps, long seed, ModelSignature.HeldOutStop heldOutStop) {
    /** Updates made without data when the train block sets neither {@code max_steps} nor a stop. */
    public static final long DEFAULT_MAX_STEPS = TrainingSettings.DEFAULT_STEPS_WITHOUT_DATA;
    /** {@code maxSteps} when the train block does not set it. */
    public static final long UNSET = TrainingSettings.UNSET;
    public static final long DEFAULT_EPOCHS = TrainingSettings.DEFAULT_EPOCHS;
    public static final long DEFAULT_SEED = 0;
    public static final double DEFAULT_LEARNING_RATE = LearningRateSchedule.DEFAULT_RATE;
    public static final double NO_CLIPPING = 0;

    public TrainSpec {
        hyperparameters = Collections.unmodifiableMap(new TreeMap<>(hyperparameters));
    }

    public static TrainSpec defaults() {
        return new TrainSpec("gd", Map.of("lr", DEFAULT_LEARNING_RATE), ScheduleSpec.CONSTANT, NO_CLIPPING,
                Optional.empty(), 0, false, DEFAULT_EPOCHS, UNSET, DEFAULT_SEED, null);
    }

    public double learningRate() {
        return hyperparameters.getOrDefault("lr", DEFAULT_LEARNING_RATE);
    }

    public double momentum() {
        return hyperparameter("momentum");
    }

    /** A hyperparameter's value; 0 for one the optimizer does not have. */
    public double hyperparameter(String name) {
        return hyperparameters.getOrDefault(name, 0.0);
    }

    /**
     * The state buffers the optimizer keeps per parameter, by PyTorch's names, in the order a
     * generated class declares them: what the update rules write and the memory figures count.
     */
    public List<String> optimizerState() {
        List<String> state = new ArrayList<>();
        switch (optimizer) {
            case "adam", "adamw" -> state.addAll(List.of("exp_avg", "exp_avg_sq"));
            case "rmsprop" -> {
                state.add("square_avg");
                if (momentum() != 0) {
                    state.add("momentum_buffer");
                }
                if (hyperparameter("centered") != 0) {
                    state.add("grad_avg");
                }
            }
            case "adagrad" -> state.add("sum");
            default -> {
                if (momentum() != 0) {
                    state.add("momentum_buffer");
                }
            }
        }
        return List.copyOf(state);
    }

    public boolean clipsGradients() {
        return clipNorm != NO_CLIPPING;
    }
}
