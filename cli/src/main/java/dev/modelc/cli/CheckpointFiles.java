package dev.modelc.cli;

import dev.modelc.runtime.LearningRateSchedule;
import dev.modelc.runtime.MinibatchTrainer;
import dev.modelc.runtime.Printable;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.TrainingPosition;
import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.runtime.checkpoint.CheckpointException;
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

    /** Gives the model the checkpoint's parameters, noting on {@code err} the tensors it leaves aside. */
    static void initialize(Checkpoint checkpoint, Path path, TrainableModel model, PrintWriter err) {
        try {
            List<String> ignored = checkpoint.initialize(model);
            if (!ignored.isEmpty()) {
                List<String> shown = ignored.stream().limit(5).map(Printable::quote).toList();
                err.println("modelc: note: --init " + path + ": ignored " + ignored.size() + " tensor"
                        + (ignored.size() == 1 ? "" : "s") + " this model does not declare: " + String.join(", ", shown)
                        + (ignored.size() > shown.size() ? ", ..." : ""));
                err.flush();
            }
        } catch (CheckpointException e) {
            throw new Failures.UserError(path + ": " + e.getMessage());
        }
    }

    /**
     * Refuses, before training, a checkpoint that could not be written at the end: one larger
     * than the free space where it goes (the old file stays until the new one is whole, so all of
     * it must fit), or whose header would be too large to read back.
     */
    static void requireRoom(Path path, TrainableModel model, Checkpoint.Run run, LearningRateSchedule schedule) {
        long bytes;
        try {
            bytes = Checkpoint.size(model, run, schedule);
        } catch (IllegalArgumentException e) {
            throw new Failures.UserError("--save " + path + ": this model's checkpoint cannot be written: "
                    + e.getMessage());
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

    static void save(Path path, TrainableModel model, TrainingPosition position, Checkpoint.Run run,
                     LearningRateSchedule schedule) {
        try {
            Checkpoint.save(model, position, run, schedule, path);
        } catch (IOException e) {
            throw RunFiles.cannotWrite("--save", path, e);
        }
    }
}
