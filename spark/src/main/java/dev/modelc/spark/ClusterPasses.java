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
