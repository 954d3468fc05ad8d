package dev.modelc.spark;

import dev.modelc.runtime.Rng;
import dev.modelc.runtime.data.DataException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The rows split into training and test rows as on one machine (the same seeded shuffle of the
 * row numbers, the same share held out), and the features' standardization: the mean and
 * deviation (over n) of each feature column over the training rows alone, computed by the
 * executors and added up in row order of the blocks. Standardizing happens as batches are
 * gathered, as on one machine, so a cell becomes {@code (value - mean) / std}.
 */
final class RowSplit implements AutoCloseable {
    final int[] train;
    final int[] test;
    /** Per value of the first input (the features): what standardizing subtracts, 0 when not standardized. */
    final double[] mean;
    /** Per feature: what standardizing divides by, 1 when not standardized or when the feature is constant. */
    final double[] std;
    /** The test rows, for the executors. */
    final Broadcast<BitSet> testSet;

    private RowSplit(int[] train, int[] test, double[] mean, double[] std, Broadcast<BitSet> testSet) {
        this.train = train;
        this.test = test;
        this.mean = mean;
        this.std = std;
        this.testSet = testSet;
    }

    /**
     * Splits the rows with {@code seed}, holding out {@code testFraction} of them, and
     * standardizes the features when the layout says so.
     */
    static RowSplit of(PartitionedRows rows, double testFraction, long seed) throws DataException {
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be in [0, 1), got " + testFraction);
        }
        int trainCount = (int) Math.round(rows.rows * (1 - testFraction));
        if (trainCount == 0) {
            throw new DataException(rows.source, 0, "holding out " + testFraction + " of " + rows.rows
                    + (rows.rows == 1 ? " row" : " rows") + " for testing leaves none for training");
        }
        int[] order = new int[rows.rows];
        Arrays.setAll(order, i -> i);
        if (testFraction > 0) {
            new Rng(seed).shuffle(order);
        }
        int[] train = Arrays.copyOfRange(order, 0, trainCount);
        int[] test = Arrays.copyOfRange(order, trainCount, order.length);
        Arrays.sort(train);
        Arrays.sort(test);
        BitSet testSet = new BitSet(rows.rows);
        for (int row : test) {
            testSet.set(row);
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(rows.blocks.context());
        Broadcast<BitSet> shared = sc.broadcast(testSet);
        double[] mean = new double[rows.layout.width(0)];
        double[] std = new double[rows.layout.width(0)];
        Arrays.fill(std, 1);
        if (rows.layout.standardize) {
            standardize(rows, shared, train.length, mean, std);
        }
        return new RowSplit(train, test, mean, std, shared);
    }

    @Override
    public void close() {
        testSet.destroy();
    }

    /** Two passes over the training rows: sums, minima and maxima; then squared deviations from the mean. */
    private static void standardize(PartitionedRows rows, Broadcast<BitSet> testSet, int trainRows,
                                    double[] mean, double[] std) {
        long[][] firstRows = rows.firstRows;
        int width = mean.length;
        double[] sums = addInRowOrder(rows, rows.blocks.mapPartitionsWithIndex((p, blocks) ->
                ColumnSums.sums(p, blocks, firstRows, testSet.value(), width, null), true).collect(), width, true);
        double[] centre = new double[width];
        for (int k = 0; k < width; k++) {
            centre[k] = sums[k] / trainRows;
        }
        double[] squares = addInRowOrder(rows, rows.blocks.mapPartitionsWithIndex((p, blocks) ->
                ColumnSums.sums(p, blocks, firstRows, testSet.value(), width, centre), true).collect(), width, false);
        for (int k = 0; k < width; k++) {
            mean[k] = centre[k];
            // Tested on min and max, not on a variance that rounding may leave slightly above 0.
            boolean constant = sums[width + k] == sums[2 * width + k];
            std[k] = constant ? 1 : Math.sqrt(squares[k] / trainRows);
        }
    }

    /**
     * Adds the blocks' values in the order of their rows: {@code width} sums, then, with
     * {@code range}, as many minima and maxima, which combine as such.
     */
    private static double[] addInRowOrder(PartitionedRows rows, List<ColumnSums> blocks, int width,
                                          boolean range) {
        ColumnSums[] ordered = blocks.toArray(new ColumnSums[0]);
        Arrays.sort(ordered, (a, b) -> Long.compare(rows.firstRows[a.partition][a.index],
                rows.firstRows[b.partition][b.index]));
        double[] total = new double[range ? 3 * width : width];
        if (range) {
            Arrays.fill(total, width, 2 * width, Double.POSITIVE_INFINITY);
            Arrays.fill(total, 2 * width, 3 * width, Double.NEGATIVE_INFINITY);
        }
        for (ColumnSums block : ordered) {
            for (int k = 0; k < width; k++) {
                total[k] += block.values[k];
                if (range) {
                    total[width + k] = Math.min(total[width + k], block.values[width + k]);
                    total[2 * width + k] = Math.max(total[2 * width + k], block.values[2 * width + k]);
                }
            }
        }
        return total;
    }

    /** One block's sums over its training rows. */
    static final class ColumnSums implements Serializable {
        private static final long serialVersionUID = 1L;
        final int partition;
        final int index;
        final double[] values;

        ColumnSums(int partition, int index, double[] values) {
            this.partition = partition;
            this.index = index;
            this.values = values;
        }

        /**
         * Per block: with {@code centre} null, the sums, minima and maxima of the features over
         * the training rows; else the sums of squared deviations from {@code centre}.
         */
        static Iterator<ColumnSums> sums(int partition, Iterator<RowBlock> blocks, long[][] firstRows,
                                         BitSet test, int width, double[] centre) {
            List<ColumnSums> out = new java.util.ArrayList<>();
            for (int index = 0; blocks.hasNext(); index++) {
                RowBlock block = blocks.next();
                double[] values = (double[]) block.values[0];
                double[] result = new double[centre == null ? 3 * width : width];
                if (centre == null) {
                    Arrays.fill(result, width, 2 * width, Double.POSITIVE_INFINITY);
                    Arrays.fill(result, 2 * width, 3 * width, Double.NEGATIVE_INFINITY);
                }
                long first = firstRows[partition][index];
                for (int r = 0; r < block.rows; r++) {
                    if (test.get((int) (first + r))) {
                        continue;
                    }
                    for (int k = 0; k < width; k++) {
                        double v = values[r * width + k];
                        if (centre == null) {
                            result[k] += v;
                            result[width + k] = Math.min(result[width + k], v);
                            result[2 * width + k] = Math.max(result[2 * width + k], v);
                        } else {
                            double d = v - centre[k];
                            result[k] += d * d;
                        }
                    }
                }
                out.add(new ColumnSums(partition, index, result));
            }
            return out.iterator();
        }
    }
}
