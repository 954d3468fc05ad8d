package dev.modelc.spark;

import dev.modelc.runtime.LearningRateSchedule;
import dev.modelc.runtime.MinibatchTrainer;
import dev.modelc.runtime.MinibatchTrainer.EpochStats;
import dev.modelc.runtime.MinibatchTrainer.Evaluation;
import dev.modelc.runtime.MinibatchTrainer.Result;
import dev.modelc.runtime.MinibatchTrainer.Settings;
import dev.modelc.runtime.MinibatchTrainer.StopReason;
import dev.modelc.runtime.NonFinite;
import dev.modelc.runtime.Rng;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.TrainingPosition;
import java.util.Arrays;

/**
 * Synchronous data-parallel minibatch training on Spark. Each step, the partitions run the
 * generated forward and backward passes over their share of the batch; their loss, metrics and
 * gradients come back to the driver and are added up in partition order, weighted by rows; the
 * driver's model takes the batch's gradient ({@link TrainableModel#setGradient}) and makes the
 * generated optimizer update once. Epochs, batch order, schedules, stopping rules, test
 * measurements and positions are those of {@link MinibatchTrainer}, so a run repeats one made on a
 * single machine from the same seed, up to the order of additions, and a checkpoint from either
 * resumes on the other.
 */
public final class SparkTrainer {
    /** The most rows an executor's model passes at once; a larger share of a batch goes in several passes. */
    public static final int EXECUTOR_ROWS = 4096;
    // As the trainer on one machine: the epoch shuffle must not replay the split's sequence.
    private static final long SHUFFLE_SALT = 0x5EED_5B0F_F1E5_0001L;

    private final TrainableModel model;
    private final TrainingRows data;
    private final Settings settings;
    private final LearningRateSchedule schedule;
    private final MinibatchTrainer.Listener listener;
    private final ClusterPasses passes;
    private final LossShape shape;
    private final StopRule stopRule;
    private final StepMetrics stepMetrics;
    private final int[] order;
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

    private SparkTrainer(TrainableModel model, TrainingRows data, Settings settings, LearningRateSchedule schedule,
                         MinibatchTrainer.Listener listener) {
        this.model = model;
        this.data = data;
        this.settings = settings;
        this.schedule = schedule;
        this.listener = listener;
        this.order = data.trainRows();
        this.batch = MinibatchTrainer.batchRows(settings.batchSize(), order.length);
        this.stopRule = StopRule.of(model.signature());
        int test = Math.min(data.testSize(), EXECUTOR_ROWS);
        this.passes = new ClusterPasses(data.rows, data.split, model.getClass(),
                Math.max(1, Math.min(EXECUTOR_ROWS, Math.max(batch, test))));
        this.shape = probeShape();
        this.stepMetrics = new StepMetrics(model);
        this.rng = new Rng(settings.seed() ^ SHUFFLE_SALT);
        this.metricSums = new double[model.signature().metrics().size()];
    }

    /** Trains from the start under the model's schedule. */
    public static Result train(TrainableModel model, TrainingRows data, Settings settings,
                               MinibatchTrainer.Listener listener) {
        LearningRateSchedule schedule = LearningRateSchedule.of(model,
                MinibatchTrainer.plannedSteps(settings, data.trainSize()));
        return resume(model, data, settings, schedule, listener, TrainingPosition.START);
    }

    /**
     * Continues training from {@code position}, the model holding the parameters and optimizer
     * state of that moment, with the rates of {@code schedule}.
     *
     * @throws IllegalArgumentException when the position cannot come from these rows and settings, or
     *                                  the model's loss or stop condition cannot be computed in parts
     */
    public static Result resume(TrainableModel model, TrainingRows data, Settings settings,
                                LearningRateSchedule schedule, MinibatchTrainer.Listener listener,
                                TrainingPosition position) {
        SparkTrainer trainer = new SparkTrainer(model, data, settings, schedule, listener);
        long firstEpoch = trainer.restore(position);
        return trainer.run(firstEpoch);
    }

    /** Tries the loss on the first training rows: a mean of per-row terms, a sum, or neither (refused). */
    private LossShape probeShape() {
        int rows = Math.min(order.length, LossShape.PROBE_ROWS);
        if (rows < 2) {
            return LossShape.MEAN;
        }
        int[] first = Arrays.copyOf(order, rows);
        Object[] inputs = passes.gather(first);
        TrainableModel probe = ModelClasses.create(model.getClass(), 0, rows);
        copyParams(model, probe);
        return LossShape.of(probe, inputs, rows);
    }

