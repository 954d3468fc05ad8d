package dev.modelc.spark;

import dev.modelc.runtime.TrainableModel;
import java.io.Serializable;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;

/**
 * What a partition computes for a step, or for measuring rows: forward passes (and backward
 * passes, for a step) over its share of the rows, in chunks as large as its model holds, and
 * the sums of the results weighted by the rows of each chunk. A partition returns one array:
 * the gradient sums of every parameter element, params in signature order, then the loss sum,
 * the metric sums and the rows counted.
 */
final class PartitionPass implements Serializable {
    private static final long serialVersionUID = 1L;

    final String className;
    final int capacity;
    final InputLayout layout;
    final double[] mean;
    final double[] std;
    final long[][] firstRows;
    final int gradients;
    final int metrics;

    PartitionPass(String className, int capacity, InputLayout layout, double[] mean, double[] std,
                  long[][] firstRows, int gradients, int metrics) {
        this.className = className;
        this.capacity = capacity;
        this.layout = layout;
        this.mean = mean;
        this.std = std;
        this.firstRows = firstRows;
        this.gradients = gradients;
        this.metrics = metrics;
    }

    /** Where in a partition's result the loss sum is. */
    int lossAt() {
        return gradients;
    }

    /** Where in a partition's result the rows counted are. */
    int rowsAt() {
        return gradients + 1 + metrics;
    }

    /** The rows of a step (sorted row numbers), or those of a shared set (such as the test rows). */
    record Rows(int[] sorted, Broadcast<BitSet> set) implements Serializable {
    }

    /**
     * Runs the partition's share. With {@code backward}, the gradient sums are filled; each
     * chunk's loss, metrics and gradients count {@code rows} times when {@code rowWeighted}, once
     * otherwise (for a loss that sums over the rows rather than averaging).
     */
    Iterator<double[]> run(int partition, Iterator<RowBlock> blocks, long paramsId, double[] params, Rows rows,
                           boolean backward, boolean rowWeighted) {
        WorkerModels.Slot slot = WorkerModels.borrow(className, capacity);
        try {
            slot.load(paramsId, params);
            double[] sums = new double[rowsAt() + 1];
            Chunk chunk = new Chunk(slot, sums, backward, rowWeighted);
            for (int index = 0; blocks.hasNext(); index++) {
                RowBlock block = blocks.next();
                long first = firstRows[partition][index];
                forEachRow(block, first, rows, r -> chunk.add(block, r));
            }
            chunk.flush();
            return List.of(sums).iterator();
        } finally {
            WorkerModels.giveBack(slot, capacity);
        }
    }

    /** Chosen rows of a partition as a batch holds them: their numbers, ascending, and each input's values. */
    record Gathered(int[] rows, Object[] inputs) implements Serializable {
    }

    /** Gathers the partition's chosen rows, standardized as for a step, into arrays of their own. */
    Iterator<Gathered> gather(int partition, Iterator<RowBlock> blocks, Rows rows) {
        List<RowBlock> held = new java.util.ArrayList<>();
        blocks.forEachRemaining(held::add);
        int[] count = new int[1];
        for (int index = 0; index < held.size(); index++) {
            forEachRow(held.get(index), firstRows[partition][index], rows, r -> count[0]++);
        }
        int[] numbers = new int[count[0]];
        Object[] inputs = new Object[layout.inputs()];
        for (int i = 0; i < inputs.length; i++) {
            int length = count[0] * layout.width(i);
            inputs[i] = layout.kinds[i] == InputLayout.Kind.INT ? new int[length]
                    : layout.f32 ? new float[length] : new double[length];
        }
        int[] at = new int[1];
        for (int index = 0; index < held.size(); index++) {
            RowBlock block = held.get(index);
            long first = firstRows[partition][index];
            forEachRow(block, first, rows, r -> {
                numbers[at[0]] = (int) (first + r);
                for (int i = 0; i < inputs.length; i++) {
                    gather(i, block.values[i], r, inputs[i], at[0]);
                }
                at[0]++;
            });
        }
        return List.of(new Gathered(numbers, inputs)).iterator();
    }

    private static void forEachRow(RowBlock block, long first, Rows rows, java.util.function.IntConsumer action) {
        long end = first + block.rows;
        if (rows.sorted() != null) {
            int[] sorted = rows.sorted();
            int at = Arrays.binarySearch(sorted, (int) first);
            for (int i = at >= 0 ? at : -at - 1; i < sorted.length && sorted[i] < end; i++) {
                action.accept((int) (sorted[i] - first));
            }
        } else {
            BitSet set = rows.set().value();
            for (int row = set.nextSetBit((int) first); row >= 0 && row < end; row = set.nextSetBit(row + 1)) {
                action.accept((int) (row - first));
            }
        }
    }

    /** Rows gathered into the model's input arrays until they are full, then passed through the model. */
    private final class Chunk {
        private final WorkerModels.Slot slot;
        private final TrainableModel model;
        private final double[] sums;
        private final boolean backward;
        private final boolean rowWeighted;
        private int filled;

        Chunk(WorkerModels.Slot slot, double[] sums, boolean backward, boolean rowWeighted) {
            this.slot = slot;
            this.model = slot.model;
            this.sums = sums;
            this.backward = backward;
            this.rowWeighted = rowWeighted;
        }

        void add(RowBlock block, int row) {
            for (int i = 0; i < layout.inputs(); i++) {
                gather(i, block.values[i], row, slot.inputs[i], filled);
            }
            if (++filled == capacity) {
                flush();
            }
        }

        void flush() {
            if (filled == 0) {
                return;
            }
            model.bind(slot.inputs, filled);
            double loss = model.forward();
            double weight = rowWeighted ? filled : 1;
            if (backward) {
                model.backward();
                int at = 0;
                List<dev.modelc.runtime.ModelSignature.Param> params = model.signature().params();
                for (int p = 0; p < params.size(); p++) {
                    for (int i = 0, size = params.get(p).size(); i < size; i++) {
                        sums[at++] += model.gradient(p, i) * weight;
                    }
                }
            }
            sums[lossAt()] += loss * weight;
            for (int m = 0; m < metrics; m++) {
                sums[lossAt() + 1 + m] += model.metric(m) * filled;
            }
            sums[rowsAt()] += filled;
            filled = 0;
        }
    }

    /** Copies row {@code row} of one input into row {@code at} of a batch, standardizing features when asked. */
    private void gather(int input, Object from, int row, Object to, int at) {
        int width = layout.width(input);
        int src = row * width;
        int dst = at * width;
        boolean standardized = layout.standardize && input == 0;
        if (from instanceof double[] values && to instanceof double[] batch) {
            for (int k = 0; k < width; k++) {
                batch[dst + k] = standardized ? (values[src + k] - mean[k]) / std[k] : values[src + k];
            }
        } else if (from instanceof double[] values) {
            float[] batch = (float[]) to;
            for (int k = 0; k < width; k++) {
                batch[dst + k] = (float) (standardized ? (values[src + k] - mean[k]) / std[k] : values[src + k]);
            }
        } else if (from instanceof float[] values) {
            System.arraycopy(values, src, to, dst, width);
        } else {
            System.arraycopy((int[]) from, src, to, dst, width);
        }
    }
}
