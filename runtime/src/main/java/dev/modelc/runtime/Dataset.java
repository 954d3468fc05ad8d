package dev.modelc.runtime;

import dev.modelc.runtime.data.DataException;
import dev.modelc.runtime.data.Table;
import java.util.Arrays;
import java.util.List;

/**
 * A table matched to a model's inputs: which columns feed which input, a seeded split of the
 * rows into training and test rows, and optionally features standardized with the mean and
 * deviation of the training rows alone, so nothing about the test rows leaks into training.
 *
 * <p>With one input, every column feeds it. With two, the label column feeds the second
 * input and the other columns, in order, the first.
 */
public final class Dataset {
    private final Table table;
    private final List<ModelSignature.Input> inputs;
    private final int[][] columns;
    private final int[] trainRows;
    private final int[] testRows;
    private final double[] mean;
    private final double[] std;
    private final boolean mapped;

    private Dataset(Table table, List<ModelSignature.Input> inputs, int[][] columns, int[] trainRows,
                    int[] testRows, double[] mean, double[] std, boolean mapped) {
        this.mapped = mapped;
        this.table = table;
        this.inputs = inputs;
        this.columns = columns;
        this.trainRows = trainRows;
        this.testRows = testRows;
        this.mean = mean;
        this.std = std;
    }

    /** The table split as the model's data source says; {@code seed} decides the split. */
    public static Dataset of(Table table, List<ModelSignature.Input> inputs, ModelSignature.Data data, long seed)
            throws DataException {
        if (!data.mapped()) {
            return of(table, inputs, data.labelColumn(), data.testFraction(), data.standardize(), seed);
        }
        List<ModelSignature.Input> declared = List.copyOf(inputs);
        boolean[] standardized = new boolean[declared.size()];
        for (int i = 0; i < declared.size(); i++) {
            String name = declared.get(i).name();
            standardized[i] = data.standardize() && !declared.get(i).integer()
                    && data.feeds().stream().anyMatch(f -> f.input().equals(name) && f.standardize());
        }
        return split(table, declared, MappedColumns.of(table, declared, data.feeds()), standardized,
                data.testFraction(), seed, true);
    }

