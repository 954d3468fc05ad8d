package dev.modelc.spark.cli;

import dev.modelc.cli.SparkBackend;
import dev.modelc.spark.ModelcSpark;

/**
 * Failures inside Spark's tasks that are the user's to fix, such as a row that cannot be
 * predicted: Spark reports them wrapped in its own exceptions, whose first line is ours.
 */
final class TaskFailures {
    private TaskFailures() {
    }

    /**
     * A user error with the task's own message when a user's problem caused {@code e}; else
     * {@code e}, wrapped when it is Spark's checked {@code SparkException}, which Spark throws
     * undeclared.
     */
    static RuntimeException explained(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (ModelcSpark.isUserProblem(cause)) {
                return new SparkBackend.UserError(cause.getMessage());
            }
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException(e.toString(), e);
    }
}
