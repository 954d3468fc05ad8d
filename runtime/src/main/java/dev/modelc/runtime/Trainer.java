package dev.modelc.runtime;

/**
 * Drives full-batch gradient descent: forward, check the stopping rules, backward, update,
 * until the stop condition holds, the step budget is spent, or the loss stops being finite.
 * Iteration {@code n} is the state after {@code n} updates, so iteration 0 is the start.
 */
public final class Trainer {

    /** Why training ended. */
    public enum StopReason {
        CONDITION, MAX_STEPS, DIVERGED
    }

    /** The outcome: how many updates were made, the last loss, and why it stopped. */
    public record Result(long updates, double loss, StopReason reason) {
    }

    /** Told about every iteration; the model's parameters are those the loss was computed at. */
    public interface Listener {
        default void started(TrainableModel model, long maxSteps) {
        }

        void iteration(long iteration, double loss, TrainableModel model);

        default void finished(TrainableModel model, Result result) {
        }
    }

    private Trainer() {
    }

    /**
     * Trains under the model's schedule, starting from the rate the model holds now (its
     * train block's {@code lr} unless changed with {@link TrainableModel#setLearningRate}).
     */
    public static Result train(TrainableModel model, long maxSteps, Listener listener) {
        return train(model, maxSteps, LearningRateSchedule.of(model, maxSteps), listener);
    }

    /**
     * Trains with the rates of {@code schedule}, set on the model before each update. Each
     * update is an epoch for the schedule: it is told the loss the update's gradient came from.
     */
    public static Result train(TrainableModel model, long maxSteps, LearningRateSchedule schedule,
                               Listener listener) {
        if (maxSteps < 0) {
            throw new IllegalArgumentException("maxSteps must be >= 0, got " + maxSteps);
        }
        listener.started(model, maxSteps);
        long updates = 0;
        while (true) {
            double loss = model.forward();
            listener.iteration(updates, loss, model);
            StopReason reason = null;
            if (!Double.isFinite(loss)) {
                reason = StopReason.DIVERGED;
            } else if (model.stopRequested()) {
                reason = StopReason.CONDITION;
            } else if (updates >= maxSteps) {
                reason = StopReason.MAX_STEPS;
            }
            if (reason != null) {
                Result result = new Result(updates, loss, reason);
                listener.finished(model, result);
                return result;
            }
            model.backward();
            model.setLearningRate(schedule.rate(model.stepCount()));
            model.step();
            schedule.epochEnded(loss);
            updates++;
        }
    }
}
