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
}
