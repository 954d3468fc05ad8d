package dev.modelc.cli;

import dev.modelc.ModelCompiler;
import dev.modelc.PreparedModel;
import dev.modelc.runtime.Dataset;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.runtime.checkpoint.CheckpointException;
import dev.modelc.runtime.data.DataException;
import dev.modelc.runtime.training.Training;
import java.nio.file.Path;

/**
 * A model ready to train from the command line: the {@link Training} the flags describe, its
 * data loaded and split, and a model made with its seed and capacity. Every problem with the
 * flags, the data or a checkpoint is a user error raised here, before anything is trained.
 *
 * @param data the dataset, or null for a model without inputs
 */
record TrainSetup(TrainableModel model, ModelCompiler.LoadedModel loaded, Training training, Dataset data) {

    boolean hasData() {
        return data != null;
    }

    /** The same run with a new model, made as the first was: same class, seed and capacity, no recompiling. */
    TrainSetup fresh() {
        return new TrainSetup(newModel(loaded, training), loaded, training, data);
    }

    /** The same model under other settings that leave the data as it is, such as another learning rate. */
    TrainSetup withTraining(Training changed) {
        return new TrainSetup(model, loaded, changed, data);
    }

    /**
     * A trainer for this setup's model, which is given the checkpoint resumed or started from.
     *
     * @param checkpointPath the checkpoint's file, named in errors, or null without one
     */
    Trainer trainer(Path checkpointPath) {
        try {
            return training.trainer(model);
        } catch (CheckpointException | IllegalArgumentException e) {
            throw new Failures.UserError((checkpointPath == null ? "" : checkpointPath + ": ") + e.getMessage());
        } catch (DataException e) {
            throw new Failures.UserError(e.getMessage());
        }
    }

    /**
     * @param checkpoint the checkpoint to resume from (with {@code resume}) or start from, or null
     */
    static TrainSetup prepare(PreparedModel prepared, TrainingOptions options, Path modelFile,
                              Checkpoint checkpoint, boolean resume) {
        ModelCompiler.LoadedModel loaded = prepared.loaded();
        Training training = training(loaded.signature(), options, modelFile, checkpoint, resume, null);
        if (!training.onData()) {
            return new TrainSetup(newModel(loaded, training), loaded, training, null);
        }
        Dataset dataset = DataFiles.load(training);
        int capacity = capacity(training);
        boolean wholeSet = training.settings().batchSize() == 0;
        prepared.capacityProblem(capacity).ifPresent(problem -> {
            throw new Failures.UserError(problem + (wholeSet ? " (--batch 0 trains on all rows at once)" : ""));
        });
        return new TrainSetup(newModel(loaded, training), loaded, training, dataset);
    }

    /**
     * The training the flags describe for a model: its train block with the flags' changes, the
     * checkpoint resumed (or started) from, and --lr when given; flags that do not fit it are user errors.
     */
    static Training training(ModelSignature signature, TrainingOptions options, Path modelFile,
                             Checkpoint checkpoint, boolean resume, Double learningRate) {
        Training training = options.apply(Training.of(signature), modelFile);
        if (checkpoint != null) {
            training = resume ? training.resumeFrom(checkpoint) : training.startFrom(checkpoint);
        }
        if (resume && options.seed != null) {
            CheckpointFiles.requireSeed(checkpoint, options.seed);
        }
        if (!training.onData() && (options.data != null || options.epochs != null || options.batch != null)) {
            throw new Failures.UserError("model `" + signature.name()
                    + "` has no inputs, so --data, --epochs and --batch do not apply; use --steps");
        }
        if (training.onData() && training.source() == null) {
            throw new Failures.UserError("model `" + signature.name() + "` has inputs but no data: add "
                    + "`data csv(\"file.csv\", label = last)` to its train block, or give --data FILE");
        }
        if (resume && options.batch != null) {
            CheckpointFiles.requireBatch(checkpoint, options.batch);
        }
        return learningRate == null ? training : training.learningRate(learningRate);
    }

    private static int capacity(Training training) {
        try {
            return training.capacity();
        } catch (DataException e) {
            throw new Failures.UserError(e.getMessage());
        }
    }

    private static TrainableModel newModel(ModelCompiler.LoadedModel loaded, Training training) {
        try {
            return training.newModel(loaded::create);
        } catch (DataException e) {
            throw new Failures.UserError(e.getMessage());
        }
    }
}
