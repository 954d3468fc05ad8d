package dev.modelc.testing;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.testing.property.Gen;
import dev.modelc.testing.property.RandomSource;
import dev.modelc.testing.property.Shrinks;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Random inputs for a model's declared shapes: numbers uniform in each input's range, labels
 * uniform below its bound. A failing case shrinks to fewer rows first, then to simpler values:
 * a whole input at its target (0, or the range's end nearest 0) or rounded toward it to whole
 * numbers or one decimal, and last element by element.
 */
final class InputCaseGen implements Gen<InputCase> {
    /** Decimals beyond this are not cut one at a time. */
    private static final int MAX_DECIMALS = 6;

    /** Where one input's values come from: a range [low, high) for numbers, a bound for labels. */
    record Domain(double low, double high, int labelBound) {
        double target() {
            return Math.max(low, Math.min(high, 0.0));
        }
    }

    private final List<ModelSignature.Input> inputs;
    private final List<Domain> domains;
    private final int rows;

    InputCaseGen(List<ModelSignature.Input> inputs, List<Domain> domains, int rows) {
        this.inputs = List.copyOf(inputs);
        this.domains = List.copyOf(domains);
        this.rows = rows;
    }

    @Override
    public InputCase generate(RandomSource random) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Domain domain = domains.get(i);
            int count = rows * inputs.get(i).rowSize();
            if (inputs.get(i).integer()) {
                int[] labels = new int[count];
                for (int k = 0; k < count; k++) {
                    labels[k] = random.nextInt(domain.labelBound());
                }
                values.add(labels);
            } else {
                double[] numbers = new double[count];
                for (int k = 0; k < count; k++) {
                    numbers[k] = random.nextDouble(domain.low(), domain.high());
                }
                values.add(numbers);
            }
        }
        return new InputCase(inputs, inputs.isEmpty() ? 0 : rows, values);
    }

    @Override
    public Stream<InputCase> shrink(InputCase value) {
        Stream<InputCase> fewerRows = value.rows() <= 1 ? Stream.empty()
                : Shrinks.removals(IntStream.range(0, value.rows()).boxed().toList(), 1).map(value::keepingRows);
        Stream<InputCase> wholeInputs = IntStream.range(0, inputs.size()).boxed()
                .flatMap(i -> wholeInput(value, i).map(replacement -> value.with(i, replacement)));
        Stream<InputCase> elements = IntStream.range(0, inputs.size()).boxed()
                .flatMap(i -> elements(value, i));
        return Stream.concat(fewerRows, Stream.concat(wholeInputs, elements));
    }

    /** An input all at its target, or each value made simpler as {@link #simpler} does first; only real changes. */
    private Stream<Object> wholeInput(InputCase value, int i) {
        Object raw = value.raw(i);
        if (raw instanceof int[] labels) {
            return IntStream.of(labels).allMatch(l -> l == 0) ? Stream.empty() : Stream.of(new int[labels.length]);
        }
        double[] numbers = (double[]) raw;
        Domain domain = domains.get(i);
        double[] atTarget = new double[numbers.length];
        Arrays.fill(atTarget, domain.target());
        double[] whole = numbers.clone();
        double[] oneDecimal = numbers.clone();
        for (int k = 0; k < numbers.length; k++) {
            whole[k] = towardTarget(numbers[k], 0, domain);
            oneDecimal[k] = towardTarget(numbers[k], 1, domain);
        }
        return Stream.of(atTarget, whole, oneDecimal).filter(candidate -> !Arrays.equals(candidate, numbers))
                .map(candidate -> (Object) candidate).distinct();
    }

    /** One element at a time made simpler, the others kept. */
    private Stream<InputCase> elements(InputCase value, int i) {
        Object raw = value.raw(i);
        Domain domain = domains.get(i);
        int count = raw instanceof int[] ints ? ints.length : ((double[]) raw).length;
        return IntStream.range(0, count).boxed().flatMap(k -> {
            if (raw instanceof int[] labels) {
                return Shrinks.integer(labels[k], 0).map(l -> {
                    int[] changed = labels.clone();
                    changed[k] = l;
                    return value.with(i, changed);
                });
            }
            double[] numbers = (double[]) raw;
            return simpler(numbers[k], domain).map(d -> {
                double[] changed = numbers.clone();
                changed[k] = d;
                return value.with(i, changed);
            });
        });
    }

    /**
     * Simpler numbers than {@code v}: the target, then whole numbers toward it, then {@code v}
     * with fewer decimals. Never halfway toward the target: halving until a failure disappears
     * leaves a case that fails by a hair over the tolerance, which explains nothing, where a
     * whole number shows the mistake plainly.
     */
    static Stream<Double> simpler(double v, Domain domain) {
        double target = domain.target();
        if (v == target || !Double.isFinite(v)) {
            return Double.isFinite(v) ? Stream.empty() : Stream.of(target);
        }
        Set<Double> candidates = new LinkedHashSet<>();
        candidates.add(target);
        double whole = towardTarget(v, 0, domain);
        if (whole != v) {
            candidates.add(whole);
            for (int d = 1; d < Math.min(decimals(v), MAX_DECIMALS + 1); d++) {
                candidates.add(towardTarget(v, d, domain));
            }
        } else if (target == Math.rint(target) && Math.abs(v) < Integer.MAX_VALUE) {
            Shrinks.integer((int) v, (int) target).forEach(n -> candidates.add((double) n));
        }
        candidates.remove(v);
        return candidates.stream().filter(c -> c >= domain.low() && c <= domain.high());
    }

    /** {@code v} cut to {@code decimals} places, toward the target and never past it. */
    private static double towardTarget(double v, int decimals, Domain domain) {
        double target = domain.target();
        if (v == target || !Double.isFinite(v)) {
            return v;
        }
        double cut = new BigDecimal(Double.toString(v))
                .setScale(decimals, v > target ? RoundingMode.FLOOR : RoundingMode.CEILING).doubleValue();
        return v > target ? Math.max(cut, target) : Math.min(cut, target);
    }

    private static int decimals(double v) {
        return Math.max(0, new BigDecimal(Double.toString(v)).stripTrailingZeros().scale());
    }
}
