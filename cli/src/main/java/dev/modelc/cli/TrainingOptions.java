package dev.modelc.cli;

import dev.modelc.check.Limits;
import dev.modelc.graph.TrainSpec;
import dev.modelc.runtime.training.Training;
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
            + "from the start of training; 0 trains nothing (default: the train block's max_steps, else no "
            + "limit with data and " + TrainSpec.DEFAULT_MAX_STEPS + " without)")
    Long steps;

    @CommandLine.Option(names = "--seed", paramLabel = "N", description = "seed for initializers, the data split "
            + "and shuffling (default: the train block's seed, else 0)")
    Long seed;

    /** The training these flags describe, for a model read from {@code modelFile}. */
    Training apply(Training training, Path modelFile) {
        Path folder = modelFile.toAbsolutePath().getParent();
        Training t = folder == null ? training : training.modelFolder(folder);
        t = data == null ? t : t.data(data);
        t = epochs == null ? t : t.epochs(epochs);
        t = batch == null ? t : t.batchSize(batch);
        t = steps == null ? t : t.maxSteps(steps);
        return seed == null ? t : t.seed(seed);
    }

    void check() {
        if (steps != null && steps < 0) {
            throw new Failures.UserError("--steps must be 0 or more, got " + steps);
        }
        if (epochs != null && epochs < 1) {
            throw new Failures.UserError("--epochs must be 1 or more, got " + epochs);
        }
        if (batch != null && (batch < 0 || batch > Limits.MAX_BATCH)) {
            throw new Failures.UserError("--batch must be from 0 (all rows) to " + (1 << 20) + ", got " + batch);
        }
    }
}
