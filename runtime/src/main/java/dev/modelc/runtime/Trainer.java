package dev.modelc.runtime;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Trains a model step by step: a forward pass, the stopping rules, a backward pass and an
 * update under the rate its {@link LearningRateSchedule} gives, which the trainer sets on the
 * model before each step.
 *
 * <ul>
 *   <li>On a {@link Dataset}, each step is a minibatch of training rows, epoch after epoch, in
 *       an order shuffled from the seed, and the test rows are measured after every epoch.</li>
 *   <li>Without one (a model without inputs, or one whose inputs the caller has bound), each
 *       step is the whole batch bound; after the last update one more forward pass measures
 *       where training ended, so a run of {@code n} updates reports {@code n + 1} steps.</li>
 * </ul>
 *
 * <p>A step whose loss is not finite, or after which the model's {@code stop when} condition
 * holds, ends training before its update, so the parameters left are those the stopping loss
 * was computed at. After each update the parameters are checked; a value that is not finite
 * ends training too. {@link #requestStop()} ends it after the current step, from any thread.
 *
 * <p>Training can stop and go on from its {@link TrainingPosition} ({@link #resumeFrom}): the
 * epoch's shuffled order is rebuilt from the seed, so a resumed run repeats an unbroken one
 * bit for bit. A trainer runs once and, like the model, on one thread.
 */
public final class Trainer {
    /** The most test rows evaluated in one forward pass. */
    public static final int MAX_TEST_CHUNK = 4096;

    /** Why training ended. */
    public enum StopReason {
        /** Every epoch is done. */
        EPOCHS,
        /** The step limit is reached. */
        MAX_STEPS,
        /** The model's {@code stop when} condition holds. */
        CONDITION,
        /** A loss, gradient or parameter is NaN or infinite; see {@link Result#nonFinite()}. */
        DIVERGED,
        /** {@link #requestStop()} was called; the position resumes exactly. */
        REQUESTED
    }

    /** A loss and metrics over some rows, each the mean over those rows. */
    public record Evaluation(int rows, double loss, List<Double> metrics) {
        public Evaluation {
            metrics = List.copyOf(metrics);
        }
    }

    /**
     * One epoch's outcome, reported when training on a {@link Dataset}.
     *
     * @param steps updates made since training started
     * @param train the training rows' loss and metrics, as measured by each batch's forward pass
     *              (so under the parameters of that moment), averaged weighted by batch rows
     * @param test the test rows' loss and metrics after the epoch, or null without test rows
     * @param seconds time since this run started
     */
    public record EpochStats(long epoch, long epochs, long steps, Evaluation train, Evaluation test,
                             double seconds) {
    }

    /**
     * What a run is about to do, told to listeners when it starts.
     *
     * @param data the rows trained on, or null when training on the inputs bound, or on rows that
     *             another JVM holds (such as the executors of a Spark session)
     * @param trainRows rows trained on; 0 without data
     * @param testRows rows held out to measure after every epoch; 0 without data
     * @param batchRows rows in a full batch; 0 without data
     * @param maxSteps the step limit in force, {@link TrainingSettings#NO_STEP_LIMIT} for none
     * @param plannedSteps the updates the run means to make, counted from the start of training
     * @param from where the run starts: {@link TrainingPosition#START}, or where it resumes
     */
    public record Plan(TrainingSettings settings, Dataset data, int trainRows, int testRows, int batchRows,
                       long maxSteps, long plannedSteps, TrainingPosition from, LearningRateSchedule schedule) {
        /** Whether the run trains on rows, in epochs. */
        public boolean onData() {
            return data != null || trainRows > 0;
        }
    }

    /**
     * How training ended.
     *
     * @param steps updates made since training started
     * @param loss the loss of the last forward pass of training, NaN when there was none
     * @param last the final (perhaps partial) epoch on a dataset; null without data, or when a
     *             resumed run had nothing left to do
     * @param position where to resume from
     * @param nonFinite for a run that diverged, the first value that was not finite; else null
     * @param schedule the schedule's state at the end, which a checkpoint keeps
     */
    public record Result(long steps, StopReason reason, double loss, EpochStats last, TrainingPosition position,
                         NonFinite nonFinite, LearningRateSchedule.State schedule) {
    }

    /**
     * Told when training starts, after every step's forward pass, after every epoch on a
     * dataset (a partial last one included), and when training ends. Every method does nothing
     * unless overridden.
     */
    public interface Listener {
        /** A listener that does nothing. */
        Listener NONE = new Listener() {
        };

        default void started(TrainableModel model, Plan plan) {
        }

        /**
         * A step's loss, with {@code step} updates made before it, in epoch {@code epoch} (0
         * without data); the model holds the parameters the loss was computed at, the step's
         * metrics, and the learning rate its update uses.
         */
        default void step(TrainableModel model, long step, long epoch, double loss) {
        }

        /** An epoch's end, with the test rows measured; only when training on a dataset. */
        default void epoch(TrainableModel model, EpochStats stats) {
        }

        default void finished(TrainableModel model, Result result) {
        }

        /** A listener told of every step only, as a lambda can be. */
        static Listener onStep(StepListener listener) {
            return Listeners.onStep(listener);
        }

        /** A listener told of every epoch's end only, as a lambda can be. */
        static Listener onEpoch(BiConsumer<TrainableModel, EpochStats> listener) {
            return Listeners.onEpoch(listener);
        }

        /** Tells each listener in turn. */
        static Listener all(List<? extends Listener> listeners) {
            return new Listeners(listeners);
        }

        static Listener all(Listener... listeners) {
            return new Listeners(List.of(listeners));
        }
    }

    /** What {@link Listener#onStep} calls. */
    @FunctionalInterface
    public interface StepListener {
        void step(TrainableModel model, long step, long epoch, double loss);
    }

    private final TrainableModel model;
    private final TrainingSettings settings;
    private final LearningRateSchedule schedule;
    private final Dataset data;
    private final BatchGatherer gatherer;
    private final EpochCursor cursor;
    private final int[] testRows;
    private final long maxSteps;
    private volatile boolean stopRequested;
    private TrainingPosition from = TrainingPosition.START;
    private long firstEpoch = 1;
    private boolean resumedMidEpoch;
    private boolean ran;
    private long steps;
    private double lastLoss = Double.NaN;
    private NonFinite nonFinite;
    private Result epochEnd;

    /**
     * A trainer for {@code model} on {@code data}, or on the inputs bound when {@code data} is
     * null. The model must have room for a batch: see {@link TrainingSettings#capacityFor}.
     */
    public Trainer(TrainableModel model, Dataset data, TrainingSettings settings, LearningRateSchedule schedule) {
        this.model = model;
        this.settings = settings;
        this.schedule = schedule;
        this.data = data;
        this.maxSteps = settings.stepLimit(data != null);
        if (data == null) {
            this.gatherer = null;
            this.cursor = null;
            this.testRows = new int[0];
            return;
        }
        int batch = settings.batchRows(data.trainSize());
        if (batch > model.batchCapacity()) {
            throw new IllegalArgumentException("batches of " + batch + " rows do not fit the model's capacity of "
                    + model.batchCapacity() + "; make it with TrainingSettings.capacityFor(...)");
        }
        this.gatherer = new BatchGatherer(model, data);
        this.cursor = new EpochCursor(data.trainRows(), batch, settings.shuffle(), settings.seed(),
                model.signature().metrics().size());
        this.testRows = data.testRows();
    }

    /** Trains {@code model} on {@code data} under its train block's schedule. */
    public static Result train(TrainableModel model, Dataset data, TrainingSettings settings, Listener listener) {
        LearningRateSchedule schedule = LearningRateSchedule.of(model.signature(), settings.plannedSteps(data));
        return new Trainer(model, data, settings, schedule).run(listener);
    }

    /** Trains {@code model} on the inputs bound (or on none) under its train block's schedule. */
    public static Result train(TrainableModel model, TrainingSettings settings, Listener listener) {
        return train(model, null, settings, listener);
    }

    /**
     * Makes the run go on from {@code position}, with the model already holding the parameters
     * and optimizer state of that moment. The settings' epochs and step limit count from the
     * start of training, not from the position.
     *
     * @throws IllegalArgumentException when the position cannot come from these data and settings
     */
    public Trainer resumeFrom(TrainingPosition position) {
        requireNotRun();
        if (data == null && position.epoch() != 0) {
            throw new IllegalArgumentException("the position stands in epoch " + position.epoch()
                    + ", but this run has no data");
        }
        from = position;
        steps = position.steps();
        if (data != null) {
            cursor.requireReachable(position, settings.epochs());
        }
        if (data != null && position.epoch() > 0) {
            resumedMidEpoch = cursor.restore(position);
            firstEpoch = resumedMidEpoch ? position.epoch() : position.epoch() + 1;
        }
        return this;
    }

    /**
     * Asks the run to end after the step in progress, with {@link StopReason#REQUESTED} and a
     * position that resumes exactly. Safe to call from any thread, before or during the run.
     */
    public void requestStop() {
        stopRequested = true;
    }

    public boolean isStopRequested() {
        return stopRequested;
    }

    /**
     * Where the run stood at the end of the last epoch (its reason null): called from
     * {@link Listener#epoch}, a checkpoint of that moment that resumes exactly, as
     * {@code --save-best} keeps; null before the first epoch ends.
     */
    public Result epochEnd() {
        return epochEnd;
    }

    /** The plan the run follows. */
    public Plan plan() {
        int batch = data == null ? 0 : settings.batchRows(data.trainSize());
        return new Plan(settings, data, data == null ? 0 : data.trainSize(), data == null ? 0 : data.testSize(), batch,
                maxSteps, settings.plannedSteps(data), from, schedule);
    }

    /** Trains until a stopping rule ends the run; tells {@code listener} along the way. */
    public Result run(Listener listener) {
        requireNotRun();
        ran = true;
        listener.started(model, plan());
        Result result = data == null ? runWithoutData(listener) : runOnData(listener, System.nanoTime());
        listener.finished(model, result);
        return result;
    }

    private void requireNotRun() {
        if (ran) {
            throw new IllegalStateException("a trainer runs once; make another");
        }
    }

    private Result runWithoutData(Listener listener) {
        while (!stopRequested) {
            model.setLearningRate(schedule.rate(model.stepCount()));
            double loss = model.forward();
            lastLoss = loss;
            listener.step(model, steps, 0, loss);
            StopReason reason = beforeUpdate(loss);
            if (reason == null && steps >= maxSteps) {
                reason = StopReason.MAX_STEPS;
            }
            if (reason == null) {
                reason = update();
                schedule.epochEnded(loss);
            }
            if (reason != null) {
                return result(reason, null, TrainingPosition.afterUpdates(steps));
            }
        }
        return result(StopReason.REQUESTED, null, TrainingPosition.afterUpdates(steps));
    }

    private Result runOnData(Listener listener, long start) {
        if (steps >= maxSteps || firstEpoch > settings.epochs()) {
            return result(steps >= maxSteps ? StopReason.MAX_STEPS : StopReason.EPOCHS, null, from);
        }
        if (stopRequested) {
            return result(StopReason.REQUESTED, null, from);
        }
        for (long epoch = firstEpoch; ; epoch++) {
            if (epoch != firstEpoch || !resumedMidEpoch) {
                cursor.startEpoch();
            }
            StopReason reason = runEpoch(epoch, listener);
            Evaluation train = cursor.trained();
            Evaluation test = testRows.length == 0 ? null : evaluate(model, gatherer, testRows);
            if (cursor.complete()) {
                schedule.epochEnded(schedule.watchesHeldOut() && test != null ? test.loss() : train.loss());
            }
            EpochStats stats = new EpochStats(epoch, settings.epochs(), steps, train, test,
                    (System.nanoTime() - start) / 1e9);
            epochEnd = result(null, stats, cursor.position(steps, epoch));
            listener.epoch(model, stats);
            if (reason == null && stopRequested) {
                reason = StopReason.REQUESTED;
            }
            if (reason == null && HeldOut.stops(model.signature(), test)) {
                reason = StopReason.CONDITION;
            }
            if (reason != null) {
                return result(reason, stats, cursor.position(steps, epoch));
            }
        }
    }

    /** Runs the epoch's remaining batches; returns why training ends, or null when another epoch follows. */
    private StopReason runEpoch(long epoch, Listener listener) {
        boolean lastEpoch = epoch == settings.epochs();
        int[] order = cursor.order();
        int batch = settings.batchRows(order.length);
        for (int from = cursor.next(); from < order.length; from += batch) {
            int count = Math.min(batch, order.length - from);
            gatherer.bind(order, from, count);
            model.setLearningRate(schedule.rate(model.stepCount()));
            double loss = model.forward();
            lastLoss = loss;
            listener.step(model, steps, epoch, loss);
            cursor.count(model, loss, count);
            StopReason reason = beforeUpdate(loss);
            if (reason == null) {
                reason = update();
                cursor.batchTrained();
            }
            boolean endsEpochs = lastEpoch && from + count == order.length;
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

    /** The rules checked after a forward pass: a loss that is not finite, or the stop condition. */
    private StopReason beforeUpdate(double loss) {
        if (!Double.isFinite(loss)) {
            nonFinite = NonFinite.inLoss(model, loss, steps);
            return StopReason.DIVERGED;
        }
        return model.stopRequested() ? StopReason.CONDITION : null;
    }

    /** Backward pass and update; returns {@link StopReason#DIVERGED} when a parameter is no longer finite. */
    private StopReason update() {
        model.backward();
        model.step();
        steps++;
        nonFinite = NonFinite.afterUpdate(model, steps);
        return nonFinite == null ? null : StopReason.DIVERGED;
    }

    private Result result(StopReason reason, EpochStats last, TrainingPosition position) {
        return new Result(steps, reason, lastLoss, last, position, nonFinite, schedule.state());
    }

    /**
     * The loss and metrics over the given rows, in chunks of at most the model's capacity,
     * averaged weighted by chunk rows (so exact when the loss and metrics are means). Runs
     * forward passes only, evaluating ({@link TrainableModel#setTraining}: no dropout), then
     * training again: parameters and optimizer state are left as they are.
     */
    public static Evaluation evaluate(TrainableModel model, BatchGatherer gatherer, int[] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("nothing to evaluate: no rows");
        }
        int chunk = model.batchCapacity();
        double loss = 0;
        double[] sums = new double[model.signature().metrics().size()];
        model.setTraining(false);
        try {
            for (int from = 0; from < rows.length; from += chunk) {
                int count = Math.min(chunk, rows.length - from);
                gatherer.bind(rows, from, count);
                loss += model.forward() * count;
                for (int m = 0; m < sums.length; m++) {
                    sums[m] += model.metric(m) * count;
                }
            }
        } finally {
            model.setTraining(true);
        }
        return new Evaluation(rows.length, loss / rows.length, EpochCursor.means(sums, rows.length));
    }
}
