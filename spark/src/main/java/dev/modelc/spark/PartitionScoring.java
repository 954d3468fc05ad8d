package dev.modelc.spark;

import dev.modelc.runtime.Predictor;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.data.Table;
import java.io.Serializable;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.SpecificInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.Platform;

/**
 * What an executor runs to score one partition: one predictor for the partition, made from the
 * trained parameters, and arrays for a chunk of rows, made once; rows are gathered into them a
 * chunk at a time, predicted together, and given back with the outputs appended. Rows stay in
 * Spark's internal form throughout: nothing is decoded into objects.
 */
final class PartitionScoring implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Rows predicted at once. */
    static final int CHUNK = 1024;

    private final String className;
    private final ScoringLayout layout;
    private final ColumnReader columns;
    private final double[] params;
    /** What standardizing subtracts from and divides the first input's values by, or null. */
    private final double[] mean;
    private final double[] std;

    PartitionScoring(String className, ScoringLayout layout, StructType input, double[] params, double[] mean,
                     double[] std) {
        this.className = className;
        this.layout = layout;
        this.columns = new ColumnReader(input);
        this.params = params;
        this.mean = mean;
        this.std = std;
    }

    Iterator<InternalRow> run(Iterator<InternalRow> rows) {
        TrainableModel model = ModelClasses.create(WorkerModels.load(className), 0, CHUNK);
        WorkerModels.setParams(model, params);
        return new Chunks(model.predictor(), rows);
    }

    /** Rows out of a partition, a chunk predicted at a time; each row given out is read before the next is asked for. */
    private final class Chunks implements Iterator<InternalRow> {
        private final Predictor predictor;
        private final Iterator<InternalRow> rows;
        private final InternalRow[] pending = new InternalRow[CHUNK];
        private final Object[] inputs;
        private final Object[] outputs;
        private final SpecificInternalRow outputRow;
        private final JoinedRow joined = new JoinedRow();
        private int count;
        private int next;

        Chunks(Predictor predictor, Iterator<InternalRow> rows) {
            this.predictor = predictor;
            this.rows = rows;
            this.inputs = new Object[layout.columnsOf.length];
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = array(layout.kinds[i], CHUNK * layout.columnsOf[i].length);
            }
            this.outputs = new Object[layout.outputWidths.length];
            for (int o = 0; o < outputs.length; o++) {
                outputs[o] = array(outputKind(o), CHUNK * layout.outputWidths[o]);
            }
            StructField[] fields = layout.schema.fields();
            StructType outputTypes = new StructType(java.util.Arrays.copyOfRange(fields, fields.length - outputs.length,
                    fields.length));
            this.outputRow = new SpecificInternalRow(outputTypes);
        }

        @Override
        public boolean hasNext() {
            if (next == count) {
                fill();
            }
            return next < count;
        }

        @Override
        public InternalRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            for (int o = 0; o < outputs.length; o++) {
                setOutput(o, next);
            }
            InternalRow row = pending[next];
            pending[next++] = null;
            return joined.apply(row, outputRow);
        }

        private void fill() {
            count = 0;
            next = 0;
            while (count < CHUNK && rows.hasNext()) {
                // Rows come from a buffer the scan reuses; the chunk keeps copies until its outputs are known.
                InternalRow row = rows.next().copy();
                for (int i = 0; i < inputs.length; i++) {
                    gather(row, i, count);
                }
                pending[count++] = row;
            }
            if (count > 0) {
                predictor.predict(inputs, count, outputs);
            }
        }

        private void gather(InternalRow row, int input, int at) {
            int[] from = layout.columnsOf[input];
            int base = at * from.length;
            for (int k = 0; k < from.length; k++) {
                if (row.isNullAt(from[k])) {
                    throw new BadRow(Table.cellName(from[k]) + " (column `" + columns.name(from[k])
                            + "`) is empty (null) in a row to predict");
                }
                double v = columns.get(row, from[k]);
                if (mean != null && input == 0) {
                    v = (v - mean[k]) / std[k];
                }
                switch (layout.kinds[input]) {
                    case DOUBLE -> ((double[]) inputs[input])[base + k] = v;
                    case FLOAT -> ((float[]) inputs[input])[base + k] = (float) v;
                    case INT -> ((int[]) inputs[input])[base + k] = whole(v, from[k]);
                }
            }
        }

        private void setOutput(int o, int at) {
            int width = layout.outputWidths[o];
            Object array = outputs[o];
            if (!layout.arrayOutputs[o]) {
                if (array instanceof double[] d) {
                    outputRow.setDouble(o, d[at]);
                } else if (array instanceof float[] f) {
                    outputRow.setFloat(o, f[at]);
                } else {
                    outputRow.setInt(o, ((int[]) array)[at]);
                }
                return;
            }
            long offset = (long) at * width;
            UnsafeArrayData values = array instanceof double[]
                    ? UnsafeArrayData.fromPrimitiveArray(array, (int) (Platform.DOUBLE_ARRAY_OFFSET + offset * 8), width, 8)
                    : array instanceof float[]
                    ? UnsafeArrayData.fromPrimitiveArray(array, (int) (Platform.FLOAT_ARRAY_OFFSET + offset * 4), width, 4)
                    : UnsafeArrayData.fromPrimitiveArray(array, (int) (Platform.INT_ARRAY_OFFSET + offset * 4), width, 4);
            outputRow.update(o, values);
        }
    }

    private InputLayout.Kind outputKind(int o) {
        return layout.integerOutputs[o] ? InputLayout.Kind.INT : layout.f32 ? InputLayout.Kind.FLOAT
                : InputLayout.Kind.DOUBLE;
    }

    private int whole(double v, int column) {
        if (v != Math.rint(v) || v < 0 || v > Integer.MAX_VALUE) {
            throw new BadRow(Table.cellName(column) + " (column `" + columns.name(column) + "`) is " + v
                    + ", but it feeds an input that takes whole numbers from 0");
        }
        return (int) v;
    }

    private static Object array(InputLayout.Kind kind, int length) {
        return switch (kind) {
            case DOUBLE -> new double[length];
            case FLOAT -> new float[length];
            case INT -> new int[length];
        };
    }

    /** A row that cannot be predicted, told in words the user can act on. */
    static final class BadRow extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRow(String message) {
            super(message);
        }
    }
}
