package dev.modelc.cli;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Preprocessing;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.data.CsvRows;
import dev.modelc.runtime.data.DataException;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw CSV rows in, prediction rows out, a batch at a time: each row read as training read its
 * own, the batch predicted into arrays made once, each output element a column.
 */
final class RowPredictions {
    private final ModelSignature signature;
    private final Preprocessing preprocessing;
    private final List<ModelSignature.Input> inputs;
    private final int argmaxOutput;
    /** When each input read its own columns: the new file's columns of each predict input, found at the first row. */
    private int[][] fileColumns;
    private int[][] trainedColumns;

    RowPredictions(ModelSignature signature, Preprocessing preprocessing) {
        this.signature = signature;
        this.preprocessing = preprocessing;
        this.inputs = signature.predictInputs();
        this.argmaxOutput = overClasses(signature, preprocessing.classes());
    }

    Preprocessing preprocessing() {
        return preprocessing;
    }

    /** The first output with one real value per class, whose argmax is a column of its own; -1 for none. */
    static int overClasses(ModelSignature signature, int classes) {
        List<ModelSignature.Output> outputs = signature.outputs();
        for (int o = 0; o < outputs.size(); o++) {
            ModelSignature.Output output = outputs.get(o);
            if (classes >= 2 && !output.integer() && output.shape().size() == 2 && output.rowSize() == classes) {
                return o;
            }
        }
        return -1;
    }

    /** The header: {@code probs[0],...,probs[9],argmax}; an output of one value per row is one column, its name. */
    String header() {
        List<String> columns = new ArrayList<>();
        for (ModelSignature.Output output : signature.outputs()) {
            if (output.shape().size() == 1) {
                columns.add(output.name());
            } else {
                for (int k = 0; k < output.rowSize(); k++) {
                    columns.add(output.name() + "[" + k + "]");
                }
            }
        }
        if (argmaxOutput >= 0) {
            columns.add("argmax");
        }
        return String.join(",", columns);
    }

    /** Predicts every row of {@code in} and writes header and rows to {@code out}; returns the rows predicted. */
    long run(CsvRows in, TrainableModel model, Writer out, PredictCommand.Progress progress)
            throws DataException, IOException {
        int capacity = model.batchCapacity();
        Object[] inputArrays = new Object[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            inputArrays[i] = array(inputs.get(i).integer(), inputs.get(i).rowSize() * capacity);
        }
        Object[] outputArrays = new Object[signature.outputs().size()];
        for (int o = 0; o < outputArrays.length; o++) {
            ModelSignature.Output output = signature.outputs().get(o);
            outputArrays[o] = array(output.integer(), output.rowSize() * capacity);
        }
        out.write(header());
        out.write('\n');
        StringBuilder line = new StringBuilder();
        long done = 0;
        int filled = 0;
        while (in.next()) {
            fill(in, inputArrays, filled++);
            if (filled == capacity) {
                model.predict(inputArrays, filled, outputArrays);
                write(out, outputArrays, filled, line);
                done += filled;
                filled = 0;
                progress.rows(done);
            }
        }
        if (filled > 0) {
            model.predict(inputArrays, filled, outputArrays);
            write(out, outputArrays, filled, line);
            done += filled;
        }
        return done;
    }

    private Object array(boolean integer, int length) {
        if (integer) {
            return new int[length];
        }
        return signature.dtype().equals("f32") ? new float[length] : new double[length];
    }

