package dev.modelc.spark;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.data.DataException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Which columns of a DataFrame feed the inputs a model's outputs read, and the columns the
 * outputs become. The columns are either exactly those inputs' values, in order, or the rows a
 * model trains on (features and label, as {@link InputLayout} has them), whose label is then
 * passed over. Each output with one value per row becomes a column named as the output: a number
 * for a single value, an array for several.
 */
final class ScoringLayout implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Per predict input: the DataFrame columns that feed it, in the order of its elements. */
    final int[][] columnsOf;
    /** Per predict input: its element kind. */
    final InputLayout.Kind[] kinds;
    /** Per output: values per row. */
    final int[] outputWidths;
    final boolean[] integerOutputs;
    /** Per output: whether it has several values per row, and so becomes an array column. */
    final boolean[] arrayOutputs;
    final boolean f32;
    final StructType schema;

    private ScoringLayout(int[][] columnsOf, InputLayout.Kind[] kinds, int[] outputWidths, boolean[] integerOutputs,
                          boolean[] arrayOutputs, boolean f32, StructType schema) {
        this.columnsOf = columnsOf;
        this.kinds = kinds;
        this.outputWidths = outputWidths;
        this.integerOutputs = integerOutputs;
        this.arrayOutputs = arrayOutputs;
        this.f32 = f32;
        this.schema = schema;
    }

    static ScoringLayout of(ModelSignature s, StructType columns, int labelColumn, String source)
            throws DataException {
        if (s.outputs().isEmpty()) {
            throw new DataException(source, 0, "model " + s.name() + " declares no output, so it has nothing to "
                    + "predict; declare one with a line such as `output probs = softmax(logits)`");
        }
        StructField[] fields = columns.fields();
        for (StructField field : fields) {
            if (!(field.dataType() instanceof NumericType)) {
                throw new DataException(source, 0, "column `" + field.name() + "` holds "
                        + field.dataType().simpleString() + " values; the model's inputs take numbers");
            }
        }
        List<ModelSignature.Input> wanted = s.predictInputs();
        int[][] columnsOf = fields.length == widths(wanted) ? consecutive(wanted)
                : fromTrainingLayout(s, wanted, fields.length, labelColumn, source);
        boolean f32 = s.dtype().equals("f32");
        InputLayout.Kind[] kinds = new InputLayout.Kind[wanted.size()];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = wanted.get(i).integer() ? InputLayout.Kind.INT : f32 ? InputLayout.Kind.FLOAT
                    : InputLayout.Kind.DOUBLE;
        }
        int n = s.outputs().size();
        int[] widths = new int[n];
        boolean[] integers = new boolean[n];
        boolean[] arrays = new boolean[n];
        StructType schema = columns;
        for (int o = 0; o < n; o++) {
            ModelSignature.Output output = s.outputs().get(o);
            if (!output.perRow()) {
                throw new DataException(source, 0, "output " + output.name() + " has no value per row (its shape is "
                        + output.shape() + "); only outputs with one value or more per row become columns");
            }
            if (columns.getFieldIndex(output.name()).isDefined()) {
                throw new DataException(source, 0, "the rows have a column `" + output.name() + "` already, which "
                        + "the model's output of that name would replace; rename the column");
            }
            widths[o] = output.rowSize();
            integers[o] = output.integer();
            DataType element = output.integer() ? DataTypes.IntegerType : f32 ? DataTypes.FloatType
                    : DataTypes.DoubleType;
            arrays[o] = output.shape().size() > 1;
            schema = schema.add(output.name(), arrays[o] ? ArrayType.apply(element, false) : element, false);
        }
        return new ScoringLayout(columnsOf, kinds, widths, integers, arrays, f32, schema);
    }

    private static int widths(List<ModelSignature.Input> inputs) {
        return inputs.stream().mapToInt(ModelSignature.Input::rowSize).sum();
    }

    private static int[][] consecutive(List<ModelSignature.Input> inputs) {
        int[][] columnsOf = new int[inputs.size()][];
        int next = 0;
        for (int i = 0; i < columnsOf.length; i++) {
            columnsOf[i] = new int[inputs.get(i).rowSize()];
            for (int k = 0; k < columnsOf[i].length; k++) {
                columnsOf[i][k] = next++;
            }
        }
        return columnsOf;
    }

    private static int[][] fromTrainingLayout(ModelSignature s, List<ModelSignature.Input> wanted, int columns,
                                              int labelColumn, String source) throws DataException {
        if (columns != InputLayout.expectedColumns(s)) {
            throw new DataException(source, 0, "the rows have " + InputLayout.count(columns, "column") + "; the "
                    + "model's outputs read " + names(wanted) + " (" + InputLayout.count(widths(wanted), "value")
                    + " a row), and rows to train on have " + InputLayout.expectedColumns(s));
        }
        InputLayout training = InputLayout.of(s, columns, labelColumn, false, source);
        int[][] columnsOf = new int[wanted.size()][];
        for (int i = 0; i < wanted.size(); i++) {
            columnsOf[i] = training.columnsOf[s.inputs().indexOf(wanted.get(i))];
        }
        return columnsOf;
    }

    private static String names(List<ModelSignature.Input> inputs) {
        List<String> names = new ArrayList<>();
        inputs.forEach(i -> names.add(i.name()));
        return String.join(", ", names);
    }
}
