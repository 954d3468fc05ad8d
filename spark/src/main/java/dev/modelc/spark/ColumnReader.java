package dev.modelc.spark;

import java.io.Serializable;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads the numeric columns of Spark's internal rows as doubles, each by the getter of its own
 * type, so that scoring decodes nothing into objects row by row.
 */
final class ColumnReader implements Serializable {
    private static final long serialVersionUID = 1L;

    private enum Kind {
        DOUBLE, FLOAT, INT, LONG, SHORT, BYTE, DECIMAL
    }

    private final Kind[] kinds;
    private final int[] precision;
    private final int[] scale;
    private final String[] names;

    ColumnReader(StructType schema) {
        StructField[] fields = schema.fields();
        kinds = new Kind[fields.length];
        precision = new int[fields.length];
        scale = new int[fields.length];
        names = new String[fields.length];
        for (int c = 0; c < fields.length; c++) {
            DataType type = fields[c].dataType();
            names[c] = fields[c].name();
            kinds[c] = type instanceof DoubleType ? Kind.DOUBLE : type instanceof FloatType ? Kind.FLOAT
                    : type instanceof IntegerType ? Kind.INT : type instanceof LongType ? Kind.LONG
                    : type instanceof ShortType ? Kind.SHORT : type instanceof ByteType ? Kind.BYTE : Kind.DECIMAL;
            if (type instanceof DecimalType decimal) {
                precision[c] = decimal.precision();
                scale[c] = decimal.scale();
            }
        }
    }

    /** Column {@code c} of {@code row} as a double; its value must not be null. */
    double get(InternalRow row, int c) {
        return switch (kinds[c]) {
            case DOUBLE -> row.getDouble(c);
            case FLOAT -> row.getFloat(c);
            case INT -> row.getInt(c);
            case LONG -> row.getLong(c);
            case SHORT -> row.getShort(c);
            case BYTE -> row.getByte(c);
            case DECIMAL -> row.getDecimal(c, precision[c], scale[c]).toDouble();
        };
    }

    String name(int c) {
        return names[c];
    }
}
