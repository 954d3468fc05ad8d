package dev.modelc.graph;

import java.util.Map;
import java.util.Optional;

/**
 * The train block after checking: optimizer and its hyperparameters, data, batching,
 * stopping rules and seed. Absent settings hold their defaults.
 *
 * @param batchSize rows per step, or 0 for the whole training set (full-batch)
 * @param maxSteps the most updates, or {@link #UNSET}
 */
public record TrainSpec(String optimizer, Map<String, Double> hyperparameters, Optional<DataSpec> data,
                        int batchSize, boolean shuffle, long epochs, long maxSteps, long seed) {
    /** Updates made without data when the train block sets neither {@code max_steps} nor a stop. */
    public static final long DEFAULT_MAX_STEPS = 1000;
    /** {@code maxSteps} when the train block does not set it. */
    public static final long UNSET = -1;
    public static final long DEFAULT_EPOCHS = 10;
    public static final long DEFAULT_SEED = 0;
    public static final double DEFAULT_LEARNING_RATE = 0.01;

    public TrainSpec {
        hyperparameters = Map.copyOf(hyperparameters);
    }

    public static TrainSpec defaults() {
        return new TrainSpec("gd", Map.of("lr", DEFAULT_LEARNING_RATE), Optional.empty(), 0, false,
                DEFAULT_EPOCHS, UNSET, DEFAULT_SEED);
    }

    public double learningRate() {
        return hyperparameters.getOrDefault("lr", DEFAULT_LEARNING_RATE);
    }

    public double momentum() {
        return hyperparameters.getOrDefault("momentum", 0.0);
    }
}
