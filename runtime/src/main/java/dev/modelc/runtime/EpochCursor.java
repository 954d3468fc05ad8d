package dev.modelc.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where training on a {@link Dataset} stands inside an epoch: the epoch's order of the training
 * rows (shuffled from the seed), the batches of it already trained, and the running loss and
 * metric sums over the rows trained so far. It can be set back to any {@link TrainingPosition}
 * by replaying the shuffles, so a resumed run sees the order an unbroken one would. Trainers
 * whose rows live elsewhere (on a Spark cluster) keep their place with it too, and so take the
 * same batches in the same order from the same seed.
 */
public final class EpochCursor {
    // The epoch shuffle must not replay the sequence that split the rows from the same seed.
    private static final long SHUFFLE_SALT = 0x5EED_5B0F_F1E5_0001L;

    private final int[] order;
    private final int batch;
    private final boolean shuffle;
    private final Rng rng;
    private final double[] metricSums;
    private double lossSum;
    private long rows;
    private long batchesDone;

    /**
     * @param trainRows the training rows' numbers, which the cursor reorders in place
     * @param batch rows in a full batch
     * @param metrics how many metrics the model has
     */
    public EpochCursor(int[] trainRows, int batch, boolean shuffle, long seed, int metrics) {
        this.order = trainRows;
        this.batch = batch;
        this.shuffle = shuffle;
        this.rng = new Rng(seed ^ SHUFFLE_SALT);
        this.metricSums = new double[metrics];
    }

    /** Starts an epoch: a new order when shuffling, nothing trained yet. */
    public void startEpoch() {
        if (shuffle) {
            rng.shuffle(order);
        }
        batchesDone = 0;
        lossSum = 0;
        rows = 0;
        Arrays.fill(metricSums, 0);
    }

    /** The epoch's order of the training rows: each batch is the next slice of it. */
    public int[] order() {
        return order;
    }

    /** The index in {@link #order()} of the next batch's first row. */
    public int next() {
        return (int) (batchesDone * batch);
    }

    public long batchesPerEpoch() {
        return (order.length + batch - 1) / batch;
    }

    /** Counts a batch's loss and the model's metrics for it, weighted by its rows. */
    public void count(TrainableModel model, double loss, int batchRows) {
        lossSum += loss * batchRows;
        rows += batchRows;
        for (int m = 0; m < metricSums.length; m++) {
            metricSums[m] += model.metric(m) * batchRows;
        }
    }

    public void batchTrained() {
        batchesDone++;
    }

    /** Whether every training row of the epoch has been counted. */
    public boolean complete() {
        return rows == order.length;
    }

    /** The epoch's training loss and metrics so far, means over the rows counted. */
    public Trainer.Evaluation trained() {
        return new Trainer.Evaluation((int) rows, lossSum / rows, means(metricSums, rows));
    }

    /** Where training stands after {@code steps} updates in epoch {@code epoch}, to resume from. */
    public TrainingPosition position(long steps, long epoch) {
        List<Double> sums = new ArrayList<>();
        for (double sum : metricSums) {
            sums.add(sum);
        }
        return new TrainingPosition(steps, epoch, batchesDone, rng.state(), lossSum, rows, sums);
    }

    /**
     * Checks that {@code position} can come from training on these rows for {@code epochs}
     * epochs.
     *
     * @throws IllegalArgumentException naming what does not fit
     */
    void requireReachable(TrainingPosition position, long epochs) {
        position.requireReachable(batchesPerEpoch(), batch, order.length, epochs, metricSums.length);
    }

    /**
     * Sets the order and sums as they were at {@code position} (epoch 1 or later), replaying
     * the shuffles of the epochs so far; returns whether the position is inside its epoch,
     * rather than at its end.
     *
     * @throws IllegalArgumentException when the position cannot come from these rows and settings
     */
    public boolean restore(TrainingPosition position) {
        long perEpoch = batchesPerEpoch();
        for (long e = 0; e < position.epoch() && shuffle; e++) {
            rng.shuffle(order);
        }
        if (rng.state() != position.shuffleState()) {
            throw new IllegalArgumentException("the shuffle state does not match: the position comes from "
                    + "other training rows, another seed, or another shuffle setting");
        }
        if (position.batchesDone() == perEpoch) {
            return false;
        }
        batchesDone = position.batchesDone();
        lossSum = position.lossSum();
        rows = position.rows();
        for (int m = 0; m < metricSums.length; m++) {
            metricSums[m] = position.metricSums().get(m);
        }
        return true;
    }

    /** Each sum divided by {@code rows}. */
    public static List<Double> means(double[] sums, long rows) {
        List<Double> means = new ArrayList<>(sums.length);
        for (double sum : sums) {
            means.add(sum / rows);
        }
        return means;
    }
}
