package dev.modelc.testing.property;

import dev.modelc.runtime.Rng;
import java.util.List;

/**
 * The seeded randomness generators draw from. It wraps the runtime's SplitMix64, whose
 * sequence is fixed by code rather than by the JDK, so a seed names the same cases everywhere.
 */
public final class RandomSource {
    private final Rng rng;

    public RandomSource(long seed) {
        this.rng = new Rng(seed);
    }

    /**
     * The source for one try of a run: derived from the run's seed and the try's index, so a
     * case does not depend on how much randomness the cases before it used.
     */
    public static RandomSource forTry(long seed, int tryIndex) {
        return new RandomSource(new Rng(seed ^ (0x632BE59BD9B4E019L * (tryIndex + 1L))).nextLong());
    }

    public long nextLong() {
        return rng.nextLong();
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return rng.nextDouble();
    }

    /** Uniform in [min, max). */
    public double nextDouble(double min, double max) {
        return rng.uniform(min, max);
    }

    /** Uniform in [0, bound), without the bias of a plain remainder. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        return (int) nextLongBelow(bound);
    }

    /** Uniform in [min, max], both ends included. */
    public int nextInt(int min, int max) {
        if (max < min) {
            throw new IllegalArgumentException("empty range [" + min + ", " + max + "]");
        }
        return (int) (min + nextLongBelow((long) max - min + 1));
    }

    /** True with probability {@code p}. */
    public boolean chance(double p) {
        return nextDouble() < p;
    }

    /** One of {@code items}, each equally likely. */
    public <T> T pick(List<T> items) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("nothing to pick from");
        }
        return items.get(nextInt(items.size()));
    }

    private long nextLongBelow(long bound) {
        long limit = Long.MAX_VALUE - Long.MAX_VALUE % bound;
        while (true) {
            long draw = rng.nextLong() >>> 1;
            if (draw < limit) {
                return draw % bound;
            }
        }
    }
}
