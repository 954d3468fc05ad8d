package dev.modelc.testing.property;

import java.util.Iterator;
import java.util.function.Consumer;

/**
 * Shrinks a failing case greedily: takes the first simpler candidate that still fails and
 * starts again from it, until no candidate fails or the attempt budget runs out.
 */
final class GreedyShrinker {
    /** The smallest failing case found, its failure, and how much work finding it took. */
    record Result<T>(T value, Throwable failure, int steps, int attempts, boolean budgetExhausted) {
    }

    private GreedyShrinker() {
    }

    static <T> Result<T> shrink(Gen<T> gen, Consumer<T> property, T failing, Throwable failure, int maxAttempts) {
        T current = failing;
        Throwable currentFailure = failure;
        int steps = 0;
        int attempts = 0;
        boolean improved = true;
        while (improved) {
            improved = false;
            Iterator<T> candidates = gen.shrink(current).iterator();
            while (candidates.hasNext()) {
                if (attempts == maxAttempts) {
                    return new Result<>(current, currentFailure, steps, attempts, true);
                }
                T candidate = candidates.next();
                attempts++;
                Outcome outcome = Outcome.of(property, candidate);
                if (outcome.failed()) {
                    current = candidate;
                    currentFailure = outcome.error();
                    steps++;
                    improved = true;
                    break;
                }
            }
        }
        return new Result<>(current, currentFailure, steps, attempts, false);
    }
}
