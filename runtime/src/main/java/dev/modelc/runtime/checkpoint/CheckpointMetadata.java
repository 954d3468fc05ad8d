package dev.modelc.runtime.checkpoint;

import dev.modelc.runtime.Printable;
import dev.modelc.runtime.LearningRateSchedule;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.TrainingPosition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metadata of a checkpoint: strings, as the format allows, with numbers written so they
 * read back exactly ({@link Double#toString} round-trips every double) and read strictly.
 */
final class CheckpointMetadata {
    static final String PLATEAU_RATE = "plateau_rate";
    static final String PLATEAU_BEST_LOSS = "plateau_best_loss";
    static final String PLATEAU_BAD_EPOCHS = "plateau_bad_epochs";
    static final String PLATEAU_COOLDOWN_LEFT = "plateau_cooldown_left";
    private final Map<String, String> values;

    CheckpointMetadata(Map<String, String> values) {
        this.values = values;
    }

    /** @param schedule the run's schedule: {@code reduce_on_plateau} adds its state, the others only the base rate */
    static Map<String, String> of(TrainableModel model, TrainingPosition position, Checkpoint.Run run,
                                  LearningRateSchedule.State schedule) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", Checkpoint.FORMAT);
        m.put("format_version", Integer.toString(Checkpoint.VERSION));
        m.put("model", model.signature().name());
        m.put("source", model.signature().source());
        m.put("dtype", model.signature().dtype());
        String fingerprint = ModelFingerprint.text(model);
        m.put("signature", fingerprint);
        m.put("signature_sha256", ModelFingerprint.hash(fingerprint));
        m.put("step", Long.toString(position.steps()));
        m.put("epoch", Long.toString(position.epoch()));
        m.put("batches_done", Long.toString(position.batchesDone()));
        m.put("shuffle_state", Long.toString(position.shuffleState()));
        m.put("epoch_loss_sum", Double.toString(position.lossSum()));
        m.put("epoch_rows", Long.toString(position.rows()));
        m.put("epoch_metric_sums", String.join(",", position.metricSums().stream().map(d -> Double.toString(d))
                .toList()));
        m.put("optimizer_steps", Long.toString(model.stepCount()));
        m.put("learning_rate", Double.toString(schedule.baseRate()));
        ModelSignature.TrainDefaults train = model.signature().train();
        if (train != null && LearningRateSchedule.waitsForPlateau(train.schedule())) {
            m.put(PLATEAU_RATE, Double.toString(schedule.plateauRate()));
            m.put(PLATEAU_BEST_LOSS, Double.toString(schedule.bestLoss()));
            m.put(PLATEAU_BAD_EPOCHS, Long.toString(schedule.badEpochs()));
            m.put(PLATEAU_COOLDOWN_LEFT, Long.toString(schedule.cooldownLeft()));
        }
        m.put("seed", Long.toString(run.seed()));
        m.put("batch_size", Integer.toString(run.batchSize()));
        m.put("shuffle", Boolean.toString(run.shuffle()));
        m.put("train_rows", Integer.toString(run.trainRows()));
        if (run.preprocessing() != null) {
            PreprocessingMetadata.put(m, run.preprocessing());
        }
        return m;
    }

    /** Refuses files that are not modelc checkpoints, or of a later format, or without a checksum. */
    void requireFormat() throws CheckpointException {
        if (!Checkpoint.FORMAT.equals(values.get("format"))) {
            throw new CheckpointException("it is not a modelc checkpoint (its metadata lacks \"format\": \""
                    + Checkpoint.FORMAT + "\"); --init can still load its parameters");
        }
        long version = whole("format_version");
        if (version != Checkpoint.VERSION) {
            throw new CheckpointException("it has format version " + version + ", but this modelc reads version "
                    + Checkpoint.VERSION);
        }
        requireChecksumIfOwn();
    }

    /**
     * Refuses a modelc checkpoint without a checksum: every one is written with it, so its key
     * was damaged, and nothing else in the file can be trusted.
     */
    void requireChecksumIfOwn() throws CheckpointException {
        if (Checkpoint.FORMAT.equals(values.get("format")) && !values.containsKey(SafetensorsFile.CHECKSUM)) {
            throw new CheckpointException("its metadata has no checksum, which every modelc checkpoint has: the file "
                    + "is damaged");
        }
    }

    /** Refuses a checkpoint made for a model with other parameters, inputs, dtype or optimizer. */
    void requireFingerprint(TrainableModel model) throws CheckpointException {
        String saved = text("signature");
        if (!ModelFingerprint.hash(saved).equals(text("signature_sha256"))) {
            throw new CheckpointException("its signature does not match its signature_sha256: the file is damaged");
        }
        String expected = ModelFingerprint.text(model);
        if (!ModelFingerprint.hash(expected).equals(text("signature_sha256"))) {
            throw new CheckpointException("it was saved from another model (signature "
                    + text("signature_sha256").substring(0, 12) + "..., this model's is "
                    + ModelFingerprint.hash(expected).substring(0, 12) + "...): "
                    + ModelFingerprint.difference(Arrays.asList(saved.split("\n", -1)), ModelFingerprint.lines(model)));
        }
    }

    TrainingPosition position() throws CheckpointException {
        List<Double> sums = new ArrayList<>();
        String joined = text("epoch_metric_sums");
        if (!joined.isEmpty()) {
            for (String part : joined.split(",", -1)) {
                sums.add(parseReal("epoch_metric_sums", part));
            }
        }
        TrainingPosition position;
        try {
            position = new TrainingPosition(whole("step"), whole("epoch"), whole("batches_done"),
                    whole("shuffle_state"), real("epoch_loss_sum"), whole("epoch_rows"), sums);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("its training position is impossible: " + e.getMessage());
        }
        if (position.steps() > TrainingPosition.MAX_STEPS || position.epoch() > position.steps() + 1) {
            throw new CheckpointException("its training position is impossible: step " + position.steps()
                    + " in epoch " + position.epoch() + " (a run makes at most " + TrainingPosition.MAX_STEPS
                    + " updates, one or more an epoch)");
        }
        if (!Double.isFinite(position.lossSum()) || !sums.stream().allMatch(Double::isFinite)
                || position.rows() > Integer.MAX_VALUE) {
            throw new CheckpointException("its epoch so far is impossible: loss sum " + position.lossSum()
                    + ", metric sums " + sums + " over " + position.rows() + " rows");
        }
        return position;
    }

    /** Whether the checkpoint holds the state of a {@code reduce_on_plateau} schedule. */
    boolean hasPlateau() {
        return values.containsKey(PLATEAU_RATE);
    }

    /**
     * The saved plateau with the given base rate and planned steps, after checking that its
     * numbers could have come from training that started at the saved learning rate.
     */
    LearningRateSchedule.State plateau(double baseRate, long plannedSteps) throws CheckpointException {
        double rate = real(PLATEAU_RATE);
        double best = real(PLATEAU_BEST_LOSS);
        long bad = whole(PLATEAU_BAD_EPOCHS);
        long cooldown = whole(PLATEAU_COOLDOWN_LEFT);
        double saved = real("learning_rate");
        if (!(rate <= saved)) {
            throw new CheckpointException("its plateau rate " + rate + " is above its learning rate " + saved
                    + ", which reduce_on_plateau only ever lowers");
        }
        if (best == Double.POSITIVE_INFINITY && (bad != 0 || cooldown != 0 || rate != saved)) {
            throw new CheckpointException("its plateau has seen no epoch (best loss Infinity), yet its counts or rate "
                    + "have moved (bad epochs " + bad + ", cooldown " + cooldown + ", rate " + rate + ")");
        }
        try {
            return new LearningRateSchedule.State(baseRate, plannedSteps, rate, best, bad, cooldown);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("its plateau state is impossible: " + e.getMessage());
        }
    }

    Checkpoint.Run run() throws CheckpointException {
        String shuffle = text("shuffle");
        if (!shuffle.equals("true") && !shuffle.equals("false")) {
            throw new CheckpointException("metadata \"shuffle\" is " + Printable.quote(shuffle) + ", not true or false");
        }
        long batch = whole("batch_size");
        long rows = whole("train_rows");
        if (batch < 0 || batch > Integer.MAX_VALUE || rows < 0 || rows > Integer.MAX_VALUE) {
            throw new CheckpointException("metadata batch_size " + batch + " or train_rows " + rows
                    + " is out of range");
        }
        return new Checkpoint.Run(whole("seed"), (int) batch, shuffle.equals("true"), (int) rows,
                PreprocessingMetadata.read(values, this));
    }

    String text(String key) throws CheckpointException {
        String value = values.get(key);
        if (value == null) {
            throw new CheckpointException("its metadata lacks \"" + key + "\"");
        }
        return value;
    }

    long whole(String key) throws CheckpointException {
        String value = text(key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new CheckpointException("metadata \"" + key + "\" is " + Printable.quote(value) + ", not a whole number");
        }
    }

    double real(String key) throws CheckpointException {
        return parseReal(key, text(key));
    }

    static double parseReal(String key, String value) throws CheckpointException {
        // Java's parser also takes hex floats and a trailing 'd'; only what Double.toString writes is accepted.
        if (!value.matches("-?(\\d+\\.\\d+(E-?\\d+)?|NaN|Infinity)")) {
            throw new CheckpointException("metadata \"" + key + "\" is " + Printable.quote(value) + ", not a number");
        }
        return Double.parseDouble(value);
    }
}
