package dev.modelc.runtime.checkpoint;

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
        ModelSignature s = model.signature();
        String dtype = tensorDtype(s.dtype());
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int p = 0; p < s.params().size(); p++) {
            ModelSignature.Param param = s.params().get(p);
            double[] values = new double[param.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = model.param(p, i);
            }
            tensors.put(param.name(), new Tensor(dtype, param.shape(), values));
        }
        List<String> states = model.stateNames();
        for (int b = 0; b < states.size(); b++) {
            ModelSignature.Param param = paramOfState(s, states.get(b));
            double[] values = new double[param.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = model.state(b, i);
            }
            tensors.put(states.get(b), new Tensor(dtype, param.shape(), values));
        }
        return new Checkpoint(new SafetensorsFile(tensors, CheckpointMetadata.of(model, position, run,
                schedule)));
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
            stateValues.add(values(name, dtype, paramOfState(model.signature(), name).shape()));
        }
        for (String name : file.tensors().keySet()) {
            if (model.signature().params().stream().noneMatch(p -> p.name().equals(name)) && !states.contains(name)) {
                throw new CheckpointException("it holds tensor \"" + name + "\", which this model does not have");
            }
        }
        metadata.position();
        double learningRate = savedRate();
        long steps = metadata.whole("optimizer_steps");
        if (steps < 0) {
            throw new CheckpointException("its optimizer step count is " + steps);
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
     * Any safetensors file with a tensor of the right shape per parameter will do, F32 or F64;
     * other tensors are ignored.
     */
    public void initialize(TrainableModel model) throws CheckpointException {
        metadata.requireChecksumIfOwn();
        setParams(model, paramValues(model, null));
    }

    private List<double[]> paramValues(TrainableModel model, String dtype) throws CheckpointException {
        List<double[]> values = new ArrayList<>();
        for (ModelSignature.Param p : model.signature().params()) {
            values.add(values(p.name(), dtype, p.shape()));
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

    /** A tensor's values after checking its shape, its dtype (unless null) and that every value is finite. */
    private double[] values(String name, String dtype, List<Integer> shape) throws CheckpointException {
        Tensor tensor = file.tensors().get(name);
        if (tensor == null) {
            throw new CheckpointException("it has no tensor \"" + name + "\"");
        }
        if (!tensor.shape().equals(shape)) {
            throw new CheckpointException("tensor \"" + name + "\" has shape " + ModelFingerprint.shape(tensor.shape())
                    + ", but this model's is " + ModelFingerprint.shape(shape));
        }
        if (dtype != null && !tensor.dtype().equals(dtype)) {
            throw new CheckpointException("tensor \"" + name + "\" is " + tensor.dtype() + ", but this model computes "
                    + "in " + dtype + "; use --init to load parameters across dtypes");
        }
        double[] values = tensor.values();
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new CheckpointException("tensor \"" + name + "\" holds " + values[i] + " at element " + i);
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
