package dev.modelc.testing.property;

import java.util.function.Consumer;

/** What running a property on one case gave: passed, discarded (with why) or failed (with the error). */
record Outcome(Status status, Throwable error) {
    enum Status {
        PASSED, DISCARDED, FAILED
    }

    private static final Outcome PASSED = new Outcome(Status.PASSED, null);

    boolean failed() {
        return status == Status.FAILED;
    }

    /** The reason a discarded case gave. */
    String discardReason() {
        String reason = error.getMessage();
        return reason == null ? error.getClass().getSimpleName() : reason;
    }

    /**
     * Runs {@code property} on {@code value}. Any exception or error counts as a failure,
     * a stack overflow included, because a property's subject may overflow on deep inputs;
     * only running out of memory is passed on, since nothing after it can be trusted.
     */
    static <T> Outcome of(Consumer<T> property, T value) {
        try {
            property.accept(value);
            return PASSED;
        } catch (CaseDiscarded | org.opentest4j.TestAbortedException discarded) {
            return new Outcome(Status.DISCARDED, discarded);
        } catch (OutOfMemoryError fatal) {
            throw fatal;
        } catch (RuntimeException | Error failure) {
            return new Outcome(Status.FAILED, failure);
        }
    }
}
