package dev.modelc.spark;

import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The embedded session the tests share: starting Spark takes seconds, so one session on two
 * threads serves every test class of the run, and Spark stops it when the JVM exits.
 */
final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSessions.start("local[2]", "modelc-spark tests", List.of());
        }
        return session;
    }
}
