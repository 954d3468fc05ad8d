package dev.modelc.runtime;

/**
 * How a {@link Trainer} runs: epochs over the data, rows per step, whether each epoch is
 * shuffled, the step limit and the seed of the shuffles. {@link #of(ModelSignature)} reads a
 * model's train block, whose settings left out take their documented defaults here.
 *
 * @param epochs passes over the training rows; unused without data
 * @param batchSize rows per step, or 0 for every training row in one batch
 * @param maxSteps the most updates, counted from the start of training (not of a resumed run),
 *                 or {@link #UNSET}: then no limit on data (the epochs end the run) and
 *                 {@link #DEFAULT_STEPS_WITHOUT_DATA} without
 * @param seed the seed of the shuffles (and, for a data set, of the split)
 */
public record TrainingSettings(long epochs, int batchSize, boolean shuffle, long maxSteps, long seed) {
    /** {@code maxSteps} when the train block does not set {@code max_steps}. */
    public static final long UNSET = -1;
    /** A step limit that never ends a run. */
    public static final long NO_STEP_LIMIT = Long.MAX_VALUE;
    /** Updates made without data when the train block sets no {@code max_steps}. */
    public static final long DEFAULT_STEPS_WITHOUT_DATA = 1000;
    /** Epochs when the train block sets none. */
    public static final long DEFAULT_EPOCHS = 10;

    public TrainingSettings {
        if (epochs < 1 || batchSize < 0 || maxSteps < UNSET) {
            throw new IllegalArgumentException("need epochs >= 1, batchSize >= 0 and maxSteps >= 0 (or -1, unset), "
                    + "got " + epochs + ", " + batchSize + " and " + maxSteps);
        }
    }

    /** The settings of a train block. */
    public static TrainingSettings of(ModelSignature.TrainDefaults train) {
        return new TrainingSettings(train.epochs(), train.batchSize(), train.shuffle(), train.maxSteps(),
                train.seed());
    }

    /** The settings of a model's train block, or the defaults when it has none. */
    public static TrainingSettings of(ModelSignature signature) {
        return signature.train() == null ? new TrainingSettings(DEFAULT_EPOCHS, 0, false, UNSET, 0)
                : of(signature.train());
    }

    public TrainingSettings withEpochs(long count) {
        return new TrainingSettings(count, batchSize, shuffle, maxSteps, seed);
    }

    public TrainingSettings withBatchSize(int rows) {
        return new TrainingSettings(epochs, rows, shuffle, maxSteps, seed);
    }

    public TrainingSettings withMaxSteps(long steps) {
        return new TrainingSettings(epochs, batchSize, shuffle, steps, seed);
    }

    public TrainingSettings withSeed(long value) {
        return new TrainingSettings(epochs, batchSize, shuffle, maxSteps, value);
    }

    /** The step limit in force: {@code maxSteps}, or when unset the default for training with or without data. */
    public long stepLimit(boolean onData) {
        return maxSteps != UNSET ? maxSteps : onData ? NO_STEP_LIMIT : DEFAULT_STEPS_WITHOUT_DATA;
    }

    /** Rows in a full training batch: the batch size, or every training row for 0 or a larger size. */
    public int batchRows(int trainRows) {
        return batchSize == 0 ? trainRows : Math.min(batchSize, trainRows);
    }

    /** Batches in one epoch over {@code trainRows} rows. */
    public long batchesPerEpoch(int trainRows) {
        int batch = Math.max(1, batchRows(trainRows));
        return (trainRows + batch - 1) / batch;
    }

    /**
     * The updates a run means to make: every batch of every epoch on {@code data}, or fewer when
     * the step limit says so; without data (null), the step limit.
     */
    public long plannedSteps(Dataset data) {
        return data == null ? stepLimit(false) : plannedSteps(data.trainSize());
    }

    /** The updates a run on {@code trainRows} training rows means to make. */
    public long plannedSteps(int trainRows) {
        long perEpoch = batchesPerEpoch(trainRows);
        long all = perEpoch > Long.MAX_VALUE / epochs ? Long.MAX_VALUE : perEpoch * epochs;
        return Math.min(all, stepLimit(true));
    }

    /** The capacity to make a model with: room for a training batch and for a test chunk. */
    public int capacityFor(Dataset data) {
        return capacityFor(batchSize, data.trainSize(), data.testSize());
    }

    /** The capacity for batches of {@code batchSize} (0 for all) of {@code trainRows} rows and {@code testRows} test rows. */
    public static int capacityFor(int batchSize, int trainRows, int testRows) {
        int batch = batchSize == 0 ? trainRows : Math.min(batchSize, trainRows);
        return Math.max(1, Math.max(batch, Math.min(testRows, Trainer.MAX_TEST_CHUNK)));
    }
}
