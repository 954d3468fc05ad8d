package dev.modelc.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Trains a model on a {@link Dataset} in minibatches, epoch after epoch, and measures it on
 * the test rows after every epoch. Everything random comes from the seed, so a run repeats
 * exactly. The model must have room for a batch and for a test chunk: see {@link #capacityFor}.
 *
 * <p>Each step runs the forward pass first; if its loss is not finite, or the model's stop
 * condition holds, training ends there, before that batch's update, so the parameters left
 * are those the stopping loss was computed at (as in {@link Trainer}). After each update the
 * parameters are checked, and a value that is not finite ends training too.
 *
 * <p>Training can stop and {@link #resume} from its {@link TrainingPosition}: the epoch's
 * shuffled order is rebuilt from the seed, so a resumed run repeats an unbroken one exactly.
 */
public final class MinibatchTrainer {
    /** The most test rows evaluated in one forward pass. */
    public static final int MAX_TEST_CHUNK = 4096;
    public static final long NO_STEP_LIMIT = Long.MAX_VALUE;
    // The epoch shuffle must not replay the sequence that split the rows from the same seed.
    private static final long SHUFFLE_SALT = 0x5EED_5B0F_F1E5_0001L;

    /** Why training ended. */
    public enum StopReason {
        EPOCHS, MAX_STEPS, CONDITION, DIVERGED
    }

    /**
     * How to train.
     *
     * @param batchSize rows per step, or 0 for every training row in one batch
     * @param maxSteps the most updates, counted from the start of training (not of a resumed run),
     *                 or {@link #NO_STEP_LIMIT}
     */
    public record Settings(long epochs, int batchSize, boolean shuffle, long maxSteps, long seed) {
        public Settings {
            if (epochs < 1 || batchSize < 0 || maxSteps < 0) {
                throw new IllegalArgumentException("need epochs >= 1, batchSize >= 0 and maxSteps >= 0, got "
                        + epochs + ", " + batchSize + " and " + maxSteps);
            }
        }

        /** The settings of a model's train block. */
        public static Settings of(ModelSignature.TrainDefaults train) {
            return new Settings(train.epochs(), train.batchSize(), train.shuffle(), train.maxSteps(), train.seed());
        }
    }

    /** A loss and metrics over some rows, each the mean over those rows. */
    public record Evaluation(int rows, double loss, List<Double> metrics) {
        public Evaluation {
            metrics = List.copyOf(metrics);
        }
    }

    /**
     * One epoch's outcome.
     *
     * @param steps updates made since training started
     * @param train the training rows' loss and metrics, as measured by each batch's forward pass
     *              (so under the parameters of that moment), averaged weighted by batch rows
     * @param test the test rows' loss and metrics after the epoch, or null without test rows
     * @param seconds time since training started
     */
    public record EpochStats(long epoch, long epochs, long steps, Evaluation train, Evaluation test,
                             double seconds) {
    }

    /**
     * How training ended: {@code last} is the final (perhaps partial) epoch, or null when a
     * resumed run had nothing left to do; {@code position} is where to resume from; and
     * {@code nonFinite}, for a run that diverged, the first value that was not finite.
     */
    public record Result(long steps, StopReason reason, EpochStats last, TrainingPosition position,
                         NonFinite nonFinite) {
    }

    /**
     * Told when training starts, after every batch's forward pass, after every epoch (a
     * partial last one included), and when it ends.
     */
    public interface Listener {
        default void started(TrainableModel model, Dataset data, Settings settings) {
        }

        /**
         * A batch's loss, with {@code step} updates made before it, in epoch {@code epoch}; the
         * model holds the parameters the loss was computed at and the batch's metrics.
         */
        default void step(TrainableModel model, long step, long epoch, double loss) {
        }

        void epoch(TrainableModel model, EpochStats stats);

        default void finished(TrainableModel model, Result result) {
        }

        /** Tells each listener in turn. */
        static Listener all(List<? extends Listener> listeners) {
            return new Listeners(listeners);
        }
    }

    private final TrainableModel model;
    private final Settings settings;
    private final LearningRateSchedule schedule;
    private final Listener listener;
    private final BatchGatherer gatherer;
    private final int[] order;
    private final int[] testRows;
    private final int batch;
    private final Rng rng;
    private final double[] metricSums;
    private double lossSum;
    private long epochRows;
    private long steps;
    private long batchesDone;
    private boolean resumedMidEpoch;
    private TrainingPosition restored = TrainingPosition.START;
    private NonFinite nonFinite;

    private MinibatchTrainer(TrainableModel model, Dataset data, Settings settings, LearningRateSchedule schedule,
                             Listener listener) {
        int rows = batchRows(settings.batchSize(), data.trainSize());
        if (rows > model.batchCapacity()) {
            throw new IllegalArgumentException("batches of " + rows + " rows do not fit the model's capacity of "
                    + model.batchCapacity() + "; make it with capacityFor(...)");
        }
        this.model = model;
        this.settings = settings;
        this.schedule = schedule;
        this.listener = listener;
        this.gatherer = new BatchGatherer(model, data);
        this.order = data.trainRows();
        this.testRows = data.testRows();
        this.batch = batchRows(settings.batchSize(), order.length);
        this.rng = new Rng(settings.seed() ^ SHUFFLE_SALT);
        this.metricSums = new double[model.signature().metrics().size()];
    }

    /** The capacity to make a model with: room for a training batch and for a test chunk. */
    public static int capacityFor(int batchSize, int trainRows, int testRows) {
        return Math.max(1, Math.max(batchRows(batchSize, trainRows), Math.min(testRows, MAX_TEST_CHUNK)));
    }

    /** Rows in a full training batch: the batch size, or every training row for 0 or a larger size. */
    public static int batchRows(int batchSize, int trainRows) {
        return batchSize == 0 ? trainRows : Math.min(batchSize, trainRows);
    }

    /**
     * Trains under the model's schedule, starting from the rate the model holds now (its
     * train block's {@code lr} unless changed with {@link TrainableModel#setLearningRate}).
     */
    public static Result train(TrainableModel model, Dataset data, Settings settings, Listener listener) {
        return resume(model, data, settings, listener, TrainingPosition.START);
    }

    /**
     * Trains with the rates of {@code schedule}, set on the model before each update; the
     * schedule is told the mean training loss of every complete epoch.
     */
    public static Result train(TrainableModel model, Dataset data, Settings settings, LearningRateSchedule schedule,
                               Listener listener) {
        return resume(model, data, settings, schedule, listener, TrainingPosition.START);
    }

    /** The updates a run means to make: every batch of every epoch, or fewer when {@code maxSteps} says so. */
    public static long plannedSteps(Settings settings, int trainRows) {
        int rows = Math.max(1, batchRows(settings.batchSize(), trainRows));
        long perEpoch = (trainRows + rows - 1) / rows;
        long all = perEpoch > Long.MAX_VALUE / settings.epochs() ? Long.MAX_VALUE : perEpoch * settings.epochs();
        return Math.min(all, settings.maxSteps());
    }

    /**
     * Continues training from {@code position}, with the model already holding the parameters
     * and optimizer state of that moment, under the model's schedule. The settings' epochs and
     * max steps count from the start of training, not from the position.
     *
     * @throws IllegalArgumentException when the position cannot come from these data and settings
     */
    public static Result resume(TrainableModel model, Dataset data, Settings settings, Listener listener,
                                TrainingPosition position) {
        LearningRateSchedule schedule = LearningRateSchedule.of(model, plannedSteps(settings, data.trainSize()));
        return resume(model, data, settings, schedule, listener, position);
    }

    /** Continues training from {@code position} with the rates of {@code schedule}. */
    public static Result resume(TrainableModel model, Dataset data, Settings settings, LearningRateSchedule schedule,
                                Listener listener, TrainingPosition position) {
        MinibatchTrainer trainer = new MinibatchTrainer(model, data, settings, schedule, listener);
        long firstEpoch = trainer.restore(position);
        return trainer.run(firstEpoch);
    }

    /**
     * Checks, without training, that {@link #resume} would accept {@code position}.
     *
     * @throws IllegalArgumentException when it would not, saying why
     */
    public static void checkResumable(TrainableModel model, Dataset data, Settings settings,
                                      TrainingPosition position) {
        LearningRateSchedule schedule = LearningRateSchedule.of(model, plannedSteps(settings, data.trainSize()));
        new MinibatchTrainer(model, data, settings, schedule, (m, stats) -> { }).restore(position);
    }

    /** Batches in one epoch over {@code trainRows} rows. */
    public static long batchesPerEpoch(int batchSize, int trainRows) {
        int batch = batchRows(batchSize, trainRows);
        return (trainRows + batch - 1) / batch;
    }

    /**
     * The loss and metrics over the given rows, in chunks of at most the model's capacity,
     * averaged weighted by chunk rows (so exact when the loss and metrics are means). Runs
     * forward passes only: parameters and optimizer state are left as they are.
     */
    public static Evaluation evaluate(TrainableModel model, BatchGatherer gatherer, int[] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("nothing to evaluate: no rows");
        }
        int chunk = model.batchCapacity();
        double loss = 0;
        double[] sums = new double[model.signature().metrics().size()];
        for (int from = 0; from < rows.length; from += chunk) {
            int count = Math.min(chunk, rows.length - from);
            gatherer.bind(rows, from, count);
            loss += model.forward() * count;
            for (int m = 0; m < sums.length; m++) {
                sums[m] += model.metric(m) * count;
            }
        }
        return new Evaluation(rows.length, loss / rows.length, means(sums, rows.length));
    }

    /**
     * Sets the counters and the epoch's order as they were at {@code position}, replaying the
     * shuffles of the epochs so far; returns the epoch to run first. A position inside an epoch
     * continues that epoch; one at an epoch's end starts the next.
     */
    private long restore(TrainingPosition position) {
        long perEpoch = batchesPerEpoch(settings.batchSize(), order.length);
        position.requireReachable(perEpoch, batch, order.length, settings.epochs(), metricSums.length);
        restored = position;
        steps = position.steps();
        if (position.epoch() == 0) {
            return 1;
        }
        for (long e = 0; e < position.epoch() && settings.shuffle(); e++) {
            rng.shuffle(order);
        }
        if (rng.state() != position.shuffleState()) {
            throw new IllegalArgumentException("the shuffle state does not match: the position comes from "
                    + "other training rows, another seed, or another shuffle setting");
        }
        if (position.batchesDone() == perEpoch) {
            return position.epoch() + 1;
        }
        resumedMidEpoch = true;
        batchesDone = position.batchesDone();
        lossSum = position.lossSum();
        epochRows = position.rows();
        for (int m = 0; m < metricSums.length; m++) {
            metricSums[m] = position.metricSums().get(m);
        }
        return position.epoch();
    }

    private Result run(long firstEpoch) {
        long start = System.nanoTime();
        listener.started(model, gatherer.data(), settings);
        if (steps >= settings.maxSteps() || firstEpoch > settings.epochs()) {
            StopReason reason = steps >= settings.maxSteps() ? StopReason.MAX_STEPS : StopReason.EPOCHS;
            Result result = new Result(steps, reason, null, restored, null);
            model.setLearningRate(schedule.baseRate());
            listener.finished(model, result);
            return result;
        }
        for (long epoch = firstEpoch; ; epoch++) {
            if (epoch != firstEpoch || !resumedMidEpoch) {
                startEpoch();
            }
            StopReason reason = runEpoch(epoch);
            Evaluation train = new Evaluation((int) epochRows, lossSum / epochRows, means(metricSums, epochRows));
            if (epochRows == order.length) {
                schedule.epochEnded(train.loss());
            }
            Evaluation test = testRows.length == 0 ? null : evaluate(model, gatherer, testRows);
            EpochStats stats = new EpochStats(epoch, settings.epochs(), steps, train, test,
                    (System.nanoTime() - start) / 1e9);
            listener.epoch(model, stats);
            if (reason != null) {
                Result result = new Result(steps, reason, stats, position(epoch), nonFinite);
                // The model keeps the base rate between runs, so a checkpoint resumes the schedule exactly.
                model.setLearningRate(schedule.baseRate());
                listener.finished(model, result);
                return result;
            }
        }
    }

    private void startEpoch() {
        if (settings.shuffle()) {
            rng.shuffle(order);
        }
        batchesDone = 0;
        lossSum = 0;
        epochRows = 0;
        Arrays.fill(metricSums, 0);
    }

    private TrainingPosition position(long epoch) {
        List<Double> sums = new ArrayList<>();
        for (double sum : metricSums) {
            sums.add(sum);
        }
        return new TrainingPosition(steps, epoch, batchesDone, rng.state(), lossSum, epochRows, sums);
    }

    /** Runs the epoch's remaining batches; returns why training ends, or null when another epoch follows. */
    private StopReason runEpoch(long epoch) {
        boolean lastEpoch = epoch == settings.epochs();
        for (int from = (int) (batchesDone * batch); from < order.length; from += batch) {
            int count = Math.min(batch, order.length - from);
            gatherer.bind(order, from, count);
            double loss = model.forward();
            listener.step(model, steps, epoch, loss);
            lossSum += loss * count;
            epochRows += count;
            for (int m = 0; m < metricSums.length; m++) {
                metricSums[m] += model.metric(m) * count;
            }
            if (!Double.isFinite(loss)) {
                nonFinite = NonFinite.inLoss(model, loss, steps);
                return StopReason.DIVERGED;
            }
            if (model.stopRequested()) {
                return StopReason.CONDITION;
            }
            model.backward();
            model.setLearningRate(schedule.rate(model.stepCount()));
            model.step();
            steps++;
            batchesDone++;
            nonFinite = NonFinite.afterUpdate(model, steps);
            if (nonFinite != null) {
                return StopReason.DIVERGED;
            }
            if (steps >= settings.maxSteps()) {
                return lastEpoch && from + count == order.length ? StopReason.EPOCHS : StopReason.MAX_STEPS;
            }
        }
        return lastEpoch ? StopReason.EPOCHS : null;
    }

    private static List<Double> means(double[] sums, long rows) {
        List<Double> means = new ArrayList<>(sums.length);
        for (double sum : sums) {
            means.add(sum / rows);
        }
        return means;
    }
}
