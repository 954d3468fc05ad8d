package dev.modelc.graph;

import java.util.Map;

/**
 * The train block after checking: optimizer and its hyperparameters, stopping rules, seed.
 * Absent settings hold their defaults.
 */
public record TrainSpec(String optimizer, Map<String, Double> hyperparameters, long maxSteps,
                        boolean maxStepsGiven, long seed) {
    public static final long DEFAULT_MAX_STEPS = 1000;
    public static final long DEFAULT_SEED = 0;
    public static final double DEFAULT_LEARNING_RATE = 0.01;

    public TrainSpec {
        hyperparameters = Map.copyOf(hyperparameters);
    }

    public static TrainSpec defaults() {
        return new TrainSpec("gd", Map.of("lr", DEFAULT_LEARNING_RATE), DEFAULT_MAX_STEPS, false, DEFAULT_SEED);
    }

    public double learningRate() {
        return hyperparameters.getOrDefault("lr", DEFAULT_LEARNING_RATE);
    }
}
