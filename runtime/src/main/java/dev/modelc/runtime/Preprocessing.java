package dev.modelc.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How training read a row of its CSV file, so that a raw row of a new file can be read the
 * same way: the cells per row, which one is the label, the lines skipped at the top, the mean
 * and deviation that standardized each feature (0 and 1 when nothing was standardized), and
 * for an integer label its number of classes. A checkpoint keeps it; {@code modelc predict}
 * and {@code modelc eval} apply it, and so can any program:
 *
 * <pre>{@code
 * Preprocessing prep = Checkpoint.read(path).preprocessing();
 * double[] x = prep.features(rawRow);   // rawRow with or without its label cell
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Preprocessing {
    private final int columns;
    private final int labelColumn;
    private final int skipLines;
    private final double[] mean;
    private final double[] std;
    private final int classes;

    /**
     * @param columns cells per row of the training file
     * @param labelColumn the label's cell (from 0), or -1 when every cell is a feature
     * @param mean what standardization subtracts from each feature, in the order of the features
     * @param std what it then divides each feature by, each positive
     * @param classes for an integer label, its number of classes; else 0
     */
    public Preprocessing(int columns, int labelColumn, int skipLines, double[] mean, double[] std, int classes) {
        int features = columns - (labelColumn >= 0 ? 1 : 0);
        if (columns < 1 || labelColumn < -1 || labelColumn >= columns || skipLines < 0 || classes < 0) {
            throw new IllegalArgumentException("impossible layout: " + columns + " columns, label column "
                    + labelColumn + ", " + skipLines + " lines skipped, " + classes + " classes");
        }
        if (mean.length != features || std.length != features) {
            throw new IllegalArgumentException(features + " features need as many means and deviations, got "
                    + mean.length + " and " + std.length);
        }
        for (int k = 0; k < features; k++) {
            if (!Double.isFinite(mean[k]) || !(std[k] > 0) || !Double.isFinite(std[k])) {
                throw new IllegalArgumentException("feature " + k + " has mean " + mean[k] + " and deviation "
                        + std[k] + "; a mean is finite and a deviation positive");
            }
        }
        this.columns = columns;
        this.labelColumn = labelColumn;
        this.skipLines = skipLines;
        this.mean = mean.clone();
        this.std = std.clone();
        this.classes = classes;
    }

    /**
     * How {@code data} reads its rows: the columns of its first input are the features (with
     * two inputs the second is the label), standardized as it standardizes them.
     *
     * @param skipLines the lines skipped at the top of its file
     */
    public static Preprocessing of(Dataset data, int skipLines) {
        int[] features = data.columns(0);
        double[] mean = new double[features.length];
        double[] std = new double[features.length];
        for (int k = 0; k < features.length; k++) {
            mean[k] = data.mean(features[k]);
            std[k] = data.std(features[k]);
        }
        List<ModelSignature.Input> inputs = data.inputs();
        int label = inputs.size() > 1 ? data.columns(1)[0] : -1;
        int classes = label >= 0 && inputs.get(1).integer() ? classes(data, inputs.get(1), label) : 0;
        return new Preprocessing(data.table().columns(), label, skipLines, mean, std, classes);
    }

    /** The declared class count, else one more than the largest label of the file. */
    private static int classes(Dataset data, ModelSignature.Input label, int column) {
        if (label.classes() > 0) {
            return label.classes();
        }
        double largest = 0;
        for (int row = 0; row < data.table().rows(); row++) {
            largest = Math.max(largest, data.table().get(row, column));
        }
        return (int) largest + 1;
    }

    /** Cells per row of the training file. */
    public int columns() {
        return columns;
    }

    /** The label's cell in a row of the training file (from 0), or -1 when every cell is a feature. */
    public int labelColumn() {
        return labelColumn;
    }

    public boolean hasLabel() {
        return labelColumn >= 0;
    }

    /** The lines at the top of the training file that were skipped (headers). */
    public int skipLines() {
        return skipLines;
    }

    /** Cells that are features: all but the label. */
    public int features() {
        return mean.length;
    }

    /** What standardization subtracts from feature {@code k}: its training mean, or 0. */
    public double mean(int k) {
        return mean[k];
    }

    /** What standardization divides feature {@code k} by: its training deviation, or 1. */
    public double std(int k) {
        return std[k];
    }

    /** For an integer label, its number of classes: as declared, else the largest label trained on plus 1; else 0. */
    public int classes() {
        return classes;
    }

    /**
     * Whether a row of {@code cells} cells holds the label: true for the training file's width,
     * false for one cell fewer (a file of new rows without labels).
     *
     * @throws IllegalArgumentException for any other width, saying which widths fit
     */
    public boolean withLabel(int cells) {
        if (cells == columns) {
            return hasLabel();
        }
        if (hasLabel() && cells == columns - 1) {
            return false;
        }
        throw new IllegalArgumentException("row has " + cells + (cells == 1 ? " cell" : " cells") + ", but the model "
                + "was trained on rows of " + columns + (hasLabel() ? " (or " + (columns - 1)
                + " without the label)" : ""));
    }

    /** Feature {@code k} of a raw row, standardized. */
    public double feature(double[] row, int k) {
        int cell = withLabel(row.length) && k >= labelColumn ? k + 1 : k;
        return (row[cell] - mean[k]) / std[k];
    }

    /** The features of a raw row (with or without its label cell), standardized, into {@code into} from {@code offset}. */
    public void features(double[] row, double[] into, int offset) {
        boolean labelled = withLabel(row.length);
        for (int k = 0; k < mean.length; k++) {
            int cell = labelled && k >= labelColumn ? k + 1 : k;
            into[offset + k] = (row[cell] - mean[k]) / std[k];
        }
    }

    /** The same for an {@code f32} model. */
    public void features(double[] row, float[] into, int offset) {
        boolean labelled = withLabel(row.length);
        for (int k = 0; k < mean.length; k++) {
            int cell = labelled && k >= labelColumn ? k + 1 : k;
            into[offset + k] = (float) ((row[cell] - mean[k]) / std[k]);
        }
    }

    /** The features of a raw row, standardized, in a new array. */
    public double[] features(double[] row) {
        double[] into = new double[mean.length];
        features(row, into, 0);
        return into;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Preprocessing p && columns == p.columns && labelColumn == p.labelColumn
                && skipLines == p.skipLines && classes == p.classes && Arrays.equals(mean, p.mean)
                && Arrays.equals(std, p.std);
    }

    @Override
    public int hashCode() {
        return Objects.hash(columns, labelColumn, skipLines, classes, Arrays.hashCode(mean), Arrays.hashCode(std));
    }

    @Override
    public String toString() {
        return "Preprocessing[columns=" + columns + ", labelColumn=" + labelColumn + ", skipLines=" + skipLines
                + ", classes=" + classes + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
