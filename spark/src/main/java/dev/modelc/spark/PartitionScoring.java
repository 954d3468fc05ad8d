package dev.modelc.spark;

import dev.modelc.runtime.Predictor;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.data.Table;
import java.io.Serializable;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * What an executor runs to score one partition: one predictor for the partition, made from the
 * trained parameters, and arrays for a chunk of rows, made once; rows are gathered into them a
 * chunk at a time, predicted together, and given back with the outputs appended.
 */
final class PartitionScoring implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Rows predicted at once. */
    static final int CHUNK = 1024;

    private final String className;
    private final ScoringLayout layout;
    private final double[] params;
    /** What standardizing subtracts from and divides the first input's values by, or null. */
    private final double[] mean;
    private final double[] std;

    PartitionScoring(String className, ScoringLayout layout, double[] params, double[] mean, double[] std) {
        this.className = className;
        this.layout = layout;
        this.params = params;
        this.mean = mean;
        this.std = std;
    }

    Iterator<Row> run(Iterator<Row> rows) {
        TrainableModel model = ModelClasses.create(WorkerModels.load(className), 0, CHUNK);
        WorkerModels.setParams(model, params);
        return new Chunks(model.predictor(), rows);
    }

    /** Rows out of a partition, a chunk predicted at a time. */
    private final class Chunks implements Iterator<Row> {
        private final Predictor predictor;
        private final Iterator<Row> rows;
        private final Row[] pending = new Row[CHUNK];
        private final Object[] inputs;
        private final Object[] outputs;
        private int count;
        private int next;

        Chunks(Predictor predictor, Iterator<Row> rows) {
            this.predictor = predictor;
            this.rows = rows;
            this.inputs = new Object[layout.columnsOf.length];
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = array(layout.kinds[i], CHUNK * layout.columnsOf[i].length);
            }
            this.outputs = new Object[layout.outputWidths.length];
            for (int o = 0; o < outputs.length; o++) {
                outputs[o] = array(layout.integerOutputs[o] ? InputLayout.Kind.INT
                        : layout.f32 ? InputLayout.Kind.FLOAT : InputLayout.Kind.DOUBLE,
                        CHUNK * layout.outputWidths[o]);
            }
        }

        @Override
        public boolean hasNext() {
            if (next == count) {
                fill();
            }
            return next < count;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row row = pending[next];
            pending[next] = null;
            return withOutputs(row, next++);
        }

        private void fill() {
            count = 0;
            next = 0;
            while (count < CHUNK && rows.hasNext()) {
                Row row = rows.next();
                for (int i = 0; i < inputs.length; i++) {
                    gather(row, i, count);
                }
                pending[count++] = row;
            }
            if (count > 0) {
                predictor.predict(inputs, count, outputs);
            }
        }

        private void gather(Row row, int input, int at) {
            int[] columns = layout.columnsOf[input];
            int base = at * columns.length;
            for (int k = 0; k < columns.length; k++) {
                if (row.isNullAt(columns[k])) {
                    throw new BadRow(Table.cellName(columns[k]) + " (column `" + row.schema().fields()[columns[k]]
                            .name() + "`) is empty (null) in a row to predict");
                }
                double v = ((Number) row.get(columns[k])).doubleValue();
                if (mean != null && input == 0) {
                    v = (v - mean[k]) / std[k];
                }
                switch (layout.kinds[input]) {
                    case DOUBLE -> ((double[]) inputs[input])[base + k] = v;
                    case FLOAT -> ((float[]) inputs[input])[base + k] = (float) v;
                    case INT -> ((int[]) inputs[input])[base + k] = whole(v, row, columns[k]);
                }
            }
        }

        private Row withOutputs(Row row, int at) {
            Object[] values = new Object[row.length() + outputs.length];
            for (int c = 0; c < row.length(); c++) {
                values[c] = row.get(c);
            }
            for (int o = 0; o < outputs.length; o++) {
                values[row.length() + o] = value(o, at);
            }
            return RowFactory.create(values);
        }

        private Object value(int output, int at) {
            int width = layout.outputWidths[output];
            Object array = outputs[output];
            boolean single = layout.schema.fields()[layout.schema.size() - outputs.length + output].dataType()
                    instanceof org.apache.spark.sql.types.NumericType;
            if (array instanceof double[] d) {
                return single ? (Object) d[at] : java.util.Arrays.copyOfRange(d, at * width, (at + 1) * width);
            }
            if (array instanceof float[] f) {
                return single ? (Object) f[at] : java.util.Arrays.copyOfRange(f, at * width, (at + 1) * width);
            }
            int[] i = (int[]) array;
            return single ? (Object) i[at] : java.util.Arrays.copyOfRange(i, at * width, (at + 1) * width);
        }
    }

    private static int whole(double v, Row row, int column) {
        if (v != Math.rint(v) || v < 0 || v > Integer.MAX_VALUE) {
            throw new BadRow(Table.cellName(column) + " (column `" + row.schema().fields()[column].name() + "`) is "
                    + v + ", but it feeds an input that takes whole numbers from 0");
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
