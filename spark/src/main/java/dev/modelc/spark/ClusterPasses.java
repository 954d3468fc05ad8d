package dev.modelc.spark;

import dev.modelc.runtime.TrainableModel;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Runs passes over the partitioned rows from the driver and adds up what the partitions return,
 * always in partition order, so that the same rows on the same partitions give the same sums to
 * the bit, whichever executor computed which partition and however often one was recomputed.
 */
final class ClusterPasses {
    /** The loss, metrics and (for a step) gradients of a pass: means over its rows, or sums. */
    record Totals(double[] gradients, double loss, double[] metrics, long rows) {
    }

    private final PartitionedRows rows;
    private final PartitionPass pass;
    private final JavaSparkContext sc;

    ClusterPasses(PartitionedRows rows, RowSplit split, Class<?> type, int capacity) {
        this.rows = rows;
        TrainableModel shape = ModelClasses.create(type, 0, 1);
        int gradients = ModelClasses.params(shape).length;
        this.pass = new PartitionPass(type.getName(), capacity, rows.layout, split.mean, split.std,
                rows.firstRows, gradients, shape.signature().metrics().size());
        this.sc = JavaSparkContext.fromSparkContext(rows.blocks.context());
    }

    /**
     * Forward and backward passes over a batch at the model's current parameters. With
     * {@code mean}, the loss and gradients are means over the batch's rows (each partition's
     * weighted by its rows); otherwise sums of the partitions' values.
     */
    Totals step(TrainableModel model, int[] sortedRows, boolean mean) {
        return run(model, new PartitionPass.Rows(sortedRows, null), true, mean);
    }

    /** Forward passes over a set of rows: the loss and metrics, means over the rows. */
    Totals measure(TrainableModel model, Broadcast<java.util.BitSet> set) {
        return run(model, new PartitionPass.Rows(null, set), false, true);
    }

    /**
     * The chosen rows, gathered on the driver as a batch holds them (standardized features),
     * in the order of their numbers: for trying out the model on a few rows.
     */
    Object[] gather(int[] sortedRows) {
        PartitionPass job = pass;
        PartitionPass.Rows chosen = new PartitionPass.Rows(sortedRows, null);
        List<PartitionPass.Gathered> parts = rows.blocks.mapPartitionsWithIndex((partition, blocks) ->
                job.gather(partition, blocks, chosen), true).collect();
        int total = parts.stream().mapToInt(g -> g.rows().length).sum();
        int[][] where = new int[total][];
        int n = 0;
        for (int p = 0; p < parts.size(); p++) {
            for (int r = 0; r < parts.get(p).rows().length; r++) {
                where[n++] = new int[] {parts.get(p).rows()[r], p, r};
            }
        }
        java.util.Arrays.sort(where, (a, b) -> Integer.compare(a[0], b[0]));
        Object[] inputs = new Object[rows.layout.inputs()];
        for (int i = 0; i < inputs.length; i++) {
            int width = rows.layout.width(i);
            Object first = parts.get(0).inputs()[i];
            inputs[i] = java.lang.reflect.Array.newInstance(first.getClass().getComponentType(), total * width);
            for (int k = 0; k < total; k++) {
                Object from = parts.get(where[k][1]).inputs()[i];
                System.arraycopy(from, where[k][2] * width, inputs[i], k * width, width);
            }
        }
        return inputs;
    }

    private Totals run(TrainableModel model, PartitionPass.Rows chosen, boolean backward, boolean mean) {
        Broadcast<double[]> params = sc.broadcast(ModelClasses.params(model));
        try {
            long id = params.id();
            PartitionPass job = pass;
            List<double[]> parts = rows.blocks.mapPartitionsWithIndex((partition, blocks) ->
                    job.run(partition, blocks, id, params.value(), chosen, backward, mean), true).collect();
            return combine(parts, mean);
        } finally {
            params.destroy(false);
        }
    }

    private Totals combine(List<double[]> parts, boolean mean) {
        double[] total = new double[pass.rowsAt() + 1];
        for (double[] part : parts) {
            for (int k = 0; k < total.length; k++) {
                total[k] += part[k];
            }
        }
        long count = (long) total[pass.rowsAt()];
        double[] gradients = new double[pass.gradients];
        for (int k = 0; k < gradients.length; k++) {
            gradients[k] = mean ? total[k] / count : total[k];
        }
        double[] metrics = new double[pass.metrics];
        for (int m = 0; m < metrics.length; m++) {
            metrics[m] = total[pass.lossAt() + 1 + m] / count;
        }
        return new Totals(gradients, mean ? total[pass.lossAt()] / count : total[pass.lossAt()], metrics, count);
    }
}
