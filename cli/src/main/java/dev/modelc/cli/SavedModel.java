package dev.modelc.cli;

import dev.modelc.ModelCompiler;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.runtime.Dataset;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Preprocessing;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.runtime.checkpoint.CheckpointException;
import dev.modelc.runtime.data.DataException;
import dev.modelc.runtime.training.Training;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * A trained model as {@code predict} and {@code eval} use it: the compiled class, the
 * checkpoint its parameters come from, the training that checkpoint was saved from (its seed
 * and batches, so held-out rows are the same rows), and how rows are read. Every problem is a
 * user error naming the file, raised before any output is written.
 */
final class SavedModel {
    private final ModelCompiler.Result compiled;
    private final ModelCompiler.LoadedModel loaded;
    private final Path checkpointPath;
    private final Checkpoint checkpoint;
    private final Training training;
    private Preprocessing preprocessing;

    private SavedModel(ModelCompiler.Result compiled, ModelCompiler.LoadedModel loaded, Path checkpointPath,
                       Checkpoint checkpoint, Training training) {
        this.compiled = compiled;
        this.loaded = loaded;
        this.checkpointPath = checkpointPath;
        this.checkpoint = checkpoint;
        this.training = training;
    }

    /** The model of {@code modelFile} and the checkpoint at {@code checkpointPath}; the model must take rows. */
    static SavedModel open(ModelCompiler.Result compiled, Path modelFile, Path checkpointPath)
            throws CompilationFailed {
        ModelCompiler.LoadedModel loaded = compiled.load(UserCache.classes());
        ModelSignature s = loaded.signature();
        if (s.inputs().isEmpty()) {
            throw new Failures.UserError("model `" + s.name() + "` has no inputs, so it has no rows to predict or "
                    + "evaluate; `modelc train` prints its loss");
        }
        Checkpoint checkpoint = CheckpointFiles.read(checkpointPath);
        Path folder = modelFile.toAbsolutePath().getParent();
        Training training = folder == null ? Training.of(s) : Training.of(s).modelFolder(folder);
        if (checkpoint.isModelc()) {
            try {
                Checkpoint.Run run = checkpoint.run();
                training = training.seed(run.seed()).batchSize(run.batchSize());
            } catch (CheckpointException e) {
                throw new Failures.UserError(checkpointPath + ": " + e.getMessage());
            }
        }
        SavedModel saved = new SavedModel(compiled, loaded, checkpointPath, checkpoint, training);
        saved.newModel(1);
        return saved;
    }

    ModelSignature signature() {
        return loaded.signature();
    }

    Training training() {
        return training;
    }

    /**
     * How training read its rows: as the checkpoint keeps it, or for a checkpoint without
     * (saved by an earlier modelc, or not by modelc) as the train block's data gives it, split
     * by the checkpoint's seed, which {@code warn} is told.
     */
    Preprocessing preprocessing(PrintWriter warn) {
        if (preprocessing != null) {
            return preprocessing;
        }
        try {
            preprocessing = checkpoint.preprocessing();
        } catch (CheckpointException e) {
            throw new Failures.UserError(checkpointPath + ": " + e.getMessage());
        }
        if (preprocessing == null) {
            preprocessing = recomputed(warn);
        }
        return preprocessing;
    }

    private Preprocessing recomputed(PrintWriter warn) {
        ModelSignature.Data data = training.source();
        if (data == null) {
            throw new Failures.UserError(checkpointPath + ": it does not say how training read its rows (it was "
                    + "saved by an earlier modelc, or by another program), and model `" + signature().name()
                    + "` has no data in its train block to work it out from");
        }
        try {
            Preprocessing recomputed = Preprocessing.of(training.dataset(), data.skipLines());
            warn.println("modelc: note: " + checkpointPath + " does not say how training read its rows (saved by an "
                    + "earlier modelc); reading them as the train block's data " + data.path() + " gives, split by seed "
                    + training.seed() + ". Resume it once and save it again to keep that in the checkpoint.");
            warn.flush();
            return recomputed;
        } catch (DataException e) {
            throw new Failures.UserError(checkpointPath + ": it does not say how training read its rows (saved by an "
                    + "earlier modelc), and the train block's data cannot tell: " + e.getMessage());
        }
    }

    /** The train block's rows as training split them, read as the checkpoint says. */
    Dataset trainingData(PrintWriter warn) {
        try {
            Dataset data = training.dataset();
            if (data == null) {
                throw new Failures.UserError("model `" + signature().name() + "` has no data in its train block; "
                        + "give --data FILE");
            }
            return data.standardizedAs(preprocessing(warn));
        } catch (DataException e) {
            throw new Failures.UserError(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new Failures.UserError(checkpointPath + ": " + e.getMessage());
        }
    }

    /** The capacity training had, so that its held-out rows go through the same passes. */
    int trainingCapacity() {
        try {
            return training.capacity();
        } catch (DataException e) {
            throw new Failures.UserError(e.getMessage());
        }
    }

    /** A model with room for {@code rows} rows a pass, holding the checkpoint's parameters. */
    TrainableModel newModel(int rows) {
        compiled.capacityProblem(rows).ifPresent(problem -> {
            throw new Failures.UserError(problem);
        });
        TrainableModel model = loaded.create(training.seed(), rows);
        try {
            checkpoint.load(model);
        } catch (CheckpointException e) {
            throw new Failures.UserError(checkpointPath + ": " + e.getMessage());
        }
        return model;
    }
}
