package dev.modelc.testing;

import dev.modelc.runtime.ModelSignature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One case of a {@link GradientProperty}: a batch of rows for every input of a model, as
 * {@link dev.modelc.runtime.TrainableModel#bind} takes them ({@code double[]} for numbers,
 * {@code int[]} for labels, row-major). A model without inputs has the one empty case.
 */
public final class InputCase {
    /** Beyond this many values an input is printed in part. */
    private static final int MAX_PRINTED = 400;

    private final List<ModelSignature.Input> inputs;
    private final int rows;
    private final List<Object> values;

    InputCase(List<ModelSignature.Input> inputs, int rows, List<Object> values) {
        this.inputs = List.copyOf(inputs);
        this.rows = rows;
        this.values = List.copyOf(values);
    }

    public int rows() {
        return rows;
    }

    public List<ModelSignature.Input> inputs() {
        return inputs;
    }

    /** A copy of one input's values: {@code double[]} or {@code int[]}. */
    public Object values(String input) {
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).name().equals(input)) {
                return copy(values.get(i));
            }
        }
        throw new IllegalArgumentException("no input named " + input);
    }

    /** Copies of every input's values in the model's order, for {@code bind(inputs, rows())}. */
    public Object[] bindArguments() {
        return values.stream().map(InputCase::copy).toArray();
    }

    /** Values of input {@code index}, shared: callers must not change them. */
    Object raw(int index) {
        return values.get(index);
    }

    /** The same case with input {@code index} replaced. */
    InputCase with(int index, Object replacement) {
        List<Object> changed = new ArrayList<>(values);
        changed.set(index, replacement);
        return new InputCase(inputs, rows, changed);
    }

    /** The same case with only the rows listed, in that order. */
    InputCase keepingRows(List<Integer> kept) {
        List<Object> changed = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            int width = inputs.get(i).rowSize();
            Object source = values.get(i);
            Object target = source instanceof int[] ? new int[kept.size() * width] : new double[kept.size() * width];
            for (int r = 0; r < kept.size(); r++) {
                System.arraycopy(source, kept.get(r) * width, target, r * width, width);
            }
            changed.add(target);
        }
        return new InputCase(inputs, kept.size(), changed);
    }

    /** Like {@code batch 2\n  x = [[0.5, -1.0], [2.0, 0.0]]\n  y = [1, 0]}: a row per inner list. */
    @Override
    public String toString() {
        if (inputs.isEmpty()) {
            return "no inputs: the params as the model was made";
        }
        StringBuilder text = new StringBuilder("batch ").append(rows);
        for (int i = 0; i < inputs.size(); i++) {
            text.append("\n  ").append(inputs.get(i).name()).append(" = ")
                    .append(render(values.get(i), inputs.get(i).rowSize()));
        }
        return text.toString();
    }

    private String render(Object array, int width) {
        int count = rows * width;
        StringBuilder text = new StringBuilder("[");
        for (int k = 0; k < Math.min(count, MAX_PRINTED); k++) {
            boolean rowStart = k % width == 0;
            text.append(k == 0 ? "" : rowStart && width > 1 ? "], " : ", ").append(rowStart && width > 1 ? "[" : "");
            text.append(array instanceof int[] ints ? Integer.toString(ints[k])
                    : Double.toString(((double[]) array)[k]));
        }
        if (count > MAX_PRINTED) {
            return text.append(", ... ").append(count - MAX_PRINTED).append(" more").toString();
        }
        return text.append(width > 1 ? "]]" : "]").toString();
    }

    private static Object copy(Object array) {
        return array instanceof int[] ints ? ints.clone() : ((double[]) array).clone();
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof InputCase that) || rows != that.rows || !inputs.equals(that.inputs)) {
            return false;
        }
        for (int i = 0; i < values.size(); i++) {
            if (!Arrays.equals(numbersOf(values.get(i)), numbersOf(that.values.get(i)))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = rows;
        for (Object value : values) {
            hash = 31 * hash + Arrays.hashCode(numbersOf(value));
        }
        return hash;
    }

    /** The values as numbers, whatever the array type, for equality by value. */
    private static double[] numbersOf(Object array) {
        return array instanceof int[] ints ? Arrays.stream(ints).asDoubleStream().toArray() : (double[]) array;
    }
}
