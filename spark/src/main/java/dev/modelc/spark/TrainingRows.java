package dev.modelc.spark;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Preprocessing;
import dev.modelc.runtime.data.DataException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Rows a model trains on, held in the memory of a Spark session's executors: read once, split
 * into training and test rows by the seed, and standardized as the model's data source says,
 * exactly as {@link dev.modelc.runtime.Dataset} does on one machine. Close it to let the
 * executors forget the rows.
 */
public final class TrainingRows implements AutoCloseable {
    final PartitionedRows rows;
    final RowSplit split;
    /** The lines skipped at the top of a CSV file; 0 for other rows. */
    private final int skipLines;

    private TrainingRows(PartitionedRows rows, RowSplit split, int skipLines) {
        this.rows = rows;
        this.split = split;
        this.skipLines = skipLines;
    }

    /**
     * Reads a CSV or Parquet file, or a folder of them (Parquet when the name ends in
     * {@code .parquet} or the folder holds {@code .parquet} files), with the label column,
     * skipped lines (CSV only), test share and standardization of {@code source}; its path is
     * replaced by {@code path}. IDX files are not read here: their rows, given as CSV or Parquet
     * (an image's values, then its label), are.
     *
     * @throws DataException when {@code source} is IDX files, or the rows do not fit the model
     */
    public static TrainingRows read(SparkSession spark, ModelSignature signature, String path,
                                    ModelSignature.Data source, long seed) throws DataException {
        if (source.idx() != null) {
            throw new DataException(path, 0, "the train block reads IDX files, which Spark does not read: give "
                    + "--data with the same rows as CSV or Parquet, an image's values then its label");
        }
        PartitionedRows rows = RowSources.read(spark, signature, new RowSources.Spec(path, source.labelColumn(),
                source.skipLines(), source.standardize()));
        return split(rows, source.testFraction(), seed, RowSources.isParquet(path) ? 0 : source.skipLines());
    }

    /**
     * The rows of a DataFrame whose columns are all numbers: with one input, every column feeds
     * it; with two, column {@code labelColumn} (-1 for the last) feeds the second and the rest the
     * first. Rows read straight from files are numbered by file and position; others in the
     * DataFrame's partition order.
     */
    public static TrainingRows of(Dataset<Row> frame, ModelSignature signature, int labelColumn, double testFraction,
                                  boolean standardize, long seed) throws DataException {
        PartitionedRows rows = RowSources.dataFrame(frame, signature, labelColumn, standardize, "the DataFrame");
        return split(rows, testFraction, seed, 0);
    }

    private static TrainingRows split(PartitionedRows rows, double testFraction, long seed, int skipLines)
            throws DataException {
        try {
            return new TrainingRows(rows, RowSplit.of(rows, testFraction, seed), skipLines);
        } catch (DataException | RuntimeException e) {
            rows.close();
            throw e;
        }
    }

    public int trainSize() {
        return split.train.length;
    }

    public int testSize() {
        return split.test.length;
    }

    /** The training rows' numbers, ascending. */
    public int[] trainRows() {
        return split.train.clone();
    }

    /** The test rows' numbers, ascending. */
    public int[] testRows() {
        return split.test.clone();
    }

    /** Where the rows came from, as it was named. */
    public String source() {
        return rows.source;
    }

    public int partitions() {
        return rows.partitions();
    }

    /** What standardizing subtracts from feature {@code k} (0 when not standardized). */
    public double mean(int k) {
        return split.mean[k];
    }

    /** What standardizing divides feature {@code k} by (1 when not standardized). */
    public double std(int k) {
        return split.std[k];
    }

    /**
     * How these rows were read, for a checkpoint to keep, as {@link Preprocessing#of} tells it on
     * one machine: the columns, the label's, the features' mean and deviation over the training
     * rows, and an integer label's classes (as declared, else the largest label plus 1).
     */
    public Preprocessing preprocessing() {
        InputLayout layout = rows.layout;
        int label = layout.inputs() > 1 ? layout.columnsOf[1][0] : -1;
        int classes = 0;
        if (label >= 0 && layout.kinds[1] == InputLayout.Kind.INT) {
            classes = layout.largest[1] < Integer.MAX_VALUE ? (int) layout.largest[1] + 1 : largestLabel() + 1;
        }
        return new Preprocessing(layout.columns, label, skipLines, split.mean.clone(), split.std.clone(), classes);
    }

    /** The largest integer label of all the rows, held out ones too, as on one machine. */
    private int largestLabel() {
        return rows.blocks.map(block -> {
            int[] labels = (int[]) block.values[1];
            int largest = 0;
            for (int r = 0; r < block.rows; r++) {
                largest = Math.max(largest, labels[r]);
            }
            return largest;
        }).fold(0, Math::max);
    }

    @Override
    public void close() {
        split.close();
        rows.close();
    }
}
