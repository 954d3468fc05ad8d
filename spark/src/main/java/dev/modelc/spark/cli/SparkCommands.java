package dev.modelc.spark.cli;

import dev.modelc.cli.SparkBackend;
import dev.modelc.runtime.data.DataException;
import dev.modelc.spark.ModelJar;
import dev.modelc.spark.SparkSessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * {@code modelc train --spark} and {@code modelc predict --spark}: the command line's runs on a
 * Spark session, found by the command line through {@link java.util.ServiceLoader}. The generated
 * class is compiled into a jar that the session ships to its executors; a cluster's executors
 * get modelc's runtime and Spark module in jars too.
 */
public final class SparkCommands implements SparkBackend {
    @Override
    public int train(TrainRequest request) {
        return withSession(request.master(), request.compiled().className(), request.compiled().javaSource(),
                (spark, jar) -> new SparkTrainRun(request, spark, jar).run());
    }

    @Override
    public int predict(PredictRequest request) {
        return withSession(request.master(), request.compiled().className(), request.compiled().javaSource(),
                (spark, jar) -> new SparkPredictRun(request, spark, jar).run());
    }

    /** What runs with the session and the model's jar; returns the exit code. */
    @FunctionalInterface
    interface Run {
        int run(SparkSession spark, ModelJar jar) throws DataException, IOException;
    }

    private static int withSession(String master, String className, String javaSource, Run run) {
        quietLogging();
        Path work = null;
        // A session that runs already (the command line called from a Spark application) is used and left
        // running; it may fetch the model's jar again later, so the jar stays until the JVM exits.
        boolean running = SparkSession.getDefaultSession().isDefined();
        try {
            work = Files.createTempDirectory("modelc-spark");
            ModelJar jar = ModelJar.compile(className, javaSource, work);
            List<Path> jars = new ArrayList<>(List.of(jar.jar()));
            if (!SparkSessions.isLocal(master)) {
                jars.addAll(ModelJar.modelcJars(work));
            }
            SparkSession spark = SparkSessions.start(master, "modelc " + className, jars);
            try {
                return run.run(spark, jar);
            } finally {
                if (!running) {
                    spark.stop();
                }
            }
        } catch (DataException e) {
            throw new UserError(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            // Failures in Spark's tasks, which may be its checked SparkException, thrown undeclared.
            throw TaskFailures.explained(e);
        } finally {
            if (running) {
                deleteAtExit(work);
            } else {
                delete(work);
            }
        }
    }

    private static void deleteAtExit(Path folder) {
        if (folder != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(folder)));
        }
    }

    /** Spark's own lines go to standard error and only for errors, unless its logging is set up already. */
    private static void quietLogging() {
        if (System.getProperty("log4j2.configurationFile") == null && System.getProperty("log4j.configurationFile")
                == null) {
            java.net.URL config = SparkCommands.class.getResource("/dev/modelc/spark/log4j2-command-line.properties");
            System.setProperty("log4j2.configurationFile", config.toString());
        }
    }

    private static void delete(Path folder) {
        if (folder == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary folder left behind is not worth failing a finished run for.
        }
    }
}
