package dev.modelc.runtime;

import java.util.List;

/**
 * Copies chosen rows of a {@link Dataset} into a model's input arrays and binds them. The
 * arrays are made once, for the model's batch capacity, and refilled for every batch.
 */
public final class BatchGatherer {
    private final TrainableModel model;
    private final Dataset data;
    private final int[][] columns;
    private final Object[] arrays;

    public BatchGatherer(TrainableModel model, Dataset data) {
        List<ModelSignature.Input> inputs = model.signature().inputs();
        if (!inputs.equals(data.inputs())) {
            throw new IllegalArgumentException("the data was split for inputs " + data.inputs()
                    + ", but the model has " + inputs);
        }
        this.model = model;
        this.data = data;
        this.columns = new int[inputs.size()][];
        this.arrays = new Object[inputs.size()];
        String dtype = model.signature().dtype();
        for (int i = 0; i < inputs.size(); i++) {
            columns[i] = data.columns(i);
            arrays[i] = allocate(inputs.get(i), dtype, model.batchCapacity());
        }
    }

    public Dataset data() {
        return data;
    }

    /** The arrays handed to the model, in the order of its inputs; they change with every {@link #bind}. */
    public Object[] arrays() {
        return arrays.clone();
    }

    /** Binds rows {@code rows[from]} to {@code rows[from + count - 1]} of the data as the model's inputs. */
    public void bind(int[] rows, int from, int count) {
        if (count < 1 || count > model.batchCapacity()) {
            throw new IllegalArgumentException("a batch holds 1 to " + model.batchCapacity() + " rows, not " + count);
        }
        for (int i = 0; i < arrays.length; i++) {
            fill(arrays[i], columns[i], rows, from, count);
        }
        model.bind(arrays, count);
    }

    private static Object allocate(ModelSignature.Input input, String dtype, int capacity) {
        int length = Math.multiplyExact(capacity, input.rowSize());
        if (input.integer()) {
            return new int[length];
        }
        switch (dtype) {
            case "f64":
                return new double[length];
            case "f32":
                return new float[length];
            default:
                throw new IllegalArgumentException("unknown dtype " + dtype + "; expected f32 or f64");
        }
    }

    private void fill(Object array, int[] cols, int[] rows, int from, int count) {
        int width = cols.length;
        if (array instanceof double[] values) {
            for (int r = 0; r < count; r++) {
                for (int k = 0; k < width; k++) {
                    values[r * width + k] = data.value(rows[from + r], cols[k]);
                }
            }
        } else if (array instanceof float[] values) {
            for (int r = 0; r < count; r++) {
                for (int k = 0; k < width; k++) {
                    values[r * width + k] = (float) data.value(rows[from + r], cols[k]);
                }
            }
        } else {
            int[] values = (int[]) array;
            for (int r = 0; r < count; r++) {
                for (int k = 0; k < width; k++) {
                    values[r * width + k] = (int) data.value(rows[from + r], cols[k]);
                }
            }
        }
    }
}
