package dev.modelc.spark;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * Makes the Spark sessions modelc trains and scores on: an embedded {@code local[*]} session
 * inside this JVM when no master is given, nothing to install or start; or a session on a
 * cluster's master ({@code spark://host:7077}), to which the jars holding the generated model
 * classes are shipped.
 */
public final class SparkSessions {
    /** The master of an embedded session on every core of this machine. */
    public static final String LOCAL = "local[*]";

    private SparkSessions() {
    }

    /**
     * A session on {@code master}, or the session this JVM already has (with the jars added). A
     * local master binds to the loopback address and runs without the web UI, so that nothing is
     * exposed on the network.
     *
     * @param jars jars the executors load classes from (the generated models), beside their own
     */
    public static SparkSession start(String master, String appName, List<Path> jars) {
        SparkSession.Builder builder = SparkSession.builder().master(master).appName(appName)
                // Jars added while the session runs (a model compiled after it started) reach the
                // executors' tasks of DataFrames too, not only those of plain RDDs.
                .config("spark.sql.artifact.isolation.enabled", "false");
        if (isLocal(master)) {
            builder.config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1");
        }
        List<String> uris = jars.stream().map(p -> p.toAbsolutePath().toUri().toString()).toList();
        if (!uris.isEmpty()) {
            builder.config("spark.jars", String.join(",", uris));
        }
        SparkSession session = builder.getOrCreate();
        // A session that was running already took none of the settings: its executors get the jars now.
        uris.forEach(session.sparkContext()::addJar);
        return session;
    }

    /** Whether {@code master} runs inside this JVM: {@code local}, {@code local[N]}, {@code local[*]}. */
    public static boolean isLocal(String master) {
        return master.equals("local") || master.startsWith("local[");
    }
}