    /**
     * @param labelColumn the label's column from 0, or -1 for the last; unused with one input
     * @param testFraction the share of rows held out for testing, at least 0 and below 1
     */
    public static Dataset of(Table table, List<ModelSignature.Input> inputs, int labelColumn, double testFraction,
                             boolean standardize, long seed) throws DataException {
        if (labelColumn < -1) {
            throw new IllegalArgumentException("labelColumn must be -1 (last) or a column, got " + labelColumn);
        }
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be in [0, 1), got " + testFraction);
        }
        List<ModelSignature.Input> declared = List.copyOf(inputs);
        int[][] columns = ColumnMapping.of(table, declared, labelColumn);
        boolean[] standardized = new boolean[declared.size()];
        // Features only: a label, even a real-valued one, keeps its own units.
        standardized[0] = standardize && !declared.get(0).integer();
        return split(table, declared, columns, standardized, testFraction, seed, false);
    }

    private static Dataset split(Table table, List<ModelSignature.Input> declared, int[][] columns,
                                 boolean[] standardized, double testFraction, long seed, boolean mapped)
            throws DataException {
        for (int i = 0; i < declared.size(); i++) {
            if (declared.get(i).integer()) {
                checkWholeNumbers(table, declared.get(i), columns[i]);
            }
        }
        int[] order = split(table, testFraction, seed);
        int trainCount = trainCount(table, testFraction);
        int[] train = sorted(Arrays.copyOfRange(order, 0, trainCount));
        int[] test = sorted(Arrays.copyOfRange(order, trainCount, order.length));
        return standardized(table, declared, columns, standardized, train, test, mapped);
    }

    /**
     * The table's first rows train and its last {@code testRows} are held out, as when the test
     * rows come from files of their own; the label is the last column.
     */
    public static Dataset heldOutLast(Table table, List<ModelSignature.Input> inputs, int testRows,
                                      boolean standardize) throws DataException {
        if (testRows < 0 || testRows >= table.rows()) {
            throw new IllegalArgumentException("testRows must leave rows to train on: " + testRows + " of "
                    + table.rows());
        }
        List<ModelSignature.Input> declared = List.copyOf(inputs);
        int[][] columns = ColumnMapping.of(table, declared, -1);
        boolean[] standardized = new boolean[declared.size()];
        standardized[0] = standardize && !declared.get(0).integer();
        int[] all = new int[table.rows()];
        Arrays.setAll(all, r -> r);
        int trainCount = table.rows() - testRows;
        return standardized(table, declared, columns, standardized, Arrays.copyOfRange(all, 0, trainCount),
                Arrays.copyOfRange(all, trainCount, all.length), false);
    }

    private static Dataset standardized(Table table, List<ModelSignature.Input> declared, int[][] columns,
                                        boolean[] standardized, int[] train, int[] test, boolean mapped)
            throws DataException {
        double[] mean = new double[table.columns()];
        double[] std = new double[table.columns()];
        Arrays.fill(std, 1);
        for (int i = 0; i < declared.size(); i++) {
            for (int column : standardized[i] ? columns[i] : new int[0]) {
                standardize(table, train, column, mean, std);
                requireStandardizable(table, column, mean[column], std[column]);
            }
        }
        return new Dataset(table, declared, columns, train, test, mean, std, mapped);
    }

    public Table table() {
        return table;
    }

    public List<ModelSignature.Input> inputs() {
        return inputs;
    }

    /** Whether the data clause mapped columns to each input, rather than a label column and the rest. */
    public boolean mapped() {
        return mapped;
    }

    /**
     * Every row of the table, none held out, read as {@code preprocessing} says training read
     * its own: the same label column, and the features standardized with the training mean and
     * deviation, not the table's own.
     *
     * @throws DataException when the rows are not as wide as the training rows, or a label is not a class
     */
    public static Dataset of(Table table, List<ModelSignature.Input> inputs, Preprocessing preprocessing)
            throws DataException {
        if (preprocessing.mapped()) {
            return mappedAs(table, inputs, preprocessing);
        }
        if (table.columns() != preprocessing.columns()) {
            throw new DataException(table.source(), table.line(0), "row has " + table.columns() + " columns, but the "
                    + "model was trained on rows of " + preprocessing.columns());
        }
        Dataset all = of(table, inputs, preprocessing.labelColumn(), 0, false, 0);
        if (preprocessing.classes() > 0 && all.inputs.size() > 1 && all.inputs.get(1).integer()) {
            int label = all.columns[1][0];
            for (int row = 0; row < table.rows(); row++) {
                if (table.get(row, label) >= preprocessing.classes()) {
                    throw new DataException(table.source(), table.line(row), Table.cellName(label) + " is "
                            + number(table.get(row, label)) + ", but the model was trained on classes 0 to "
                            + (preprocessing.classes() - 1));
                }
            }
        }
        return all.standardizedAs(preprocessing);
    }

    /** Every row, each input fed by the columns it was trained on, found by name when training had a header. */
    private static Dataset mappedAs(Table table, List<ModelSignature.Input> inputs, Preprocessing preprocessing)
            throws DataException {
        List<ModelSignature.Input> declared = List.copyOf(inputs);
        int[][] columns = new int[declared.size()][];
        double[] mean = new double[table.columns()];
        double[] std = new double[table.columns()];
        Arrays.fill(std, 1);
        for (int i = 0; i < declared.size(); i++) {
            ModelSignature.Input input = declared.get(i);
            int[] trained = preprocessing.feed(input.name());
            columns[i] = preprocessing.columnsIn(table.source(), table.header(), table.line(0), table.columns(),
                    input.name());
            for (int k = 0; k < trained.length; k++) {
                mean[columns[i][k]] = preprocessing.mean(trained[k]);
                std[columns[i][k]] = preprocessing.std(trained[k]);
            }
            if (input.integer()) {
                checkWholeNumbers(table, input, columns[i]);
            }
        }
        int[] all = new int[table.rows()];
        Arrays.setAll(all, r -> r);
        return new Dataset(table, declared, columns, all, new int[0], mean, std, true);
    }

    /** The same rows and split, standardized with the mean and deviation of {@code preprocessing}. */
    public Dataset standardizedAs(Preprocessing preprocessing) {
        if (preprocessing.mapped()) {
            double[] storedMean = new double[table.columns()];
            double[] storedStd = new double[table.columns()];
            for (int c = 0; c < table.columns(); c++) {
                storedMean[c] = c < preprocessing.features() ? preprocessing.mean(c) : 0;
                storedStd[c] = c < preprocessing.features() ? preprocessing.std(c) : 1;
            }
            return new Dataset(table, inputs, columns, trainRows, testRows, storedMean, storedStd, mapped);
        }
        int[] features = columns[0];
        if (preprocessing.features() != features.length || table.columns() != preprocessing.columns()) {
            throw new IllegalArgumentException("the preprocessing reads rows of " + preprocessing.columns()
                    + " cells into " + preprocessing.features() + " features, but these rows have "
                    + table.columns() + " cells and " + features.length + " features");
        }
        double[] storedMean = new double[table.columns()];
        double[] storedStd = new double[table.columns()];
        Arrays.fill(storedStd, 1);
        for (int k = 0; k < features.length; k++) {
            storedMean[features[k]] = preprocessing.mean(k);
            storedStd[features[k]] = preprocessing.std(k);
        }
        return new Dataset(table, inputs, columns, trainRows, testRows, storedMean, storedStd, mapped);
    }

    /** The table columns that feed input {@code input}, in the order of its elements. */
    public int[] columns(int input) {
        return columns[input].clone();
    }

    /** The training rows, in the table's order. */
    public int[] trainRows() {
        return trainRows.clone();
    }

    /** The test rows, in the table's order; empty when nothing is held out. */
    public int[] testRows() {
        return testRows.clone();
    }

    public int trainSize() {
        return trainRows.length;
    }

    public int testSize() {
        return testRows.length;
    }

    /** What standardization subtracts from a column: its training mean, or 0 when not standardized. */
    public double mean(int column) {
        return mean[column];
    }

    /**
     * What standardization divides a column by: its training rows' standard deviation (over
     * n, not n - 1), or 1 when not standardized or when the column is constant.
     */
    public double std(int column) {
        return std[column];
    }

    /** A cell as the model sees it, standardized when asked. */
    public double value(int row, int column) {
        return (table.get(row, column) - mean[column]) / std[column];
    }

    private static void checkWholeNumbers(Table table, ModelSignature.Input input, int[] columns)
            throws DataException {
        long max = input.classes() > 0 ? input.classes() - 1L : Integer.MAX_VALUE;
        for (int column : columns) {
            for (int row = 0; row < table.rows(); row++) {
                double v = table.get(row, column);
                if (v != Math.rint(v) || v < 0 || v > max) {
                    String range = input.classes() > 0 ? "from 0 to " + max : "from 0 to " + Integer.MAX_VALUE;
                    throw new DataException(table.source(), table.line(row), Table.cellName(column) + " is "
                            + number(v) + ", but input " + input.name() + " takes whole numbers " + range);
                }
            }
        }
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** The row order whose first {@link #trainCount} rows train: shuffled, unless nothing is held out. */
    private static int[] split(Table table, double testFraction, long seed) throws DataException {
        int[] order = new int[table.rows()];
        Arrays.setAll(order, i -> i);
        if (trainCount(table, testFraction) == 0) {
            throw new DataException(table.source(), 0, "holding out " + testFraction + " of " + table.rows()
                    + (table.rows() == 1 ? " row" : " rows") + " for testing leaves none for training");
        }
        if (testFraction > 0) {
            new Rng(seed).shuffle(order);
        }
        return order;
    }

    private static int trainCount(Table table, double testFraction) {
        return (int) Math.round(table.rows() * (1 - testFraction));
    }

    private static int[] sorted(int[] rows) {
        Arrays.sort(rows);
        return rows;
    }

    private static void standardize(Table table, int[] rows, int column, double[] mean, double[] std) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int row : rows) {
            min = Math.min(min, table.get(row, column));
            max = Math.max(max, table.get(row, column));
        }
        double[] moments = moments(table, rows, column, 1);
        if (!Double.isFinite(moments[0]) || !Double.isFinite(moments[1])) {
            // Sums of cells near the largest doubles overflow: the same sums over cells scaled down do not.
            double scale = Math.max(Math.abs(min), Math.abs(max));
            moments = moments(table, rows, column, scale);
            moments[0] *= scale;
            moments[1] *= scale;
        }
        mean[column] = moments[0];
        // Tested on min and max, not on a variance that rounding may leave slightly above 0.
        std[column] = min == max ? 1 : moments[1];
    }

    /** The mean and deviation of the column's cells divided by {@code scale}. */
    private static double[] moments(Table table, int[] rows, int column, double scale) {
        double sum = 0;
        for (int row : rows) {
            sum += table.get(row, column) / scale;
        }
        double m = sum / rows.length;
        double squares = 0;
        for (int row : rows) {
            double d = table.get(row, column) / scale - m;
            squares += d * d;
        }
        return new double[] {m, Math.sqrt(squares / rows.length)};
    }

    /** Every cell of the column, standardized, must be a finite double; the first that is not is the data's fault. */
    private static void requireStandardizable(Table table, int column, double mean, double std) throws DataException {
        for (int row = 0; row < table.rows(); row++) {
            double v = table.get(row, column);
            if (!Double.isFinite((v - mean) / std)) {
                throw new DataException(table.source(), table.line(row), Table.cellName(column) + " is " + v
                        + ", too far from its column's mean (" + mean + ") to standardize in a double; scale the "
                        + "column down");
            }
        }
    }
}
