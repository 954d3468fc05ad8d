package dev.modelc.runtime.checkpoint;

import dev.modelc.runtime.Printable;
import dev.modelc.runtime.LearningRateSchedule;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Preprocessing;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.TrainingPosition;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training checkpoint in the safetensors format, so that NumPy and PyTorch read it too: one
 * tensor per parameter, named and shaped as the model declares it, one per optimizer state
 * buffer ({@code "W1.velocity"}), and in the metadata everything else an exact resume needs:
 * the step count, the {@link TrainingPosition}, the learning rate and schedule state, the
 * settings of the run, and the model's {@link ModelFingerprint} with its hash.
 *
 * <p>Loading checks everything before it changes anything: a model is either given the whole
 * checkpoint or left exactly as it was.
 */
public final class Checkpoint {
    public static final String FORMAT = "modelc-checkpoint";
    public static final int VERSION = 1;

    /**
     * The settings a resumed run must repeat: the seed (of initializers, the data split and
     * the shuffles), rows per batch (0 for all), shuffling, and the number of training rows;
     * and how the run read its rows, which {@code predict} and {@code eval} repeat.
     *
     * @param preprocessing how rows were read, or null for a model without data (and in
     *                      checkpoints saved before it was kept)
     */
    public record Run(long seed, int batchSize, boolean shuffle, int trainRows, Preprocessing preprocessing) {
        /** A run without preprocessing: a model without data. */
        public Run(long seed, int batchSize, boolean shuffle, int trainRows) {
            this(seed, batchSize, shuffle, trainRows, null);
        }
    }

    private final SafetensorsFile file;
    private final CheckpointMetadata metadata;

    private Checkpoint(SafetensorsFile file) {
        this.file = file;
        this.metadata = new CheckpointMetadata(file.metadata());
    }

    /**
     * The model's state where a run ended: its parameters and optimizer state, the run's
     * position and the schedule's state.
     */
    public static Checkpoint of(TrainableModel model, Trainer.Result result, Run run) {
        return of(model, result.position(), run, result.schedule());
    }

    /**
     * The model's state now, at {@code position} of a run with the given settings, under its
     * train block's rate, for a model whose schedule keeps nothing between updates (any but
     * {@code reduce_on_plateau}).
     *
     * @throws IllegalArgumentException for a model under {@code reduce_on_plateau}, whose state this would lose
     */
    public static Checkpoint of(TrainableModel model, TrainingPosition position, Run run) {
        ModelSignature.TrainDefaults train = model.signature().train();
        if (train != null && LearningRateSchedule.waitsForPlateau(train.schedule())) {
            throw new IllegalArgumentException("model " + model.signature().name() + " trains under "
                    + "reduce_on_plateau, whose state a checkpoint must keep: pass the schedule");
        }
        return of(model, position, run, LearningRateSchedule.of(model.signature(), 0).state());
    }

