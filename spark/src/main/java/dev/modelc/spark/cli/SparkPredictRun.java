package dev.modelc.spark.cli;

import dev.modelc.cli.SparkBackend;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.checkpoint.CheckpointException;
import dev.modelc.runtime.data.DataException;
import dev.modelc.spark.ModelJar;
import dev.modelc.spark.ModelcSpark;
import java.io.IOException;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code modelc predict F --init CKPT --spark [MASTER] --data ROWS -o OUT}: every row of a
 * Parquet or CSV source scored by the session's executors, the outputs written beside the rows'
 * own columns to Parquet (a folder, as Spark writes it).
 */
final class SparkPredictRun {
    private final SparkBackend.PredictRequest request;
    private final SparkSession spark;
    private final ModelJar jar;

    SparkPredictRun(SparkBackend.PredictRequest request, SparkSession spark, ModelJar jar) {
        this.request = request;
        this.spark = spark;
        this.jar = jar;
    }

    int run() throws DataException, IOException {
        Class<?> type = jar.load();
        ModelSignature s = Models.signature(type);
        TrainableModel model = Models.create(type, 0);
        try {
            request.checkpoint().initialize(model);
        } catch (CheckpointException e) {
            throw new SparkBackend.UserError(request.checkpointPath() + ": " + e.getMessage());
        }
        String source = request.data().toString();
        Dataset<Row> rows = source.toLowerCase(Locale.ROOT).endsWith(".csv") || source.endsWith(".csv.gz")
                ? spark.read().option("inferSchema", "true").csv(source) : spark.read().parquet(source);
        Dataset<Row> scored = ModelcSpark.predict(rows, model);
        scored.write().mode("errorifexists").parquet(request.output().toString());
        request.out().println("predicted " + s.outputs().size() + (s.outputs().size() == 1 ? " output" : " outputs")
                + " of " + s.name() + " for the rows of " + source + " into " + request.output());
        return 0;
    }
}
