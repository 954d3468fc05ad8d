package dev.modelc.cli;

import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.runtime.checkpoint.CheckpointException;
import dev.modelc.runtime.data.DataException;
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

    /** Refuses a --seed other than the checkpoint's: a resumed run keeps its seed. */
    static void requireSeed(Checkpoint checkpoint, long seed) {
        Checkpoint.Run saved = run(checkpoint);
        if (saved != null && seed != saved.seed()) {
            throw new Failures.UserError("--seed " + seed + " differs from the checkpoint's seed " + saved.seed()
                    + "; a resumed run keeps its seed, which chose the initial values, the data split and the "
                    + "shuffles");
        }
    }

    /** Refuses a --batch other than the checkpoint's: a resumed run keeps its batches. */
    static void requireBatch(Checkpoint checkpoint, int batch) {
        Checkpoint.Run saved = run(checkpoint);
        if (saved != null && batch != saved.batchSize()) {
            throw new Failures.UserError("--batch " + batch + " differs from the checkpoint's batch size "
                    + saved.batchSize() + "; a resumed run keeps its batches");
        }
    }

    /** The checkpoint's run settings, or null when they cannot be read (resuming says why, naming the file). */
    private static Checkpoint.Run run(Checkpoint checkpoint) {
        try {
            return checkpoint.run();
        } catch (CheckpointException e) {
            return null;
        }
    }

    /** Writes the run's checkpoint where it ended. */
    static void save(Path path, TrainSetup setup, Trainer.Result result) {
        try {
            setup.training().save(setup.model(), result, path);
        } catch (IOException e) {
            throw new Failures.UserError(path + ": cannot be written: " + e.getMessage());
        } catch (DataException e) {
            throw new Failures.UserError(e.getMessage());
        }
    }
}
