package dev.modelc.runtime.training;

import dev.modelc.runtime.Dataset;
import dev.modelc.runtime.LearningRateSchedule;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Preprocessing;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.TrainingPosition;
import dev.modelc.runtime.TrainingSettings;
import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.runtime.checkpoint.CheckpointException;
import dev.modelc.runtime.data.DataException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Trains a generated model exactly as {@code modelc train} does: the settings, data and
 * schedule of its train block, each of which may be overridden as the command's flags do, and
 * checkpoints that the command line reads and writes too.
 *
 * <pre>{@code
 * Training training = Training.of(DigitsMlp.SIGNATURE).data(Path.of("digits.csv.gz"));
 * DigitsMlp model = training.newModel(DigitsMlp::new);
 * Trainer.Result result = training.run(model, new EpochLog(System.out));
 * training.save(model, result, Path.of("digits.safetensors"));
 * }</pre>
 *
 * <p>Instances are immutable apart from the data they load once, on first use; each setter
 * returns a changed copy.
 */
public final class Training {
    /** Makes a model: a generated class's {@code (long seed, int batchCapacity)} constructor. */
    @FunctionalInterface
    public interface ModelFactory<M extends TrainableModel> {
        M create(long seed, int batchCapacity);
    }

    private final ModelSignature signature;
    private final TrainingSource source;
    private final Overrides overrides;
    private final Checkpoint resumeFrom;
    private final Checkpoint startFrom;
    private Dataset loaded;

    /** What the caller set instead of the train block's values; null where nothing was set. */
    private record Overrides(Long epochs, Integer batchSize, Long maxSteps, Long seed, Double learningRate) {
    }

    private Training(ModelSignature signature, TrainingSource source, Overrides overrides, Checkpoint resumeFrom,
                     Checkpoint startFrom) {
        this(signature, source, overrides, resumeFrom, startFrom, null);
    }

    private Training(ModelSignature signature, TrainingSource source, Overrides overrides, Checkpoint resumeFrom,
                     Checkpoint startFrom, Dataset loaded) {
        this.signature = signature;
        this.source = source;
        this.overrides = overrides;
        this.resumeFrom = resumeFrom;
        this.startFrom = startFrom;
        this.loaded = loaded;
    }

    /** Training as the model's train block says, on its data file (relative to the current folder). */
    public static Training of(ModelSignature signature) {
        return new Training(signature, TrainingSource.of(signature),
                new Overrides(null, null, null, null, null), null, null);
    }

    /** On another CSV file with the train block's layout (label column, skipped lines, held-out share). */
    public Training data(Path file) {
        return new Training(signature, source.file(file), overrides, resumeFrom, startFrom);
    }

    /** On rows already loaded and split. */
    public Training data(Dataset dataset) {
        return new Training(signature, source.dataset(dataset), overrides, resumeFrom, startFrom);
    }

    /** The folder the train block's data path is relative to: its {@code .model} file's, as the command line has it. */
    public Training modelFolder(Path folder) {
        return new Training(signature, source.folder(folder), overrides, resumeFrom, startFrom);
    }

    public Training epochs(long count) {
        return with(new Overrides(count, overrides.batchSize(), overrides.maxSteps(), overrides.seed(),
                overrides.learningRate()));
    }

    /** Rows per step; 0 for every training row at once. */
    public Training batchSize(int rows) {
        return with(new Overrides(overrides.epochs(), rows, overrides.maxSteps(), overrides.seed(),
                overrides.learningRate()));
    }

    /** The most updates in all, counted from the start of training; 0 trains nothing. */
    public Training maxSteps(long steps) {
        return with(new Overrides(overrides.epochs(), overrides.batchSize(), steps, overrides.seed(),
                overrides.learningRate()));
    }

    /** The seed of the initial values, the data split and the shuffles. */
    public Training seed(long value) {
        return with(new Overrides(overrides.epochs(), overrides.batchSize(), overrides.maxSteps(), value,
                overrides.learningRate()));
    }

    /** The base rate of the schedule, instead of the optimizer's {@code lr} (or a resumed run's). */
    public Training learningRate(double rate) {
        if (!(rate > 0) || !Double.isFinite(rate)) {
            throw new IllegalArgumentException("a learning rate is a positive number, got " + rate);
        }
        return with(new Overrides(overrides.epochs(), overrides.batchSize(), overrides.maxSteps(), overrides.seed(),
                rate));
    }

    /**
     * Goes on from a checkpoint exactly as if training had never stopped: its seed and batch
     * size unless set here (when they must agree), its parameters, optimizer state, position
     * and schedule. The step limit and epochs still count from the start of training.
     */
    public Training resumeFrom(Checkpoint checkpoint) {
        return new Training(signature, source, overrides, checkpoint, null);
    }

    /** Starts from a checkpoint's parameters (any safetensors file with them) with a fresh optimizer. */
    public Training startFrom(Checkpoint checkpoint) {
        return new Training(signature, source, overrides, null, checkpoint);
    }

    /** A copy with other settings; rows already loaded are kept while the seed, which split them, is the same. */
    private Training with(Overrides changed) {
        Dataset keep = java.util.Objects.equals(changed.seed(), overrides.seed()) ? loaded : null;
        return new Training(signature, source, changed, resumeFrom, startFrom, keep);
    }

    public ModelSignature signature() {
        return signature;
    }

    /** Whether the model trains on data: it has inputs. */
    public boolean onData() {
        return !signature.inputs().isEmpty();
    }

