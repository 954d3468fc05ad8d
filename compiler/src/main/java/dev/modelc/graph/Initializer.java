package dev.modelc.graph;

/** How a parameter gets its first value; seeded where random, so runs reproduce. */
public sealed interface Initializer {

    /** Every element the same value; also what zeros and ones become. */
    record Constant(double value) implements Initializer {
    }

    record Normal(double mean, double std) implements Initializer {
    }

    record Uniform(double low, double high) implements Initializer {
    }

    /** Uniform in ±sqrt(6 / (fan_in + fan_out)). */
    record GlorotUniform() implements Initializer {
    }

    /** Normal with std sqrt(2 / fan_in). */
    record HeNormal() implements Initializer {
    }
}
