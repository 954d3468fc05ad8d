package dev.modelc.bench;

import dev.modelc.runtime.Rng;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * W3's and W4's data at any size, for the Spark figures: each row drawn from a generator seeded
 * by the row's number, so that any row can be made alone, on any executor, and the same number
 * of rows is the same data everywhere. W3: 20 standard normal features and a label drawn with
 * probability sigmoid(x . w) for fixed normal weights w; W4: 64 pixels k/16 (k uniform in 0..16)
 * and a class 0..9, the shape of the 8x8 digits.
 */
final class SparkBenchData {
    private static final double[] W3_WEIGHTS = weights();

    private SparkBenchData() {
    }

    /** Values per row: the features, then the label. */
    static int features(Workload workload) {
        return workload == Workload.W3 ? 20 : 64;
    }

    /** Row {@code row}'s features into {@code x}; returns its label. */
    static int row(Workload workload, long row, float[] x) {
        Rng rng = new Rng(row * 0x9E3779B97F4A7C15L + (workload == Workload.W3 ? 303 : 404));
        if (workload == Workload.W3) {
            double dot = 0;
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) rng.normal(0, 1);
                dot += x[k] * W3_WEIGHTS[k];
            }
            return rng.nextDouble() < 1 / (1 + Math.exp(-dot)) ? 1 : 0;
        }
        for (int k = 0; k < x.length; k++) {
            x[k] = rng.nextInt(17) / 16f;
        }
        return rng.nextInt(10);
    }

    /** The workload's first {@code rows} rows as a Parquet folder under {@code folder}, written unless there already. */
    static Path parquet(SparkSession spark, Workload workload, long rows, Path folder) throws java.io.IOException {
        Path out = folder.resolve(workload.name().toLowerCase() + "-" + rows + ".parquet");
        if (Files.exists(out.resolve("_SUCCESS"))) {
            return out;
        }
        Files.createDirectories(folder);
        StructType schema = new StructType();
        int width = features(workload);
        for (int k = 0; k < width; k++) {
            schema = schema.add("x" + k, DataTypes.FloatType, false);
        }
        schema = schema.add("y", workload == Workload.W3 ? DataTypes.FloatType : DataTypes.IntegerType, false);
        int slices = Math.max(1, (int) (rows / 1_000_000));
        spark.range(0, rows, 1, slices)
                .mapPartitions((MapPartitionsFunction<Long, Row>) ids -> rows(workload, ids), Encoders.row(schema))
                .write().mode("overwrite").parquet(new File(out.toString()).getAbsolutePath());
        return out;
    }

    private static Iterator<Row> rows(Workload workload, Iterator<Long> ids) {
        float[] x = new float[features(workload)];
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return ids.hasNext();
            }

            @Override
            public Row next() {
                int label = row(workload, ids.next(), x);
                Object[] values = new Object[x.length + 1];
                for (int k = 0; k < x.length; k++) {
                    values[k] = x[k];
                }
                values[x.length] = workload == Workload.W3 ? (Object) (float) label : (Object) label;
                return RowFactory.create(values);
            }
        };
    }

    private static double[] weights() {
        Rng rng = new Rng(303);
        double[] w = new double[20];
        for (int k = 0; k < w.length; k++) {
            w[k] = rng.normal(0, 1);
        }
        return w;
    }
}
