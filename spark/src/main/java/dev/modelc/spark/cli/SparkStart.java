package dev.modelc.spark.cli;

import dev.modelc.cli.SparkBackend;
import dev.modelc.runtime.LearningRateSchedule;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.TrainingSettings;
import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.runtime.checkpoint.CheckpointException;
import dev.modelc.spark.SparkTrainer;
import dev.modelc.spark.TrainingRows;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a run on Spark starts: from the train block's values, or from a checkpoint, which must
 * come from a run with the same seed, batches, shuffling and training rows (wherever it ran), as
 * on one machine. Everything is checked before the model is changed.
 */
final class SparkStart {
    private SparkStart() {
    }

    static SparkTrainer trainer(TrainableModel model, TrainingRows rows, TrainingSettings settings,
                                SparkBackend.TrainRequest request) {
        ModelSignature s = model.signature();
        long planned = settings.plannedSteps(rows.trainSize());
        Path path = request.checkpointPath();
        Double rate = request.learningRate();
        if (path == null || !request.resume()) {
            double base = rate != null ? rate : LearningRateSchedule.of(s, planned).baseRate();
            SparkTrainer trainer = create(model, rows, settings, LearningRateSchedule.of(s, base, planned));
            if (path != null) {
                checkpointStep(path, () -> read(path).initialize(model));
            }
            return trainer;
        }
        Checkpoint checkpoint = read(path);
        LearningRateSchedule[] schedule = new LearningRateSchedule[1];
        checkpointStep(path, () -> {
            requireSame(checkpoint.run(), settings, rows.trainSize());
            schedule[0] = checkpoint.schedule(s, planned);
        });
        LearningRateSchedule resumed = rate == null ? schedule[0]
                : schedule[0].withBaseRate(LearningRateSchedule.modelRate(s, rate));
        SparkTrainer trainer = create(model, rows, settings, resumed);
        checkpointStep(path, () -> {
            try {
                trainer.resumeFrom(checkpoint.position());
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(e.getMessage());
            }
            checkpoint.resume(model);
        });
        return trainer;
    }

    private static SparkTrainer create(TrainableModel model, TrainingRows rows, TrainingSettings settings,
                                       LearningRateSchedule schedule) {
        try {
            return new SparkTrainer(model, rows, settings, schedule);
        } catch (IllegalArgumentException e) {
            throw new SparkBackend.UserError(e.getMessage());
        }
    }

    private static void requireSame(Checkpoint.Run saved, TrainingSettings settings, int trainRows)
            throws CheckpointException {
        if (settings.seed() != saved.seed()) {
            throw new CheckpointException("the seed " + settings.seed() + " differs from the checkpoint's seed "
                    + saved.seed() + "; a resumed run keeps its seed, which chose the initial values, the data split "
                    + "and the shuffles");
        }
        if (settings.batchSize() != saved.batchSize()) {
            throw new CheckpointException("the batch size " + settings.batchSize() + " differs from the checkpoint's "
                    + saved.batchSize() + "; a resumed run keeps its batches");
        }
        if (settings.shuffle() != saved.shuffle()) {
            throw new CheckpointException("the checkpoint was trained " + (saved.shuffle() ? "with" : "without")
                    + " shuffling, but the train block now says otherwise");
        }
        if (trainRows != saved.trainRows()) {
            throw new CheckpointException("the checkpoint was trained on " + saved.trainRows() + " rows, but the data "
                    + "now gives " + trainRows + "; a resumed run needs the same data");
        }
    }

    private static Checkpoint read(Path path) {
        try {
            return Checkpoint.read(path);
        } catch (IOException | CheckpointException e) {
            throw new SparkBackend.UserError(path + ": " + e.getMessage());
        }
    }

    /** A step with the checkpoint whose failure is the checkpoint's problem, told with its file. */
    private static void checkpointStep(Path path, CheckpointAction action) {
        try {
            action.run();
        } catch (CheckpointException e) {
            throw new SparkBackend.UserError(path + ": " + e.getMessage());
        }
    }

    @FunctionalInterface
    private interface CheckpointAction {
        void run() throws CheckpointException;
    }
}