    /** The model's state now and the state of its schedule, at {@code position} of a run with the given settings. */
    public static Checkpoint of(TrainableModel model, TrainingPosition position, Run run,
                                LearningRateSchedule.State schedule) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (SafetensorsWriter.Source source : sources(model)) {
            double[] values = new double[source.count()];
            for (int i = 0; i < values.length; i++) {
                values[i] = source.elements().at(i);
            }
            tensors.put(source.name(), new Tensor(source.dtype(), source.shape(), values));
        }
        return new Checkpoint(new SafetensorsFile(tensors, CheckpointMetadata.of(model, position, run, schedule)));
    }

    /**
     * Writes a checkpoint of the model as it is now to {@code path}, atomically, reading each
     * element from the model as it is written: nothing of the model is copied, so whatever can
     * train can be saved, in a few pages of memory.
     */
    public static void save(TrainableModel model, TrainingPosition position, Run run,
                            LearningRateSchedule.State schedule, Path path) throws IOException {
        Map<String, String> metadata = CheckpointMetadata.of(model, position, run, schedule);
        List<SafetensorsWriter.Source> sources = sources(model);
        AtomicFile.write(path, channel -> SafetensorsWriter.write(channel, metadata, sources));
    }

    /**
     * About the bytes {@link #save} writes for this model, an upper bound: the metadata's numbers
     * change as training goes on, and their longest forms are allowed for. Known before
     * training, to check that the disk can take the file.
     */
    public static long size(TrainableModel model, Run run, LearningRateSchedule.State schedule) {
        Map<String, String> metadata = CheckpointMetadata.of(model, TrainingPosition.START, run, schedule);
        int numbers = metadata.size() + model.signature().metrics().size();
        return SafetensorsWriter.size(metadata, sources(model)) + 32L * numbers;
    }

    /** What a checkpoint of the model holds, each element read from the model when it is wanted. */
    private static List<SafetensorsWriter.Source> sources(TrainableModel model) {
        ModelSignature s = model.signature();
        String dtype = tensorDtype(s.dtype());
        List<SafetensorsWriter.Source> sources = new ArrayList<>();
        for (int p = 0; p < s.params().size(); p++) {
            int param = p;
            ModelSignature.Param declared = s.params().get(p);
            sources.add(new SafetensorsWriter.Source(declared.name(), dtype, declared.shape(),
                    i -> model.param(param, i)));
        }
        List<String> states = model.stateNames();
        for (int b = 0; b < states.size(); b++) {
            int buffer = b;
            sources.add(new SafetensorsWriter.Source(states.get(b), dtype, paramOfState(s, states.get(b)).shape(),
                    i -> model.state(buffer, i)));
        }
        return sources;
    }

    /** Reads a file and checks it as a safetensors file; what it is for is checked when it is applied. */
    public static Checkpoint read(Path path) throws IOException, CheckpointException {
        return new Checkpoint(SafetensorsFile.read(path));
    }

    /** Writes the checkpoint atomically: the file at {@code path} is the old one or the whole new one. */
    public void write(Path path) throws IOException {
        file.write(path);
    }

    public SafetensorsFile file() {
        return file;
    }

    /** Where the saved training stood. */
    public TrainingPosition position() throws CheckpointException {
        metadata.requireFormat();
        return metadata.position();
    }

    public Run run() throws CheckpointException {
        metadata.requireFormat();
        return metadata.run();
    }

    /**
     * How the saved run read its rows (label column, skipped lines, standardization, classes),
     * or null when it does not say: a model without data, a checkpoint saved by an earlier
     * modelc, or a safetensors file from elsewhere.
     */
    public Preprocessing preprocessing() throws CheckpointException {
        metadata.requireChecksumIfOwn();
        return isModelc() ? PreprocessingMetadata.read(file.metadata(), metadata) : null;
    }

    /** Whether modelc wrote the file, rather than another program that writes safetensors. */
    public boolean isModelc() {
        return FORMAT.equals(file.metadata().get("format"));
    }

    /**
     * Gives the model the saved parameters, to predict or evaluate with: a modelc checkpoint
     * must have been saved from a model like it (the check {@link #resume} makes); any other
     * safetensors file is read as {@link #initialize} reads it.
     */
    public void load(TrainableModel model) throws CheckpointException {
        if (isModelc()) {
            metadata.requireFormat();
            metadata.requireFingerprint(model);
        }
        initialize(model);
    }

    /** Everything a resume gives a model, read and checked in full before any of it is applied. */
    private record Staged(List<double[]> params, List<double[]> states, long steps, double baseRate) {
        void applyTo(TrainableModel model) {
            setParams(model, params);
            for (int b = 0; b < states.size(); b++) {
                for (int i = 0; i < states.get(b).length; i++) {
                    model.setState(b, i, states.get(b)[i]);
                }
            }
            model.setStepCount(steps);
            model.setLearningRate(baseRate);
        }
    }

    /**
     * Gives the model everything saved: parameters, optimizer state, step count and the base
     * learning rate, after checking that the checkpoint was made for a model like it. A
     * {@link dev.modelc.runtime.Trainer} sets the rate of each update from the schedule that
     * {@link #schedule} gives back.
     */
    public void resume(TrainableModel model) throws CheckpointException {
        stage(model).applyTo(model);
    }

    private Staged stage(TrainableModel model) throws CheckpointException {
        metadata.requireFormat();
        metadata.requireFingerprint(model);
        String dtype = tensorDtype(model.signature().dtype());
        List<String> states = model.stateNames();
        List<double[]> stateValues = new ArrayList<>();
        for (String name : states) {
            stateValues.add(values(name, dtype, paramOfState(model.signature(), name).shape(), false));
        }
        List<String> undeclared = undeclaredTensors(model);
        if (!undeclared.isEmpty()) {
            throw new CheckpointException("it holds tensor " + Printable.quote(undeclared.get(0))
                    + ", which this model does not have");
        }
        metadata.position();
        double learningRate = savedRate();
        long steps = metadata.whole("optimizer_steps");
        if (steps < 0 || steps > TrainingPosition.MAX_STEPS) {
            throw new CheckpointException("its optimizer step count is " + steps + ", outside 0 to "
                    + TrainingPosition.MAX_STEPS);
        }
        if (metadata.hasPlateau()) {
            metadata.plateau(learningRate, 0);
        }
        return new Staged(paramValues(model, dtype), stateValues, steps, learningRate);
    }

    /**
     * The schedule to go on with after {@link #resume}: the model's own from the saved base
     * rate, and for {@code reduce_on_plateau} the plateau as it was saved. A checkpoint saved
     * under another schedule has no plateau, which then starts afresh.
     *
     * @param plannedSteps how many updates the whole run means to make, for {@code cosine}
     */
    public LearningRateSchedule schedule(ModelSignature signature, long plannedSteps) throws CheckpointException {
        metadata.requireFormat();
        double baseRate = savedRate();
        LearningRateSchedule fresh = LearningRateSchedule.of(signature, baseRate, plannedSteps);
        if (!fresh.waitsForPlateau() || !metadata.hasPlateau()) {
            return fresh;
        }
        return LearningRateSchedule.restore(fresh.spec(), metadata.plateau(fresh.baseRate(), plannedSteps));
    }

    private double savedRate() throws CheckpointException {
        double learningRate = metadata.real("learning_rate");
        if (!(learningRate >= 0 && Double.isFinite(learningRate))) {
            throw new CheckpointException("its learning rate is " + learningRate);
        }
        return learningRate;
    }

    /**
     * Gives the model the saved parameters only, leaving its optimizer state and step count.
     * Any safetensors file with a tensor of the right shape per parameter will do, F32 or F64,
     * each value within the range of the model's dtype; tensors the model does not declare, of
     * any dtype (a PyTorch file's {@code num_batches_tracked}), are ignored, and returned by name.
     */
    public List<String> initialize(TrainableModel model) throws CheckpointException {
        metadata.requireChecksumIfOwn();
        setParams(model, paramValues(model, null));
        return undeclaredTensors(model);
    }

    /** The file's tensors, of any dtype, that are neither a parameter of the model nor a state buffer of it. */
    public List<String> undeclaredTensors(TrainableModel model) {
        List<String> names = new ArrayList<>(file.tensors().keySet());
        names.addAll(file.otherTensors().keySet());
        names.removeIf(name -> model.signature().params().stream().anyMatch(p -> p.name().equals(name))
                || model.stateNames().contains(name));
        return names;
    }

    private List<double[]> paramValues(TrainableModel model, String dtype) throws CheckpointException {
        List<double[]> values = new ArrayList<>();
        boolean f32 = model.signature().dtype().equals("f32");
        for (ModelSignature.Param p : model.signature().params()) {
            values.add(values(p.name(), dtype, p.shape(), f32));
        }
        return values;
    }

    private static void setParams(TrainableModel model, List<double[]> values) {
        for (int p = 0; p < values.size(); p++) {
            for (int i = 0; i < values.get(p).length; i++) {
                model.setParam(p, i, values.get(p)[i]);
            }
        }
    }

    /**
     * A tensor's values after checking its shape, its dtype (unless null) and that every value
     * is finite, and for an f32 model ({@code f32}) that it stays finite as a float.
     */
    private double[] values(String name, String dtype, List<Integer> shape, boolean f32) throws CheckpointException {
        Tensor tensor = file.tensors().get(name);
        String what = "tensor " + Printable.quote(name);
        if (tensor == null) {
            String other = file.otherTensors().get(name);
            throw new CheckpointException(other == null ? "it has no " + what
                    : what + " is " + other + "; parameters are read from F32 and F64 tensors");
        }
        if (!tensor.shape().equals(shape)) {
            throw new CheckpointException(what + " has shape " + ModelFingerprint.shape(tensor.shape())
                    + ", but this model's is " + ModelFingerprint.shape(shape));
        }
        if (dtype != null && !tensor.dtype().equals(dtype)) {
            throw new CheckpointException(what + " is " + tensor.dtype() + ", but this model computes "
                    + "in " + dtype + "; use --init to load parameters across dtypes");
        }
        double[] values = tensor.values();
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new CheckpointException(what + " holds " + values[i] + " at element " + i);
            }
            if (f32 && Float.isInfinite((float) values[i])) {
                throw new CheckpointException(what + " holds " + values[i] + " at element " + i + ", beyond the "
                        + "range of f32 (" + Float.MAX_VALUE + " at most) this model computes in");
            }
        }
        return values;
    }

    /** The parameter a state buffer belongs to: the name before the last dot. */
    private static ModelSignature.Param paramOfState(ModelSignature s, String state) {
        String param = state.substring(0, Math.max(0, state.lastIndexOf('.')));
        return s.params().stream().filter(p -> p.name().equals(param)).findFirst()
                .orElseThrow(() -> new IllegalStateException("state " + state + " names no param"));
    }

    static String tensorDtype(String dtype) {
        return switch (dtype) {
            case "f64" -> "F64";
            case "f32" -> "F32";
            default -> throw new IllegalArgumentException("unknown dtype " + dtype);
        };
    }
}
