package dev.modelc.cli;

import dev.modelc.runtime.LearningRateSchedule;
import dev.modelc.runtime.MinibatchTrainer;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.TrainingPosition;
import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.runtime.checkpoint.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Checkpoint files from the command line: every problem with one becomes a user error naming
 * the file (exit code 2), raised before the model or any file is changed.
 */
final class CheckpointFiles {
    private CheckpointFiles() {
    }

    /** The checkpoint at {@code path}, checked as a file; null when no path is given. */
    static Checkpoint read(Path path) {
        if (path == null) {
            return null;
        }
        if (Files.isDirectory(path)) {
            throw new Failures.UserError(path + ": is a folder, not a checkpoint");
        }
        try {
            return Checkpoint.read(path);
        } catch (NoSuchFileException e) {
            throw new Failures.UserError(path + ": no such file");
        } catch (IOException e) {
            throw new Failures.UserError(path + ": cannot be read: " + e.getMessage());
        } catch (CheckpointException e) {
            throw new Failures.UserError(path + ": " + e.getMessage());
        }
    }

    static Checkpoint.Run run(Checkpoint checkpoint, Path path) {
        try {
            return checkpoint.run();
        } catch (CheckpointException e) {
            throw new Failures.UserError(path + ": " + e.getMessage());
        }
    }

    /**
     * Gives the run's model all the checkpoint holds, after checking that training on the run's
     * data can go on from where it stood; returns that position.
     */
    static TrainingPosition resume(Checkpoint checkpoint, Path path, TrainSetup setup) {
        try {
            TrainingPosition position = checkpoint.position();
            if (setup.hasData()) {
                MinibatchTrainer.checkResumable(setup.model(), setup.data(), setup.settings(), position);
            } else if (position.epoch() != 0) {
                throw new CheckpointException("it stands in epoch " + position.epoch() + ", but this model has no data");
            }
            checkpoint.resume(setup.model());
            return position;
        } catch (CheckpointException | IllegalArgumentException e) {
            throw new Failures.UserError(path + ": " + e.getMessage());
        }
    }

    /** The schedule a resumed run goes on with, its plateau as saved; see {@link Checkpoint#schedule}. */
    static LearningRateSchedule schedule(Checkpoint checkpoint, Path path, TrainSetup setup) {
        try {
            return checkpoint.schedule(setup.model(), setup.plannedSteps());
        } catch (CheckpointException e) {
            throw new Failures.UserError(path + ": " + e.getMessage());
        }
    }

    static void initialize(Checkpoint checkpoint, Path path, TrainableModel model) {
        try {
            checkpoint.initialize(model);
        } catch (CheckpointException e) {
            throw new Failures.UserError(path + ": " + e.getMessage());
        }
    }

    static void save(Path path, TrainableModel model, TrainingPosition position, Checkpoint.Run run,
                     LearningRateSchedule schedule) {
        try {
            Checkpoint.of(model, position, run, schedule).write(path);
        } catch (IOException e) {
            throw RunFiles.cannotWrite("--save", path, e);
        }
    }
}
