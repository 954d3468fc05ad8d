package dev.modelc.cli;

import dev.modelc.graph.TrainSpec;
import java.nio.file.Path;
import picocli.CommandLine;

/** The flags that shape a training run, shared by {@code train} and {@code sweep}. */
final class TrainingOptions {
    @CommandLine.Option(names = "--data", paramLabel = "PATH",
            description = "CSV file to train on, instead of the train block's (same columns)")
    Path data;

    @CommandLine.Option(names = "--epochs", paramLabel = "N", description = "epochs over the data "
            + "(default: the train block's, else " + TrainSpec.DEFAULT_EPOCHS + ")")
    Long epochs;

    @CommandLine.Option(names = "--batch", paramLabel = "N",
            description = "rows per step; 0 for all training rows (default: the train block's, else 0)")
    Integer batch;

    @CommandLine.Option(names = "--steps", paramLabel = "N", description = "at most N updates in all, counted "
            + "from the start of training (default: the train block's max_steps; without data and stop "
            + "condition, " + TrainSpec.DEFAULT_MAX_STEPS + ")")
    Long steps;

    @CommandLine.Option(names = "--seed", paramLabel = "N", description = "seed for initializers, the data split "
            + "and shuffling (default: the train block's seed, else 0)")
    Long seed;

    void check() {
        if (steps != null && steps < 0) {
            throw new Failures.UserError("--steps must be 0 or more, got " + steps);
        }
        if (epochs != null && epochs < 1) {
            throw new Failures.UserError("--epochs must be 1 or more, got " + epochs);
        }
        if (batch != null && (batch < 0 || batch > 1 << 20)) {
            throw new Failures.UserError("--batch must be from 0 (all rows) to " + (1 << 20) + ", got " + batch);
        }
    }
}
