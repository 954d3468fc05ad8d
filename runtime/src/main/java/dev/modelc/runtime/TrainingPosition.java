package dev.modelc.runtime;

import java.util.List;

/**
 * Where training stands, enough to continue it as if it had never stopped: the updates made,
 * the epoch in progress (0 before the first, and always 0 without data), the batches of that
 * epoch already trained, the shuffle generator's state after that epoch's shuffle, and the
 * epoch's running loss and metric sums over the rows trained so far, so that an epoch resumed
 * in the middle reports what an unbroken one would.
 */
public record TrainingPosition(long steps, long epoch, long batchesDone, long shuffleState, double lossSum,
                               long rows, List<Double> metricSums) {
    /** Before the first update. */
    public static final TrainingPosition START = afterUpdates(0);
    /** The most updates a run counts: far more than any run makes, and far from a {@code long}'s overflow. */
    public static final long MAX_STEPS = 1_000_000_000_000_000L;

    public TrainingPosition {
        if (steps < 0 || epoch < 0 || batchesDone < 0 || rows < 0) {
            throw new IllegalArgumentException("a training position counts from 0, got steps " + steps + ", epoch "
                    + epoch + ", batches " + batchesDone + ", rows " + rows);
        }
        metricSums = List.copyOf(metricSums);
    }

    /** The position of training without data (and so without epochs) after {@code steps} updates. */
    public static TrainingPosition afterUpdates(long steps) {
        return new TrainingPosition(steps, 0, 0, 0, 0, 0, List.of());
    }

    /**
     * Checks that training on data could have reached this position: its steps are the batches
     * of the epochs before it and of its own, its rows those batches' rows (and, when a stop
     * condition ended it, one more batch's), its sums finite, its epoch within the run's; so
     * that nothing is replayed for a position no run could have made.
     *
     * @param batchesPerEpoch batches in one epoch
     * @param batchRows rows in a full batch
     * @param trainRows rows in one epoch
     * @param epochs the epochs the run means to train
     * @param metrics the model's metrics
     * @throws IllegalArgumentException naming the first thing that does not fit
     */
    public void requireReachable(long batchesPerEpoch, int batchRows, int trainRows, long epochs, int metrics) {
        if (epoch == 0) {
            require(steps == 0 && batchesDone == 0 && rows == 0, "it stands before the first epoch, yet counts "
                    + steps + " updates, " + batchesDone + " batches and " + rows + " rows");
            return;
        }
        require(epoch <= epochs, "it stands in epoch " + epoch + ", beyond the " + epochs + " this run trains");
        require(batchesDone <= batchesPerEpoch, "it has trained " + batchesDone + " batches of epoch " + epoch
                + ", but an epoch has " + batchesPerEpoch);
        require(steps == (epoch - 1) * batchesPerEpoch + batchesDone, "it counts " + steps + " updates, but epoch "
                + epoch + " after " + batchesDone + " of its " + batchesPerEpoch + " batches comes after "
                + ((epoch - 1) * batchesPerEpoch + batchesDone));
        long least = Math.min(batchesDone * batchRows, trainRows);
        long most = Math.min((batchesDone + 1) * batchRows, trainRows);
        require(rows >= least && rows <= most, "its epoch has seen " + rows + " rows, but " + batchesDone
                + " batches of " + batchRows + " hold " + least + (most == least ? "" : " (or " + most + ")"));
        require(metricSums.size() == metrics, "it sums " + metricSums.size() + " metrics, but this model has "
                + metrics);
        require(Double.isFinite(lossSum) && metricSums.stream().allMatch(Double::isFinite),
                "its epoch's sums are not all finite (loss " + lossSum + ", metrics " + metricSums + ")");
    }

    private static void require(boolean holds, String problem) {
        if (!holds) {
            throw new IllegalArgumentException(problem);
        }
    }
}
