package dev.modelc.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Spark's rows in their internal form: reading and scoring go through them rather than through
 * {@link Row} objects, which would decode every value of every row into an object. They are
 * Spark's developer API, of the classic (not the Connect) implementation that a session in this
 * JVM is.
 */
final class Internal {
    private Internal() {
    }

    static org.apache.spark.sql.classic.Dataset<Row> classic(Dataset<Row> rows) {
        if (rows instanceof org.apache.spark.sql.classic.Dataset<Row> classic) {
            return classic;
        }
        throw new IllegalArgumentException("the rows belong to a Spark Connect session; modelc runs in the "
                + "Spark application itself (a classic session)");
    }

    /** The rows of a DataFrame as Spark computes them; a row is valid until the next is asked for. */
    static JavaRDD<InternalRow> rows(Dataset<Row> rows) {
        return classic(rows).queryExecution().toRdd().toJavaRDD();
    }
}
