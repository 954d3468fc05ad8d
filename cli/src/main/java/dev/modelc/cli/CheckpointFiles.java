package dev.modelc.cli;

import dev.modelc.runtime.LearningRateSchedule;
import dev.modelc.runtime.Printable;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.runtime.checkpoint.CheckpointException;
import dev.modelc.runtime.data.DataException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

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

    /** Notes on {@code err} the tensors of an --init checkpoint that the model does not declare, and so ignored. */
    static void noteIgnored(Checkpoint checkpoint, Path path, TrainableModel model, PrintWriter err) {
        List<String> ignored = checkpoint.undeclaredTensors(model);
        if (!ignored.isEmpty()) {
            List<String> shown = ignored.stream().limit(5).map(Printable::quote).toList();
            err.println("modelc: note: --init " + path + ": ignored " + ignored.size() + " tensor"
                    + (ignored.size() == 1 ? "" : "s") + " this model does not declare: " + String.join(", ", shown)
                    + (ignored.size() > shown.size() ? ", ..." : ""));
            err.flush();
        }
    }

    /**
     * Refuses, before training, a checkpoint that could not be written at the end: one larger
     * than the free space where it goes (the old file stays until the new one is whole, so all of
     * it must fit), or whose header would be too large to read back.
     */
    static void requireRoom(Path path, TrainSetup setup, LearningRateSchedule schedule) {
        long bytes;
        try {
            bytes = setup.training().checkpointSize(setup.model(), schedule.state());
        } catch (IllegalArgumentException e) {
            throw new Failures.UserError("--save " + path + ": this model's checkpoint cannot be written: "
                    + e.getMessage());
        } catch (DataException e) {
            throw new Failures.UserError(e.getMessage());
        }
        try {
            Path folder = path.toAbsolutePath().getParent();
            requireRoom(path, bytes, Files.getFileStore(folder).getUsableSpace());
        } catch (IOException e) {
            throw RunFiles.cannotWrite("--save", path, e);
        }
    }

    static void requireRoom(Path path, long bytes, long free) {
        if (bytes > free) {
            throw new Failures.UserError("--save " + path + ": the checkpoint takes about " + bytes + " bytes, but "
                    + "only " + free + " are free there; free some space, or save elsewhere");
        }
    }

    /** Writes the run's checkpoint where it ended, streamed and atomically. */
    static void save(Path path, TrainSetup setup, Trainer.Result result) {
        try {
            setup.training().save(setup.model(), result, path);
        } catch (IOException e) {
            throw RunFiles.cannotWrite("--save", path, e);
        } catch (DataException e) {
            throw new Failures.UserError(e.getMessage());
        }
    }
}
