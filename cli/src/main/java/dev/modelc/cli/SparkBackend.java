package dev.modelc.cli;

import dev.modelc.ModelCompiler;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.runtime.training.Training;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * {@code train} and {@code predict} on Apache Spark, for {@code --spark}. The Spark module
 * (modelc-spark) implements this; {@code ./modelc} puts it and Spark on the class path only when a
 * command is given {@code --spark}, so the command line without it neither carries nor starts
 * Spark. An implementation prints its output and returns the exit code; it throws
 * {@link UserError} for bad input, which the command line reports as any other (exit code 2).
 */
public interface SparkBackend {

    /**
     * A {@code train} run: the model compiled and the flags as parsed.
     *
     * @param master the Spark master, {@code local[*]} for a session inside this JVM
     * @param training the training the flags describe (data, settings, checkpoint, rate), for the
     *                 model's signature; a flag that does not fit it is a {@link UserError} here
     * @param checkpointPath the file given with --resume or --init, or null
     * @param resume whether that file is resumed from (--resume), rather than started from (--init)
     * @param learningRate --lr, or null
     * @param save --save, or null; {@code log} and {@code plot} likewise
     */
    record TrainRequest(String master, ModelCompiler.Result compiled, Function<ModelSignature, Training> training,
                        Path checkpointPath, boolean resume, Double learningRate, Path save, Path log, Path plot,
                        PrintStream out, PrintWriter err) {
    }

    /** A problem with the flags, the data or a checkpoint, already told in its message: exit code 2. */
    final class UserError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UserError(String message) {
            super(message);
        }
    }

    /**
     * A {@code predict} run: the model's outputs for every row of {@code data}, written to
     * {@code output} as Parquet, with the parameters of {@code checkpoint}; {@code modelFile}
     * locates the train block's data, for a model that standardizes its features.
     */
    record PredictRequest(String master, ModelCompiler.Result compiled, Path modelFile, Checkpoint checkpoint,
                          Path checkpointPath, Path data, Path output, PrintStream out, PrintWriter err) {
    }

    int train(TrainRequest request);

    int predict(PredictRequest request);

    /** The implementation on the class path; a user error when there is none. */
    static SparkBackend load() {
        return ServiceLoader.load(SparkBackend.class).findFirst().orElseThrow(() -> new Failures.UserError(
                "--spark needs modelc's Spark module and Apache Spark on the class path; ./modelc puts them there "
                        + "when a command is given --spark"));
    }
}
