package dev.modelc.testing.property;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Shrink candidates for common values, for use in hand-written generators. Every candidate
 * is strictly simpler than the value it comes from, so greedy shrinking always ends.
 */
public final class Shrinks {
    /** Below this distance a double is not halved further toward its target. */
    private static final double FINEST_STEP = 1e-6;
    private static final int MAX_DECIMALS = 6;

    private Shrinks() {
    }

    /**
     * Integers between {@code value} and {@code target}: the target first, then ever closer
     * to the value, so a greedy shrinker finds the exact boundary of a failure.
     */
    public static Stream<Integer> integer(int value, int target) {
        long distance = (long) value - target;
        if (distance == 0) {
            return Stream.empty();
        }
        List<Integer> candidates = new ArrayList<>();
        for (long step = distance; step != 0; step /= 2) {
            candidates.add((int) (value - step));
        }
        return candidates.stream();
    }

    /**
     * Simpler doubles than {@code value}, never farther from {@code target}: the target, the
     * whole number toward it, the value cut to fewer decimals, whole steps toward the target,
     * and the point halfway to it.
     */
    public static Stream<Double> decimal(double value, double target) {
        if (value == target || !Double.isFinite(value)) {
            return Double.isFinite(value) ? Stream.empty() : Stream.of(target);
        }
        double distance = Math.abs(value - target);
        Set<Double> candidates = new LinkedHashSet<>();
        candidates.add(target);
        double whole = value > target ? Math.floor(value) : Math.ceil(value);
        if (Math.abs(whole - target) < distance) {
            candidates.add(whole);
        }
        int decimals = decimals(value);
        for (int d = 0; d < Math.min(decimals, MAX_DECIMALS + 1); d++) {
            double rounded = round(value, d, value > target ? RoundingMode.FLOOR : RoundingMode.CEILING);
            if (Math.abs(rounded - target) <= distance) {
                candidates.add(rounded);
            }
        }
        // Whole steps toward the target, halving, as for integers: finds whole-number boundaries exactly.
        for (double step = Math.floor(distance); step >= 1; step = Math.floor(step / 2)) {
            candidates.add(value > target ? value - step : value + step);
        }
        if (distance > FINEST_STEP) {
            candidates.add(value + (target - value) / 2);
        }
        candidates.remove(value);
        return candidates.stream();
    }

    /** Each candidate replaces one element of {@code values} by one of its own shrinks. */
    public static <T> Stream<List<T>> elementwise(List<T> values, Function<T, Stream<T>> shrink) {
        return IntStream.range(0, values.size()).boxed().flatMap(i -> shrink.apply(values.get(i)).map(smaller -> {
            List<T> copy = new ArrayList<>(values);
            copy.set(i, smaller);
            return List.copyOf(copy);
        }));
    }

    /**
     * Shorter lists, no shorter than {@code minSize}: without each run of elements of half the
     * length, then a quarter, down to single elements.
     */
    public static <T> Stream<List<T>> removals(List<T> values, int minSize) {
        List<List<T>> candidates = new ArrayList<>();
        for (int length = values.size() - minSize; length > 0; length = length == 1 ? 0 : (length + 1) / 2) {
            for (int start = 0; start + length <= values.size(); start += length) {
                List<T> shorter = new ArrayList<>(values.subList(0, start));
                shorter.addAll(values.subList(start + length, values.size()));
                candidates.add(List.copyOf(shorter));
            }
        }
        return candidates.stream();
    }

    /** How many decimal places the shortest text of {@code value} has. */
    static int decimals(double value) {
        return Math.max(0, new BigDecimal(Double.toString(value)).stripTrailingZeros().scale());
    }

    private static double round(double value, int decimals, RoundingMode towardTarget) {
        return new BigDecimal(Double.toString(value)).setScale(decimals, towardTarget).doubleValue();
    }
}
