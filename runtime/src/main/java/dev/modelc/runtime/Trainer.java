package dev.modelc.runtime;

import java.util.List;

/**
 * Drives full-batch gradient descent: forward, check the stopping rules, backward, update,
 * until the stop condition holds, the step budget is spent, or a value stops being finite.
 * Iteration {@code n} is the state after {@code n} updates, so iteration 0 is the start.
 */
public final class Trainer {

    /** Why training ended. */
    public enum StopReason {
        CONDITION, MAX_STEPS, DIVERGED
    }

    /**
     * The outcome: how many updates were made, the last loss, why it stopped, and for a run
     * that diverged, the first value that was not finite (else null).
     */
    public record Result(long updates, double loss, StopReason reason, NonFinite nonFinite) {
    }

    /** Told about every iteration; the model's parameters are those the loss was computed at. */
    public interface Listener {
        default void started(TrainableModel model, long maxSteps) {
        }

        void iteration(long iteration, double loss, TrainableModel model);

        default void finished(TrainableModel model, Result result) {
        }

        /** Tells each listener in turn. */
        static Listener all(List<? extends Listener> listeners) {
            List<Listener> copy = List.copyOf(listeners);
            return new Listener() {
                @Override
                public void started(TrainableModel model, long maxSteps) {
                    copy.forEach(l -> l.started(model, maxSteps));
                }

                @Override
                public void iteration(long iteration, double loss, TrainableModel model) {
                    copy.forEach(l -> l.iteration(iteration, loss, model));
                }

                @Override
                public void finished(TrainableModel model, Result result) {
                    copy.forEach(l -> l.finished(model, result));
                }
            };
        }
    }

    private Trainer() {
    }

    /**
     * Trains under the model's schedule, starting from the rate the model holds now (its
     * train block's {@code lr} unless changed with {@link TrainableModel#setLearningRate}).
     */
    public static Result train(TrainableModel model, long maxSteps, Listener listener) {
        return resume(model, 0, maxSteps, LearningRateSchedule.of(model, maxSteps), listener);
    }

    /**
     * Trains with the rates of {@code schedule}, set on the model before each update. Each
     * update is an epoch for the schedule: it is told the loss the update's gradient came from.
     */
    public static Result train(TrainableModel model, long maxSteps, LearningRateSchedule schedule,
                               Listener listener) {
        return resume(model, 0, maxSteps, schedule, listener);
    }

    /**
     * Continues training whose model already holds the parameters and optimizer state after
     * {@code updates} updates, up to {@code maxSteps} updates in all; iterations are numbered
     * on from {@code updates}, so a run split anywhere repeats an unbroken one exactly.
     */
    public static Result resume(TrainableModel model, long updates, long maxSteps, Listener listener) {
        return resume(model, updates, maxSteps, LearningRateSchedule.of(model, maxSteps), listener);
    }

    /** The same, with the rates of {@code schedule}. */
    public static Result resume(TrainableModel model, long updates, long maxSteps, LearningRateSchedule schedule,
                                Listener listener) {
        if (maxSteps < 0 || updates < 0) {
            throw new IllegalArgumentException("maxSteps and updates must be >= 0, got " + maxSteps + " and "
                    + updates);
        }
        listener.started(model, maxSteps);
        while (true) {
            double loss = model.forward();
            listener.iteration(updates, loss, model);
            StopReason reason = null;
            NonFinite nonFinite = null;
            if (!Double.isFinite(loss)) {
                reason = StopReason.DIVERGED;
                nonFinite = NonFinite.inLoss(model, loss, updates);
            } else if (model.stopRequested()) {
                reason = StopReason.CONDITION;
            } else if (updates >= maxSteps) {
                reason = StopReason.MAX_STEPS;
            } else {
                model.backward();
                model.setLearningRate(schedule.rate(model.stepCount()));
                model.step();
                schedule.epochEnded(loss);
                updates++;
                nonFinite = NonFinite.afterUpdate(model, updates);
                reason = nonFinite == null ? null : StopReason.DIVERGED;
            }
            if (reason != null) {
                Result result = new Result(updates, loss, reason, nonFinite);
                // The model keeps the base rate between runs, so a checkpoint resumes the schedule exactly.
                model.setLearningRate(schedule.baseRate());
                listener.finished(model, result);
                return result;
            }
        }
    }
}