    /** The data source in force (the path as given), or null for a model without inputs or data. */
    public ModelSignature.Data source() {
        return source.data();
    }

    /**
     * The file the rows are read from: the train block's path is relative to the model's
     * folder, another to the current one; null for a model without inputs or data.
     *
     * @throws DataException when the path is not a possible file name
     */
    public Path dataPath() throws DataException {
        return source.data() == null ? null : source.path();
    }

    /** The seed in force: set here, else the resumed checkpoint's, else the train block's. */
    public long seed() {
        return TrainingResume.seed(overrides.seed(), resumeFrom, TrainingSettings.of(signature).seed());
    }

    /** The settings in force, with the train block's values where nothing else is set. */
    public TrainingSettings settings() {
        TrainingSettings block = TrainingSettings.of(signature);
        int batch = overrides.batchSize() != null ? overrides.batchSize()
                : TrainingResume.batchSize(resumeFrom, block.batchSize());
        return new TrainingSettings(overrides.epochs() != null ? overrides.epochs() : block.epochs(), batch,
                block.shuffle(), overrides.maxSteps() != null ? overrides.maxSteps() : block.maxSteps(), seed());
    }

    /**
     * The rows trained on, read and split on first use; null for a model without inputs.
     *
     * @throws DataException when the file cannot be read or does not fit the model
     */
    public Dataset dataset() throws DataException {
        if (loaded == null && onData()) {
            loaded = source.load(signature, seed());
        }
        return loaded;
    }

    /** The batch capacity the run needs: room for a batch and for a chunk of test rows. */
    public int capacity() throws DataException {
        return onData() ? settings().capacityFor(dataset()) : 1;
    }

    /** A model made with the seed and capacity of this run, as {@code modelc train} makes it. */
    public <M extends TrainableModel> M newModel(ModelFactory<M> factory) throws DataException {
        return factory.create(seed(), capacity());
    }

    /**
     * A trainer ready to run: the data loaded, a checkpoint to resume from checked and given to
     * the model (or one to start from, its parameters), the schedule made. Nothing of the model
     * changes unless every check passes. Keep it to call {@link Trainer#requestStop()}.
     *
     * @throws CheckpointException when the checkpoint does not fit the model or this run
     */
    public Trainer trainer(TrainableModel model) throws DataException, CheckpointException {
        requireModel(model);
        Dataset data = dataset();
        TrainingSettings settings = settings();
        if (data != null && data.trainSize() == 0 && settings.stepLimit(true) > 0) {
            throw new DataException(data.table().source(), 0, "every row is held out (test = "
                    + source.data().testFraction() + "), so none is left to train on; train 0 steps, or evaluate");
        }
        long planned = settings.plannedSteps(data);
        if (resumeFrom == null) {
            double rate = overrides.learningRate() != null ? overrides.learningRate()
                    : LearningRateSchedule.of(signature, planned).baseRate();
            Trainer trainer = new Trainer(model, data, settings, LearningRateSchedule.of(signature, rate, planned));
            if (startFrom != null) {
                startFrom.initialize(model);
            }
            return trainer;
        }
        return TrainingResume.trainer(model, data, settings, resumeFrom, overrides.learningRate());
    }

    /** Trains {@code model} (made with {@link #newModel}, or with this run's seed) until the run ends. */
    public Trainer.Result run(TrainableModel model, Trainer.Listener listener) throws DataException,
            CheckpointException {
        return trainer(model).run(listener);
    }

    /** A checkpoint of the model where {@code result} left it, which {@code modelc train --resume} reads too. */
    public Checkpoint checkpoint(TrainableModel model, Trainer.Result result) throws DataException {
        requireModel(model);
        return Checkpoint.of(model, result, run());
    }

    /**
     * Writes the checkpoint {@link #checkpoint} makes to {@code file}, atomically, streamed from
     * the model: whatever can train can be saved.
     */
    public void save(TrainableModel model, Trainer.Result result, Path file) throws IOException, DataException {
        requireModel(model);
        Checkpoint.save(model, result.position(), run(), result.schedule(), file);
    }

    /**
     * About the bytes {@link #save} writes for {@code model} under a schedule in state
     * {@code schedule}, an upper bound known before training.
     *
     * @throws IllegalArgumentException when no checkpoint of this model can be written
     */
    public long checkpointSize(TrainableModel model, LearningRateSchedule.State schedule) throws DataException {
        requireModel(model);
        return Checkpoint.size(model, run(), schedule);
    }

    /** The settings a checkpoint of this run keeps: the seed, the batches, and how the rows were read. */
    private Checkpoint.Run run() throws DataException {
        Dataset data = dataset();
        TrainingSettings settings = settings();
        return data == null ? new Checkpoint.Run(settings.seed(), 0, false, 0)
                : new Checkpoint.Run(settings.seed(), settings.batchSize(), settings.shuffle(), data.trainSize(),
                Preprocessing.of(data, source.data() == null ? 0 : source.data().skipLines()));
    }

    private void requireModel(TrainableModel model) {
        if (!model.signature().equals(signature)) {
            throw new IllegalArgumentException("this training is for model " + signature.name() + ", not "
                    + model.signature().name());
        }
    }

    /** The position a run from {@link #resumeFrom} starts at, or {@link TrainingPosition#START}. */
    public TrainingPosition from() throws CheckpointException {
        return resumeFrom == null ? TrainingPosition.START : resumeFrom.position();
    }
}
