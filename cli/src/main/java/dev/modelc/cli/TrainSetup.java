package dev.modelc.cli;

import dev.modelc.ModelCompiler;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.graph.TrainSpec;
import dev.modelc.runtime.Dataset;
import dev.modelc.runtime.MinibatchTrainer;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.checkpoint.Checkpoint;
import java.nio.file.Path;

/**
 * A model ready to train from the command line: made with the chosen seed and, for a model
 * with inputs, its data loaded and split and the minibatch settings fixed. A resumed run must
 * repeat the seed, batch size, shuffling and training rows it started with; flags that say
 * otherwise are refused.
 *
 * @param data the dataset, or null for a model without inputs
 * @param settings the minibatch settings, or null for a model without inputs
 * @param maxSteps the most updates in all
 */
record TrainSetup(TrainableModel model, ModelCompiler.LoadedModel loaded, Dataset data, ModelSignature.Data source,
                  MinibatchTrainer.Settings settings, long maxSteps, long seed) {

    boolean hasData() {
        return data != null;
    }

    /** The same run with a new model, made as the first was: same class, seed and capacity, no recompiling. */
    TrainSetup fresh() {
        TrainableModel made = hasData() ? loaded.create(seed, model.batchCapacity()) : loaded.create(seed);
        return new TrainSetup(made, loaded, data, source, settings, maxSteps, seed);
    }

    /** The updates the run means to make, which a cosine schedule without {@code steps} spreads itself over. */
    long plannedSteps() {
        return hasData() ? MinibatchTrainer.plannedSteps(settings, data.trainSize()) : maxSteps;
    }

    /** What a checkpoint of this run records about it. */
    Checkpoint.Run run() {
        return hasData() ? new Checkpoint.Run(seed, settings.batchSize(), settings.shuffle(), data.trainSize())
                : new Checkpoint.Run(seed, 0, false, 0);
    }

    /**
     * @param saved the settings of the checkpoint resumed from, or null
     * @param zeroStepsAllowed whether {@code --steps 0} makes sense (it does when saving)
     */
    static TrainSetup prepare(ModelCompiler.Result result, TrainingOptions options, Path modelFile,
                              Checkpoint.Run saved, boolean zeroStepsAllowed) throws CompilationFailed {
        TrainSpec train = result.simplified().train();
        long seed = options.seed != null ? options.seed : saved != null ? saved.seed() : train.seed();
        if (saved != null && seed != saved.seed()) {
            throw new Failures.UserError("--seed " + seed + " differs from the checkpoint's seed " + saved.seed()
                    + "; a resumed run keeps its seed, which chose the initial values, the data split and the "
                    + "shuffles");
        }
        if (result.simplified().inputs().isEmpty()) {
            if (options.data != null || options.epochs != null || options.batch != null) {
                throw new Failures.UserError("model `" + result.simplified().name()
                        + "` has no inputs, so --data, --epochs and --batch do not apply; use --steps");
            }
            long configured = train.maxSteps();
            long maxSteps = options.steps != null ? options.steps
                    : configured >= 0 ? configured : TrainSpec.DEFAULT_MAX_STEPS;
            ModelCompiler.LoadedModel loaded = result.load(UserCache.classes());
            return new TrainSetup(loaded.create(seed), loaded, null, null, null, maxSteps, seed);
        }
        return onData(result, options, modelFile, saved, zeroStepsAllowed, seed);
    }

    private static TrainSetup onData(ModelCompiler.Result result, TrainingOptions options, Path modelFile,
                                     Checkpoint.Run saved, boolean zeroStepsAllowed, long seed)
            throws CompilationFailed {
        TrainSpec train = result.simplified().train();
        ModelSignature.Data source = DataFiles.source(result, options.data, modelFile);
        ModelCompiler.LoadedModel loaded = result.load(UserCache.classes());
        Dataset dataset = DataFiles.load(loaded.signature(), source, modelFile, options.data != null, seed);
        long maxSteps = options.steps != null ? options.steps
                : train.maxSteps() >= 0 ? train.maxSteps() : MinibatchTrainer.NO_STEP_LIMIT;
        if (maxSteps == 0 && !zeroStepsAllowed) {
            throw new Failures.UserError("--steps 0 would train nothing; give at least 1, or --save to write the "
                    + "initial parameters");
        }
        int batch = options.batch != null ? options.batch : saved != null ? saved.batchSize() : train.batchSize();
        if (saved != null) {
            requireSame(saved, batch, train.shuffle(), dataset.trainSize());
        }
        MinibatchTrainer.Settings settings = new MinibatchTrainer.Settings(
                options.epochs != null ? options.epochs : train.epochs(), batch, train.shuffle(), maxSteps, seed);
        int capacity = MinibatchTrainer.capacityFor(settings.batchSize(), dataset.trainSize(), dataset.testSize());
        result.capacityProblem(capacity).ifPresent(problem -> {
            throw new Failures.UserError(problem + (batch == 0 ? " (--batch 0 trains on all rows at once)" : ""));
        });
        return new TrainSetup(loaded.create(seed, capacity), loaded, dataset, source, settings, maxSteps, seed);
    }

    private static void requireSame(Checkpoint.Run saved, int batch, boolean shuffle, int trainRows) {
        if (batch != saved.batchSize()) {
            throw new Failures.UserError("--batch " + batch + " differs from the checkpoint's batch size "
                    + saved.batchSize() + "; a resumed run keeps its batches");
        }
        if (shuffle != saved.shuffle()) {
            throw new Failures.UserError("the checkpoint was trained " + (saved.shuffle() ? "with" : "without")
                    + " shuffling, but the train block now says otherwise");
        }
        if (trainRows != saved.trainRows()) {
            throw new Failures.UserError("the checkpoint was trained on " + saved.trainRows() + " rows, but the data "
                    + "now gives " + trainRows + "; a resumed run needs the same data");
        }
    }
}
