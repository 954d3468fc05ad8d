package dev.modelc.spark;

import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The embedded session the tests share: starting Spark takes seconds, so one session on two
 * threads serves every test class of the run. A JVM holds one session at a time: a test that
 * needs another (on a cluster) stops this one first, and the next test to ask starts it again.
 */
final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null || session.sparkContext().isStopped()) {
            session = SparkSessions.start("local[2]", "modelc-spark tests", List.of());
        }
        return session;
    }

    static synchronized void stop() {
        if (session != null) {
            session.stop();
            session = null;
        }
    }
}
