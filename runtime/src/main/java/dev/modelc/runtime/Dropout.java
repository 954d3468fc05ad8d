package dev.modelc.runtime;

/**
 * The masks of {@code dropout}, drawn without state: whether an element is kept is a hash of the
 * run's seed, the step, the call's place in the model (its site) and the element's position in
 * the batch. The forward and backward passes of one step see the same mask without storing it,
 * a resumed run draws the masks it would have drawn, and {@link #OFF} (prediction, evaluation)
 * keeps every element unscaled.
 */
public final class Dropout {
    /** The key under which every element is kept as it is. */
    public static final long OFF = 0L;

    private Dropout() {
    }

    /** The key of one training step: never {@link #OFF}. */
    public static long key(long seed, long step) {
        long key = mix(mix(seed ^ 0x6A09E667F3BCC909L) + step * 0x9E3779B97F4A7C15L);
        return key == OFF ? 1 : key;
    }

    /**
     * What the element at {@code index} of dropout {@code site} is multiplied by: 0 with probability
     * {@code rate}, else 1 / (1 - rate), so that the expected value is unchanged; 1 under {@link #OFF}.
     */
    public static double mask(long key, int site, long index, double rate) {
        if (key == OFF) {
            return 1.0;
        }
        long bits = mix(key ^ mix(((long) site << 40) ^ index ^ 0xBB67AE8584CAA73BL));
        return (bits >>> 11) * 0x1.0p-53 < rate ? 0.0 : 1.0 / (1.0 - rate);
    }

    /** SplitMix64's finalizer: every bit of the result depends on every bit of {@code z}. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