    private long restore(TrainingPosition position) {
        restored = position;
        steps = position.steps();
        if (position.epoch() == 0) {
            return 1;
        }
        long perEpoch = MinibatchTrainer.batchesPerEpoch(settings.batchSize(), order.length);
        if (position.batchesDone() > perEpoch || position.metricSums().size() != metricSums.length) {
            throw new IllegalArgumentException("the position (batch " + position.batchesDone() + " of epoch "
                    + position.epoch() + ") does not fit " + perEpoch + " batches an epoch and "
                    + metricSums.length + " metrics");
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
        if (steps >= settings.maxSteps() || firstEpoch > settings.epochs()) {
            StopReason reason = steps >= settings.maxSteps() ? StopReason.MAX_STEPS : StopReason.EPOCHS;
            return finish(new Result(steps, reason, null, restored, null));
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
            Evaluation test = data.testSize() == 0 ? null : measureTestRows();
            EpochStats stats = new EpochStats(epoch, settings.epochs(), steps, train, test,
                    (System.nanoTime() - start) / 1e9);
            listener.epoch(model, stats);
            if (reason != null) {
                return finish(new Result(steps, reason, stats, position(epoch), nonFinite));
            }
        }
    }

    private Result finish(Result result) {
        // The model keeps the base rate between runs, so a checkpoint resumes the schedule exactly.
        model.setLearningRate(schedule.baseRate());
        listener.finished(model, result);
        return result;
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

    /** Runs the epoch's remaining batches; returns why training ends, or null when another epoch follows. */
    private StopReason runEpoch(long epoch) {
        boolean lastEpoch = epoch == settings.epochs();
        for (int from = (int) (batchesDone * batch); from < order.length; from += batch) {
            int count = Math.min(batch, order.length - from);
            int[] rows = Arrays.copyOfRange(order, from, from + count);
            Arrays.sort(rows);
            ClusterPasses.Totals totals = passes.step(model, rows, shape == LossShape.MEAN);
            double loss = totals.loss();
            listener.step(stepMetrics.showing(totals.metrics()), steps, epoch, loss);
            lossSum += loss * count;
            epochRows += count;
            for (int m = 0; m < metricSums.length; m++) {
                metricSums[m] += totals.metrics()[m] * count;
            }
            if (!Double.isFinite(loss)) {
                nonFinite = new NonFinite("the loss " + model.signature().loss(), loss, steps, origin(rows));
                return StopReason.DIVERGED;
            }
            if (stopRule != null && stopRule.holds(loss, totals.metrics())) {
                return StopReason.CONDITION;
            }
            update(totals.gradients());
            batchesDone++;
            nonFinite = Divergence.afterUpdate(model, steps);
            if (nonFinite != null) {
                return StopReason.DIVERGED;
            }
            if (steps >= settings.maxSteps()) {
                return lastEpoch && from + count == order.length ? StopReason.EPOCHS : StopReason.MAX_STEPS;
            }
        }
        return lastEpoch ? StopReason.EPOCHS : null;
    }

    /** The batch's gradient into the driver's model, then the generated update, once. */
    private void update(double[] gradients) {
        int at = 0;
        for (int p = 0; p < model.signature().params().size(); p++) {
            for (int i = 0, size = model.signature().params().get(p).size(); i < size; i++) {
                model.setGradient(p, i, gradients[at++]);
            }
        }
        model.setLearningRate(schedule.rate(model.stepCount()));
        model.step();
        steps++;
    }

    private Evaluation measureTestRows() {
        ClusterPasses.Totals totals = passes.measure(model, data.split.testSet);
        return new Evaluation((int) totals.rows(), totals.loss(), Arrays.stream(totals.metrics()).boxed().toList());
    }

    /** Where a loss that is not finite began: the batch run again on the driver, when it is small enough. */
    private String origin(int[] rows) {
        if (rows.length > EXECUTOR_ROWS) {
            return null;
        }
        TrainableModel probe = ModelClasses.create(model.getClass(), 0, rows.length);
        copyParams(model, probe);
        probe.bind(passes.gather(rows), rows.length);
        return probe.firstNonFinite();
    }

    private TrainingPosition position(long epoch) {
        return new TrainingPosition(steps, epoch, batchesDone, rng.state(), lossSum, epochRows,
                Arrays.stream(metricSums).boxed().toList());
    }

    private static void copyParams(TrainableModel from, TrainableModel to) {
        for (int p = 0; p < from.signature().params().size(); p++) {
            for (int i = 0, size = from.signature().params().get(p).size(); i < size; i++) {
                to.setParam(p, i, from.param(p, i));
            }
        }
    }

    private static java.util.List<Double> means(double[] sums, long rows) {
        return Arrays.stream(sums).map(s -> s / rows).boxed().toList();
    }
}
