package dev.modelc.testing.property;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A generator of test cases: draws a value from a {@link RandomSource} and, for a value that
 * makes a property fail, offers simpler candidates to try instead, most promising first.
 *
 * @param <T> the type of the generated values
 */
public interface Gen<T> {

    /** A new value drawn from {@code random}. */
    T generate(RandomSource random);

    /**
     * Values simpler than {@code value}, most promising first; empty when it is as simple as
     * this generator can make it. Every candidate must be strictly simpler, so shrinking ends.
     */
    Stream<T> shrink(T value);

    /** A generator from its two halves. */
    static <T> Gen<T> of(Function<RandomSource, T> generate, Function<T, Stream<T>> shrink) {
        Objects.requireNonNull(generate, "generate");
        Objects.requireNonNull(shrink, "shrink");
        return new Gen<>() {
            @Override
            public T generate(RandomSource random) {
                return generate.apply(random);
            }

            @Override
            public Stream<T> shrink(T value) {
                return shrink.apply(value);
            }
        };
    }

    /** Always {@code value}, which cannot shrink. */
    static <T> Gen<T> constant(T value) {
        return of(random -> value, v -> Stream.empty());
    }

    /** Integers in [min, max], shrinking toward the one closest to zero. */
    static Gen<Integer> integers(int min, int max) {
        if (max < min) {
            throw new IllegalArgumentException("empty range [" + min + ", " + max + "]");
        }
        int target = Math.max(min, Math.min(max, 0));
        return of(random -> random.nextInt(min, max), v -> Shrinks.integer(v, target));
    }

    /** Doubles in [min, max), shrinking toward the one closest to zero and to fewer decimals. */
    static Gen<Double> doubles(double min, double max) {
        if (!(min < max) || !Double.isFinite(max - min)) {
            throw new IllegalArgumentException("not a finite range [" + min + ", " + max + ")");
        }
        double target = Math.max(min, Math.min(max, 0.0));
        return of(random -> random.nextDouble(min, max),
                v -> Shrinks.decimal(v, target).filter(d -> d >= min && d <= max));
    }

    /** One of {@code items}, each equally likely, shrinking toward the ones listed first. */
    static <T> Gen<T> elements(List<T> items) {
        List<T> copy = List.copyOf(items);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("no elements to choose from");
        }
        return of(random -> random.pick(copy), v -> copy.subList(0, Math.max(0, copy.indexOf(v))).stream());
    }

    /**
     * Lists of {@code minSize} to {@code maxSize} elements of {@code element}, shrinking by
     * dropping elements first and then by shrinking each element.
     */
    static <T> Gen<List<T>> lists(Gen<T> element, int minSize, int maxSize) {
        if (minSize < 0 || maxSize < minSize) {
            throw new IllegalArgumentException("bad size range [" + minSize + ", " + maxSize + "]");
        }
        return of(random -> {
            int size = random.nextInt(minSize, maxSize);
            List<T> values = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                values.add(element.generate(random));
            }
            return List.copyOf(values);
        }, values -> Stream.concat(Shrinks.removals(values, minSize), Shrinks.elementwise(values, element::shrink)));
    }

    /**
     * Pairs of independent values from two generators, shrinking the first component before
     * the second.
     */
    static <A, B> Gen<Pair<A, B>> pairs(Gen<A> first, Gen<B> second) {
        return of(random -> new Pair<>(first.generate(random), second.generate(random)),
                p -> Stream.concat(first.shrink(p.first()).map(a -> new Pair<>(a, p.second())),
                        second.shrink(p.second()).map(b -> new Pair<>(p.first(), b))));
    }

    /** Two values generated together. */
    record Pair<A, B>(A first, B second) {
    }

    /**
     * Only values that satisfy {@code condition}: draws again (up to 1000 times) until one
     * does, and offers only shrinks that still do.
     */
    default Gen<T> filter(Predicate<T> condition) {
        Gen<T> source = this;
        return of(random -> {
            for (int attempt = 0; attempt < 1000; attempt++) {
                T value = source.generate(random);
                if (condition.test(value)) {
                    return value;
                }
            }
            throw new IllegalStateException("filter rejected 1000 values in a row; generate valid values directly");
        }, v -> source.shrink(v).filter(condition));
    }

    /**
     * The values mapped by {@code to}; {@code from} maps them back, so that shrinking works
     * on the original values.
     */
    default <R> Gen<R> map(Function<T, R> to, Function<R, T> from) {
        Gen<T> source = this;
        return of(random -> to.apply(source.generate(random)), r -> source.shrink(from.apply(r)).map(to));
    }
}
