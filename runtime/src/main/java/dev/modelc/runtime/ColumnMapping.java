package dev.modelc.runtime;

import dev.modelc.runtime.data.DataException;
import dev.modelc.runtime.data.Table;
import java.util.List;
import java.util.stream.Collectors;

/** Decides which table columns feed which input, and says plainly when the table does not fit the model. */
final class ColumnMapping {
    private ColumnMapping() {
    }

    /** For each input, its columns in order. */
    static int[][] of(Table table, List<ModelSignature.Input> inputs, int labelColumn) throws DataException {
        if (inputs.isEmpty()) {
            throw new DataException(table.source(), 0, "the model has no inputs, so it takes no data");
        }
        if (inputs.size() > 2) {
            throw new DataException(table.source(), 0, "the model has " + inputs.size() + " inputs (" + names(inputs)
                    + "); a CSV file feeds one input (every column) or two (the features, then a label)");
        }
        return inputs.size() == 1 ? allColumns(table, inputs.get(0)) : featuresAndLabel(table, inputs, labelColumn);
    }

    private static int[][] allColumns(Table table, ModelSignature.Input input) throws DataException {
        if (input.rowSize() != table.columns()) {
            throw new DataException(table.source(), 0, "input " + input.name() + " takes " + values(input)
                    + " per row, but the rows have " + columns(table.columns()));
        }
        int[] all = new int[table.columns()];
        for (int c = 0; c < all.length; c++) {
            all[c] = c;
        }
        return new int[][] {all};
    }

    private static int[][] featuresAndLabel(Table table, List<ModelSignature.Input> inputs, int labelColumn)
            throws DataException {
        ModelSignature.Input features = inputs.get(0);
        ModelSignature.Input label = inputs.get(1);
        int labelAt = labelColumn == -1 ? table.columns() - 1 : labelColumn;
        if (labelAt >= table.columns()) {
            throw new DataException(table.source(), 0, "the label is column " + labelColumn + " (counting from 0), "
                    + "but the rows have " + columns(table.columns()));
        }
        if (label.rowSize() != 1) {
            throw new DataException(table.source(), 0, "the label column feeds input " + label.name()
                    + ", which takes " + values(label) + " per row; a label is one column");
        }
        if (features.rowSize() != table.columns() - 1) {
            throw new DataException(table.source(), 0, "input " + features.name() + " takes " + values(features)
                    + " per row, but the rows have " + columns(table.columns()) + ": " + (table.columns() - 1)
                    + " besides the label (" + Table.cellName(labelAt) + ", feeding input " + label.name() + ")");
        }
        int[] featureColumns = new int[table.columns() - 1];
        int next = 0;
        for (int c = 0; c < table.columns(); c++) {
            if (c != labelAt) {
                featureColumns[next++] = c;
            }
        }
        return new int[][] {featureColumns, {labelAt}};
    }

    private static String values(ModelSignature.Input input) {
        return input.rowSize() + (input.rowSize() == 1 ? " value" : " values");
    }

    private static String columns(int count) {
        return count + (count == 1 ? " column" : " columns");
    }

    private static String names(List<ModelSignature.Input> inputs) {
        return inputs.stream().map(ModelSignature.Input::name).collect(Collectors.joining(", "));
    }
}
