package dev.modelc.spark;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Preprocessing;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.runtime.checkpoint.CheckpointException;
import dev.modelc.runtime.data.DataException;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * modelc's generated models on Apache Spark, from Java: a trained model's outputs appended to a
 * DataFrame as columns. Training is {@link SparkTrainer} on {@link TrainingRows}.
 *
 * <pre>{@code
 * Dataset<Row> scored = ModelcSpark.predict(spark.read().parquet("rows.parquet"), DigitsMlp.class,
 *         Path.of("digits.safetensors"));
 * }</pre>
 *
 * <p>The executors load the model class by name: it must be in a jar the session ships (the
 * application's own jar, or one given with {@code spark.jars}).
 */
public final class ModelcSpark {
    private ModelcSpark() {
    }

    /**
     * The rows with the model's declared outputs appended, computed with the parameters of
     * {@code checkpoint} (a modelc checkpoint of this model, or any safetensors file with them),
     * and the rows read as the checkpoint says training read its rows (standardized features,
     * the label's column), when it says.
     *
     * @throws DataException when the columns do not fit the model's inputs, or the model has no output
     */
    public static Dataset<Row> predict(Dataset<Row> rows, Class<? extends TrainableModel> type, Path checkpoint)
            throws IOException, CheckpointException, DataException {
        TrainableModel model = ModelClasses.create(type, 0, 1);
        Checkpoint saved = Checkpoint.read(checkpoint);
        saved.load(model);
        Preprocessing preprocessing = saved.preprocessing();
        return preprocessing == null ? predict(rows, model) : predict(rows, model, preprocessing);
    }

    /**
     * The rows with the outputs of {@code trained} appended, computed with its parameters as
     * they are now. Each partition makes one predictor and predicts its rows a chunk at a time.
     * Columns feed the inputs the outputs read, in order; or, for rows a model trains on, the
     * features, the label (the last column) being passed over.
     *
     * @throws DataException when the columns do not fit the model's inputs, or the model has no output
     */
    public static Dataset<Row> predict(Dataset<Row> rows, TrainableModel trained) throws DataException {
        return predict(rows, trained, -1, null, null, "the DataFrame");
    }

    /**
     * The same, with the features standardized as {@code training} standardizes them (with its
     * training rows' mean and deviation), for a model whose data source says {@code standardize}.
     *
     * @throws DataException when the columns do not fit the model's inputs, or the model has no output
     */
    public static Dataset<Row> predict(Dataset<Row> rows, TrainableModel trained, TrainingRows training)
            throws DataException {
        return predict(rows, trained, -1, training.split.mean.clone(), training.split.std.clone(), "the DataFrame");
    }

    /**
     * The same, with the rows read as {@code preprocessing} says training read its rows: the
     * features standardized with its mean and deviation, the label in its column (passed over
     * when the rows have it).
     *
     * @throws DataException when the columns do not fit the model's inputs, or the model has no output
     */
    public static Dataset<Row> predict(Dataset<Row> rows, TrainableModel trained, Preprocessing preprocessing)
            throws DataException {
        int features = preprocessing.features();
        double[] mean = new double[features];
        double[] std = new double[features];
        for (int k = 0; k < features; k++) {
            mean[k] = preprocessing.mean(k);
            std[k] = preprocessing.std(k);
        }
        return predict(rows, trained, preprocessing.labelColumn(), mean, std, "the DataFrame");
    }

    /**
     * A Parquet or CSV file, or a folder of them, as a DataFrame to score: Parquet by the name or
     * the folder's files, else CSV, whose first line is a header when it is not all numbers.
     *
     * @throws DataException when there is no such file or it cannot be read
     */
    public static Dataset<Row> readRows(SparkSession spark, String path) throws DataException {
        return RowSources.frame(spark, path);
    }

    /**
     * Whether a failure raised in a task is the user's to fix (a row that cannot be predicted, a
     * model class the executors cannot find), told in words fit to show as they are.
     */
    public static boolean isUserProblem(Throwable failure) {
        return failure instanceof PartitionScoring.BadRow || failure instanceof WorkerModels.MissingClass;
    }

    /**
     * The same, with the features standardized first ({@code (value - mean[k]) / std[k]}), as
     * they were for training, and the label in column {@code labelColumn} (-1 for the last).
     */
    static Dataset<Row> predict(Dataset<Row> rows, TrainableModel trained, int labelColumn, double[] mean,
                                double[] std, String source) throws DataException {
        ModelSignature s = trained.signature();
        ScoringLayout layout = ScoringLayout.of(s, rows.schema(), labelColumn, source);
        PartitionScoring job = new PartitionScoring(trained.getClass().getName(), layout, rows.schema(),
                ModelClasses.params(trained), mean, std);
        org.apache.spark.sql.classic.Dataset<Row> classic = Internal.classic(rows);
        JavaRDD<InternalRow> scored = Internal.rows(classic).mapPartitions(job::run);
        return classic.sparkSession().internalCreateDataFrame(scored.rdd(), layout.schema, false);
    }
}
