package dev.modelc.spark;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.data.DataException;
import dev.modelc.runtime.data.Table;
import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which columns of the rows feed which input of a model, as for a CSV file on one machine: with
 * one input every column feeds it; with two, the label column feeds the second and the other
 * columns, in order, the first. Also how each input's values are kept in memory: integer labels
 * as {@code int}, the rest in the model's precision, except features that are standardized,
 * which are kept as read (in {@code double}) and standardized as a batch is gathered, exactly as
 * on one machine.
 */
final class InputLayout implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How an input's values are kept. */
    enum Kind {
        DOUBLE, FLOAT, INT
    }

    final int columns;
    final int[][] columnsOf;
    final Kind[] kinds;
    final String[] names;
    /** Per input, the largest whole number it takes (a class count minus one), for integer inputs. */
    final long[] largest;
    final boolean standardize;
    /** Whether the model computes in f32: what a gathered batch is made of. */
    final boolean f32;

    private InputLayout(int columns, int[][] columnsOf, List<ModelSignature.Input> inputs, boolean f32,
                        boolean standardize) {
        this.columns = columns;
        this.columnsOf = columnsOf;
        this.f32 = f32;
        this.standardize = standardize;
        int n = inputs.size();
        this.kinds = new Kind[n];
        this.names = new String[n];
        this.largest = new long[n];
        for (int i = 0; i < n; i++) {
            ModelSignature.Input input = inputs.get(i);
            names[i] = input.name();
            boolean standardized = standardize && i == 0;
            kinds[i] = input.integer() ? Kind.INT : f32 && !standardized ? Kind.FLOAT : Kind.DOUBLE;
            largest[i] = input.classes() > 0 ? input.classes() - 1L : Integer.MAX_VALUE;
        }
    }

    /**
     * The layout for rows of {@code columns} columns.
     *
     * @param labelColumn the label's column from 0, or -1 for the last; unused with one input
     * @throws DataException when the rows do not fit the model's inputs, saying how
     */
    static InputLayout of(ModelSignature signature, int columns, int labelColumn, boolean standardize,
                          String source) throws DataException {
        List<ModelSignature.Input> inputs = signature.inputs();
        if (inputs.isEmpty()) {
            throw new DataException(source, 0, "the model has no inputs, so it takes no data");
        }
        ModelSignature.Data declared = signature.train() == null ? null : signature.train().data();
        if (declared != null && declared.mapped()) {
            throw new DataException(source, 0, "the train block maps columns to each input, which Spark does not "
                    + "read yet; train this model on one machine");
        }
        if (inputs.size() > 2) {
            throw new DataException(source, 0, "the model has " + inputs.size() + " inputs (" + names(inputs)
                    + "); rows feed one input (every column) or two (the features, then a label)");
        }
        int[][] columnsOf = inputs.size() == 1 ? allColumns(inputs.get(0), columns, source)
                : featuresAndLabel(inputs, columns, labelColumn, source);
        boolean standardized = standardize && !inputs.get(0).integer();
        return new InputLayout(columns, columnsOf, inputs, signature.dtype().equals("f32"), standardized);
    }

    /** The columns a model's rows have: what its inputs take, and a label column for a second input. */
    static int expectedColumns(ModelSignature signature) {
        List<ModelSignature.Input> inputs = signature.inputs();
        return inputs.isEmpty() ? 0 : inputs.get(0).rowSize() + (inputs.size() > 1 ? 1 : 0);
    }

    int inputs() {
        return kinds.length;
    }

    /** Values per row of input {@code i}. */
    int width(int i) {
        return columnsOf[i].length;
    }

    private static int[][] allColumns(ModelSignature.Input input, int columns, String source)
            throws DataException {
        if (input.rowSize() != columns) {
            throw new DataException(source, 0, "input " + input.name() + " takes " + values(input)
                    + " per row, but the rows have " + count(columns, "column"));
        }
        int[] all = new int[columns];
        for (int c = 0; c < columns; c++) {
            all[c] = c;
        }
        return new int[][] {all};
    }

    private static int[][] featuresAndLabel(List<ModelSignature.Input> inputs, int columns, int labelColumn,
                                            String source) throws DataException {
        ModelSignature.Input features = inputs.get(0);
        ModelSignature.Input label = inputs.get(1);
        int labelAt = labelColumn == -1 ? columns - 1 : labelColumn;
        if (labelAt >= columns) {
            throw new DataException(source, 0, "the label is column " + labelColumn + " (counting from 0), "
                    + "but the rows have " + count(columns, "column"));
        }
        if (label.rowSize() != 1) {
            throw new DataException(source, 0, "the label column feeds input " + label.name() + ", which takes "
                    + values(label) + " per row; a label is one column");
        }
        if (features.rowSize() != columns - 1) {
            throw new DataException(source, 0, "input " + features.name() + " takes " + values(features)
                    + " per row, but the rows have " + count(columns, "column") + ": " + (columns - 1)
                    + " besides the label (" + Table.cellName(labelAt) + ", feeding input " + label.name() + ")");
        }
        int[] featureColumns = new int[columns - 1];
        int next = 0;
        for (int c = 0; c < columns; c++) {
            if (c != labelAt) {
                featureColumns[next++] = c;
            }
        }
        return new int[][] {featureColumns, {labelAt}};
    }

    private static String values(ModelSignature.Input input) {
        return count(input.rowSize(), "value");
    }

    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String names(List<ModelSignature.Input> inputs) {
        return inputs.stream().map(ModelSignature.Input::name).collect(Collectors.joining(", "));
    }
}
