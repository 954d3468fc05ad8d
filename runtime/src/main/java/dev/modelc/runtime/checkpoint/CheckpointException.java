package dev.modelc.runtime.checkpoint;

/**
 * A checkpoint file that cannot be used, with a message that says why in terms of the file:
 * damaged, truncated, not in the format, or made for another model.
 */
public final class CheckpointException extends Exception {
    public CheckpointException(String message) {
        super(message);
    }
}
