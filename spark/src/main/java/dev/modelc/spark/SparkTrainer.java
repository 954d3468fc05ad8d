package dev.modelc.spark;

import dev.modelc.runtime.EpochCursor;
import dev.modelc.runtime.LearningRateSchedule;
import dev.modelc.runtime.NonFinite;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.Trainer.EpochStats;
import dev.modelc.runtime.Trainer.Evaluation;
import dev.modelc.runtime.Trainer.Result;
import dev.modelc.runtime.Trainer.StopReason;
import dev.modelc.runtime.TrainingPosition;
import dev.modelc.runtime.TrainingSettings;
import java.util.Arrays;

/**
 * Synchronous data-parallel minibatch training on Spark. Each step, the partitions run the
 * generated forward and backward passes over their share of the batch; their loss, metrics and
 * gradients come back to the driver and are added up in partition order, weighted by rows; the
 * driver's model takes the batch's gradient ({@link TrainableModel#setGradient}) and makes the
 * generated optimizer update once. Epochs, batch order, schedules, stopping rules, test
 * measurements, listeners and positions are those of {@link Trainer}, so a run repeats one made
 * on a single machine from the same seed, up to the order of additions, and a checkpoint from
 * either goes on on the other.
 *
 * <p>The driver's model needs no batch capacity of its own: make it with 1. A trainer runs once.
 */
public final class SparkTrainer {
    /** The most rows an executor's model passes at once; a larger share of a batch goes in several passes. */
    public static final int EXECUTOR_ROWS = 4096;

    private final TrainableModel model;
    private final TrainingRows data;
    private final TrainingSettings settings;
    private final LearningRateSchedule schedule;
    private final ClusterPasses passes;
    private final StopRule stopRule;
    private final StepMetrics stepMetrics;
    private final EpochCursor cursor;
    private final long maxSteps;
    private final LossShape shape;
    private volatile boolean stopRequested;
    private TrainingPosition from = TrainingPosition.START;
    private long firstEpoch = 1;
    private boolean resumedMidEpoch;
    private boolean ran;
    private long steps;
    private double lastLoss = Double.NaN;
    private NonFinite nonFinite;

    /**
     * @throws IllegalArgumentException when the model's loss is not made of per-row terms, or its
     *                                  stop condition cannot be checked on Spark, saying why
     */
    public SparkTrainer(TrainableModel model, TrainingRows data, TrainingSettings settings,
                        LearningRateSchedule schedule) {
        this.model = model;
        this.data = data;
        this.settings = settings;
        this.schedule = schedule;
        this.maxSteps = settings.stepLimit(true);
        int batch = settings.batchRows(data.trainSize());
        this.stopRule = StopRule.of(model.signature());
        int test = Math.min(data.testSize(), EXECUTOR_ROWS);
        this.passes = new ClusterPasses(data.rows, data.split, model.getClass(),
                Math.max(1, Math.min(EXECUTOR_ROWS, Math.max(batch, test))));
        this.cursor = new EpochCursor(data.trainRows(), Math.max(1, batch), settings.shuffle(), settings.seed(),
                model.signature().metrics().size());
        this.shape = probeShape();
        this.stepMetrics = new StepMetrics(model);
    }

    /** Trains {@code model} on {@code data} from the start, under its train block's schedule. */
    public static Result train(TrainableModel model, TrainingRows data, TrainingSettings settings,
                               Trainer.Listener listener) {
        LearningRateSchedule schedule = LearningRateSchedule.of(model.signature(),
                settings.plannedSteps(data.trainSize()));
        return new SparkTrainer(model, data, settings, schedule).run(listener);
    }

    /**
     * Makes the run go on from {@code position}, the model already holding the parameters and
     * optimizer state of that moment; epochs and the step limit count from the start of training.
     *
     * @throws IllegalArgumentException when the position cannot come from these rows and settings
     */
    public SparkTrainer resumeFrom(TrainingPosition position) {
        requireNotRun();
        from = position;
        steps = position.steps();
        if (position.epoch() > 0) {
            resumedMidEpoch = cursor.restore(position);
            firstEpoch = resumedMidEpoch ? position.epoch() : position.epoch() + 1;
        }
        return this;
    }

    /** Asks the run to end after the step in progress, with a position that resumes exactly; from any thread. */
    public void requestStop() {
        stopRequested = true;
    }

    /** The plan the run follows, as listeners are told it. */
    public Trainer.Plan plan() {
        return new Trainer.Plan(settings, null, data.trainSize(), data.testSize(),
                settings.batchRows(data.trainSize()), maxSteps, settings.plannedSteps(data.trainSize()), from,
                schedule);
    }

    /** Trains until a stopping rule ends the run; tells {@code listener} along the way. */
    public Result run(Trainer.Listener listener) {
        requireNotRun();
        ran = true;
        listener.started(model, plan());
        Result result = runEpochs(listener, System.nanoTime());
        listener.finished(model, result);
        return result;
    }