    /** Row {@code r} of the batch, from the row {@code in} holds. */
    private void fill(CsvRows in, Object[] arrays, int r) throws DataException {
        double[] cells = in.row();
        if (preprocessing.mapped()) {
            fillMapped(in, arrays, r, cells);
            return;
        }
        boolean labelled;
        try {
            labelled = preprocessing.withLabel(cells.length);
        } catch (IllegalArgumentException e) {
            throw new DataException(in.source(), in.line(), e.getMessage());
        }
        for (int i = 0; i < inputs.size(); i++) {
            ModelSignature.Input input = inputs.get(i);
            boolean isLabel = signature.inputs().size() > 1 && input.equals(signature.inputs().get(1));
            if (isLabel && !labelled) {
                throw new DataException(in.source(), in.line(), "the row has no label cell, but the model's outputs "
                        + "read its label input " + input.name());
            }
            int width = input.rowSize();
            if (isLabel) {
                setCell(in, arrays[i], r, cells[preprocessing.labelColumn()], input);
            } else if (arrays[i] instanceof double[] values) {
                preprocessing.features(cells, values, r * width);
            } else if (arrays[i] instanceof float[] values) {
                preprocessing.features(cells, values, r * width);
            } else {
                for (int k = 0; k < width; k++) {
                    setCell(in, arrays[i], r * width + k, preprocessing.feature(cells, k), input);
                }
            }
        }
    }

    /** Each input from the columns that fed it in training, found by name in a file with a header. */
    private void fillMapped(CsvRows in, Object[] arrays, int r, double[] cells) throws DataException {
        if (fileColumns == null) {
            fileColumns = new int[inputs.size()][];
            trainedColumns = new int[inputs.size()][];
            for (int i = 0; i < inputs.size(); i++) {
                String name = inputs.get(i).name();
                fileColumns[i] = preprocessing.columnsIn(in.source(), in.header(), in.line(), cells.length, name);
                trainedColumns[i] = preprocessing.feed(name);
            }
        }
        for (int i = 0; i < inputs.size(); i++) {
            int width = inputs.get(i).rowSize();
            for (int k = 0; k < width; k++) {
                int trained = trainedColumns[i][k];
                double value = (cells[fileColumns[i][k]] - preprocessing.mean(trained)) / preprocessing.std(trained);
                setCell(in, arrays[i], r * width + k, value, inputs.get(i));
            }
        }
    }

    private static void setCell(CsvRows in, Object array, int index, double value, ModelSignature.Input input)
            throws DataException {
        if (array instanceof int[] values) {
            long max = input.classes() > 0 ? input.classes() - 1L : Integer.MAX_VALUE;
            if (value != Math.rint(value) || value < 0 || value > max) {
                throw new DataException(in.source(), in.line(), "a cell is " + value + ", but input " + input.name()
                        + " takes whole numbers from 0 to " + max);
            }
            values[index] = (int) value;
        } else if (array instanceof double[] values) {
            values[index] = value;
        } else {
            ((float[]) array)[index] = (float) value;
        }
    }

    private void write(Writer out, Object[] outputs, int rows, StringBuilder line) throws IOException {
        List<ModelSignature.Output> declared = signature.outputs();
        for (int r = 0; r < rows; r++) {
            line.setLength(0);
            for (int o = 0; o < outputs.length; o++) {
                int width = declared.get(o).rowSize();
                for (int k = 0; k < width; k++) {
                    line.append(line.length() == 0 ? "" : ",");
                    append(line, outputs[o], r * width + k);
                }
            }
            if (argmaxOutput >= 0) {
                line.append(',').append(argmax(outputs[argmaxOutput], r, declared.get(argmaxOutput).rowSize()));
            }
            line.append('\n');
            out.append(line);
        }
    }

    private static void append(StringBuilder line, Object array, int index) {
        if (array instanceof double[] values) {
            line.append(values[index]);
        } else if (array instanceof float[] values) {
            line.append(values[index]);
        } else {
            line.append(((int[]) array)[index]);
        }
    }

    /** The first element of row {@code r} with the highest value. */
    private static int argmax(Object array, int r, int width) {
        int best = 0;
        for (int k = 1; k < width; k++) {
            if (value(array, r * width + k) > value(array, r * width + best)) {
                best = k;
            }
        }
        return best;
    }

    private static double value(Object array, int index) {
        return array instanceof double[] values ? values[index] : ((float[]) array)[index];
    }
}
