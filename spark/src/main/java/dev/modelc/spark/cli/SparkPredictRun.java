package dev.modelc.spark.cli;

import dev.modelc.cli.SparkBackend;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Preprocessing;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.checkpoint.CheckpointException;
import dev.modelc.runtime.data.DataException;
import dev.modelc.runtime.training.Training;
import dev.modelc.spark.ModelJar;
import dev.modelc.spark.ModelcSpark;
import dev.modelc.spark.TrainingRows;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code modelc predict F --init CKPT --spark [MASTER] --data ROWS -o OUT}: every row of a
 * Parquet or CSV source scored by the session's executors, the outputs written beside the rows'
 * own columns to Parquet (a folder, as Spark writes it). The folder appears whole or not at all:
 * Spark writes a hidden one beside it, renamed when the job has succeeded.
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
            request.checkpoint().load(model);
        } catch (CheckpointException e) {
            throw new SparkBackend.UserError(request.checkpointPath() + ": " + e.getMessage());
        }
        String source = request.data().toString();
        Dataset<Row> rows = ModelcSpark.readRows(spark, source);
        Path output = request.output().toAbsolutePath();
        Path partial = output.resolveSibling("." + output.getFileName() + ".partial");
        deleteTree(partial);
        try {
            write(s, model, rows, partial);
            moveIntoPlace(partial, output);
        } finally {
            deleteTree(partial);
        }
        request.out().println("predicted " + s.outputs().size() + (s.outputs().size() == 1 ? " output" : " outputs")
                + " of " + s.name() + " for the rows of " + source + " into " + request.output());
        return 0;
    }

    /**
     * Scores the rows into {@code folder}, read as training read its rows: as the checkpoint keeps
     * it, else (a checkpoint of an earlier modelc) standardized as the train block's data gives it.
     */
    private void write(ModelSignature s, TrainableModel model, Dataset<Row> rows, Path folder) throws DataException {
        ModelSignature.Data block = s.train() == null ? null : s.train().data();
        try {
            Preprocessing kept = keptPreprocessing();
            if (kept != null) {
                if (!isIdentity(kept)) {
                    request.out().println("standardizing the features as training did, with the mean and deviation "
                            + "the checkpoint keeps");
                }
                ModelcSpark.predict(rows, model, kept).write().parquet(folder.toString());
                return;
            }
            if (block == null || !block.standardize()) {
                ModelcSpark.predict(rows, model).write().parquet(folder.toString());
                return;
            }
            Training training = Training.of(s).modelFolder(request.modelFile().toAbsolutePath().getParent())
                    .seed(trainingSeed(s));
            Dataset<Row> scored;
            try (TrainingRows trained = TrainingRows.read(spark, s, training.dataPath().toString(), block,
                    training.seed())) {
                requireSameRows(trained.trainSize(), block.path());
                request.out().println("standardizing the features as training did, with the mean and deviation of "
                        + "the " + trained.trainSize() + " training rows of " + block.path() + " (seed "
                        + training.seed() + ")");
                scored = ModelcSpark.predict(rows, model, trained);
            }
            scored.write().parquet(folder.toString());
        } catch (DataException e) {
            throw e;
        } catch (Exception e) {
            // Spark throws its checked SparkException without declaring it.
            throw malformed(e);
        }
    }

    /** How training read its rows, as the checkpoint keeps it; null when it does not say. */
    private Preprocessing keptPreprocessing() {
        try {
            return request.checkpoint().preprocessing();
        } catch (CheckpointException e) {
            throw new SparkBackend.UserError(request.checkpointPath() + ": " + e.getMessage());
        }
    }

    /** Whether reading the rows so leaves the features as they are: nothing standardized. */
    private static boolean isIdentity(Preprocessing p) {
        for (int k = 0; k < p.features(); k++) {
            if (p.mean(k) != 0 || p.std(k) != 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * Refuses a checkpoint without preprocessing (saved by an earlier modelc) trained on other
     * rows than the train block's (say with --data): the mean and deviation it was trained with
     * are not the ones computed here.
     */
    private void requireSameRows(int trainRows, String blockPath) {
        int saved;
        try {
            saved = request.checkpoint().run().trainRows();
        } catch (CheckpointException e) {
            return;
        }
        if (saved != trainRows) {
            throw new SparkBackend.UserError(request.checkpointPath() + ": was trained on " + saved + " rows, but the "
                    + "train block's data " + blockPath + " gives " + trainRows + "; the model standardizes its features "
                    + "with the mean and deviation of the rows it was trained on, which only those rows give");
        }
    }

    /** The seed that split the training rows: the checkpoint's, else the train block's. */
    private long trainingSeed(ModelSignature s) {
        try {
            return request.checkpoint().run().seed();
        } catch (CheckpointException e) {
            return Training.of(s).seed();
        }
    }

    /** A CSV cell that is not a number, found by Spark's reader in a task, is the user's to fix. */
    private RuntimeException malformed(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SparkThrowable t && t.getCondition() != null
                    && t.getCondition().startsWith("MALFORMED_RECORD")) {
                String message = String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
                return new SparkBackend.UserError(request.data() + ": a row holds a value that is not a number: "
                        + message);
            }
        }
        return TaskFailures.explained(e);
    }

    private static void moveIntoPlace(Path partial, Path output) throws IOException {
        try {
            Files.move(partial, output, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, output);
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (var files = Files.walk(folder)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