    private void requireNotRun() {
        if (ran) {
            throw new IllegalStateException("a trainer runs once; make another");
        }
    }

    /** Tries the loss on the first training rows: a mean of per-row terms, a sum, or neither (refused). */
    private LossShape probeShape() {
        int[] rows = data.trainRows();
        int count = Math.min(rows.length, LossShape.PROBE_ROWS);
        if (count < 2) {
            return LossShape.MEAN;
        }
        int[] first = Arrays.copyOf(rows, count);
        Arrays.sort(first);
        TrainableModel probe = ModelClasses.create(model.getClass(), 0, count);
        WorkerModels.setParams(probe, ModelClasses.params(model));
        return LossShape.of(probe, passes.gather(first), count);
    }

    private Result runEpochs(Trainer.Listener listener, long start) {
        if (steps >= maxSteps || firstEpoch > settings.epochs()) {
            return result(steps >= maxSteps ? StopReason.MAX_STEPS : StopReason.EPOCHS, null, from);
        }
        for (long epoch = firstEpoch; ; epoch++) {
            if (epoch != firstEpoch || !resumedMidEpoch) {
                cursor.startEpoch();
            }
            StopReason reason = runEpoch(epoch, listener);
            Evaluation train = cursor.trained();
            if (cursor.complete()) {
                schedule.epochEnded(train.loss());
            }
            Evaluation test = data.testSize() == 0 ? null : measureTestRows();
            EpochStats stats = new EpochStats(epoch, settings.epochs(), steps, train, test,
                    (System.nanoTime() - start) / 1e9);
            listener.epoch(model, stats);
            if (reason == null && stopRequested) {
                reason = StopReason.REQUESTED;
            }
            if (reason != null) {
                return result(reason, stats, cursor.position(steps, epoch));
            }
        }
    }

    /** Runs the epoch's remaining batches; returns why training ends, or null when another epoch follows. */
    private StopReason runEpoch(long epoch, Trainer.Listener listener) {
        boolean lastEpoch = epoch == settings.epochs();
        int[] order = cursor.order();
        int batch = settings.batchRows(order.length);
        for (int first = cursor.next(); first < order.length; first += batch) {
            int count = Math.min(batch, order.length - first);
            int[] rows = Arrays.copyOfRange(order, first, first + count);
            Arrays.sort(rows);
            model.setLearningRate(schedule.rate(model.stepCount()));
            ClusterPasses.Totals totals = passes.step(model, rows, shape == LossShape.MEAN);
            double loss = totals.loss();
            lastLoss = loss;
            TrainableModel seen = stepMetrics.showing(totals.metrics());
            listener.step(seen, steps, epoch, loss);
            cursor.count(seen, loss, count);
            StopReason reason = beforeUpdate(loss, totals, rows);
            if (reason == null) {
                reason = update(totals.gradients());
                cursor.batchTrained();
            }
            boolean endsEpochs = lastEpoch && first + count == order.length;
            if (reason == null && (steps >= maxSteps || stopRequested)) {
                reason = endsEpochs ? StopReason.EPOCHS : steps >= maxSteps ? StopReason.MAX_STEPS
                        : StopReason.REQUESTED;
            }
            if (reason != null) {
                return reason;
            }
        }
        return lastEpoch ? StopReason.EPOCHS : null;
    }

    /** The rules checked after the forward passes: a loss that is not finite, or the stop condition. */
    private StopReason beforeUpdate(double loss, ClusterPasses.Totals totals, int[] rows) {
        if (!Double.isFinite(loss)) {
            nonFinite = new NonFinite("the loss " + model.signature().loss(), loss, steps, origin(rows));
            return StopReason.DIVERGED;
        }
        return stopRule != null && stopRule.holds(loss, totals.metrics()) ? StopReason.CONDITION : null;
    }

    /** The batch's gradient into the driver's model, then the generated update, once. */
    private StopReason update(double[] gradients) {
        int at = 0;
        for (int p = 0; p < model.signature().params().size(); p++) {
            for (int i = 0, size = model.signature().params().get(p).size(); i < size; i++) {
                model.setGradient(p, i, gradients[at++]);
            }
        }
        model.step();
        steps++;
        nonFinite = Divergence.afterUpdate(model, steps);
        return nonFinite == null ? null : StopReason.DIVERGED;
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
        WorkerModels.setParams(probe, ModelClasses.params(model));
        probe.bind(passes.gather(rows), rows.length);
        return probe.firstNonFinite();
    }

    private Result result(StopReason reason, EpochStats last, TrainingPosition position) {
        return new Result(steps, reason, lastLoss, last, position, nonFinite, schedule.state());
    }
}
