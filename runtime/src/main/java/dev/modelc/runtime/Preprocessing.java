package dev.modelc.runtime;

import dev.modelc.runtime.data.DataException;
import dev.modelc.runtime.data.Header;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How training read a row of its CSV file, so that a raw row of a new file can be read the
 * same way: the cells per row, which one is the label, the lines skipped at the top, the mean
 * and deviation that standardized each feature (0 and 1 when nothing was standardized), and
 * for an integer label its number of classes. When the data clause maps columns to each input
 * ({@link #mapped()}), it keeps instead the columns of every input, the header's names when the
 * file had one (new files are then read by name, in any column order), and a mean and deviation
 * per column of the training file. A checkpoint keeps it; {@code modelc predict}
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
    private final List<String> header;
    private final Map<String, int[]> feeds;

    /**
     * @param columns cells per row of the training file
     * @param labelColumn the label's cell (from 0), or -1 when every cell is a feature
     * @param mean what standardization subtracts from each feature, in the order of the features
     * @param std what it then divides each feature by, each positive
     * @param classes for an integer label, its number of classes; else 0
     */
    public Preprocessing(int columns, int labelColumn, int skipLines, double[] mean, double[] std, int classes) {
        this(columns, labelColumn, skipLines, mean, std, classes, null, Map.of());
    }

    /**
     * Rows whose inputs each read their own columns.
     *
     * @param header the training file's column names, or null when it had no header
     * @param feeds for each input, in declaration order, the columns of the training file it read
     * @param mean what standardization subtracts from each column of the training file (0 for none)
     * @param std what it then divides each column by (1 for none)
     * @param classes the classes of the integer input no output reads (the target), else 0
     */
    public static Preprocessing mapped(int columns, List<String> header, int skipLines, Map<String, int[]> feeds,
                                       double[] mean, double[] std, int classes) {
        if (feeds.isEmpty() || header != null && header.size() != columns) {
            throw new IllegalArgumentException("impossible mapping: " + columns + " columns, header " + header
                    + ", " + feeds.size() + " inputs");
        }
        for (Map.Entry<String, int[]> feed : feeds.entrySet()) {
            for (int c : feed.getValue()) {
                if (c < 0 || c >= columns) {
                    throw new IllegalArgumentException("input " + feed.getKey() + " reads column " + c + " of "
                            + columns);
                }
            }
        }
        return new Preprocessing(columns, -1, skipLines, mean, std, classes, header, feeds);
    }

    private Preprocessing(int columns, int labelColumn, int skipLines, double[] mean, double[] std, int classes,
                          List<String> header, Map<String, int[]> feeds) {
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
        this.header = header == null ? null : List.copyOf(header);
        Map<String, int[]> copied = new LinkedHashMap<>();
        feeds.forEach((input, read) -> copied.put(input, read.clone()));
        this.feeds = copied;
    }

    /**
     * How {@code data} reads its rows: the columns of its first input are the features (with
     * two inputs the second is the label), standardized as it standardizes them.
     *
     * @param skipLines the lines skipped at the top of its file
     */
    public static Preprocessing of(Dataset data, int skipLines) {
        if (data.mapped()) {
            return mappedOf(data, skipLines);
        }
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

    private static Preprocessing mappedOf(Dataset data, int skipLines) {
        int width = data.table().columns();
        double[] mean = new double[width];
        double[] std = new double[width];
        for (int c = 0; c < width; c++) {
            mean[c] = data.mean(c);
            std[c] = data.std(c);
        }
        Map<String, int[]> feeds = new LinkedHashMap<>();
        List<ModelSignature.Input> inputs = data.inputs();
        int classes = 0;
        for (int i = 0; i < inputs.size(); i++) {
            feeds.put(inputs.get(i).name(), data.columns(i));
            // The last input as the label, as in the classic layout, when it is one class per row.
            if (i == inputs.size() - 1 && inputs.get(i).integer() && inputs.get(i).rowSize() == 1) {
                classes = classes(data, inputs.get(i), data.columns(i)[0]);
            }
        }
        Header header = data.table().header();
        return mapped(width, header == null ? null : header.names(), skipLines, feeds, mean, std, classes);
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

    /** Whether each input read its own columns ({@link #feed}); else a label column and the features. */
    public boolean mapped() {
        return !feeds.isEmpty();
    }

    /** The training file's column names, or null when it had no header. */
    public List<String> header() {
        return header;
    }

    public boolean hasHeader() {
        return header != null;
    }

    /** The columns of the training file that fed {@code input}, in order; null when it read none by name. */
    public int[] feed(String input) {
        int[] read = feeds.get(input);
        return read == null ? null : read.clone();
    }

    /** The inputs fed, in declaration order, when {@link #mapped()}. */
    public List<String> fedInputs() {
        return List.copyOf(feeds.keySet());
    }

    /** The lines above the first row: those skipped, and the header. */
    public int linesBeforeRows() {
        return skipLines + (header != null ? 1 : 0);
    }

    /**
     * The columns of a new file that feed {@code input} as the training columns did: found by
     * their names when training had a header, else the same columns of rows as wide.
     *
     * @param names the new file's header, or null when it has none
     * @param line the line to name when the file does not fit
     */
    public int[] columnsIn(String source, Header names, int line, int width, String input) throws DataException {
        int[] trained = feed(input);
        if (trained == null) {
            throw new IllegalArgumentException("input " + input + " was fed no columns in training");
        }
        if (header == null) {
            if (width != columns) {
                throw new DataException(source, line, "row has " + width + (width == 1 ? " cell" : " cells")
                        + ", but the model was trained on rows of " + columns);
            }
            return trained;
        }
        int[] found = new int[trained.length];
        for (int k = 0; k < trained.length; k++) {
            found[k] = MappedColumns.named(source, names, header.get(trained[k]));
        }
        return found;
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

    private String feedsText() {
        StringBuilder text = new StringBuilder("{");
        feeds.forEach((input, read) -> text.append(text.length() == 1 ? "" : ", ").append(input).append('=')
                .append(Arrays.toString(read)));
        return text.append('}').toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Preprocessing p && columns == p.columns && labelColumn == p.labelColumn
                && skipLines == p.skipLines && classes == p.classes && Arrays.equals(mean, p.mean)
                && Arrays.equals(std, p.std) && Objects.equals(header, p.header) && sameFeeds(p);
    }

    private boolean sameFeeds(Preprocessing p) {
        return feeds.keySet().equals(p.feeds.keySet()) && List.copyOf(feeds.keySet()).equals(
                List.copyOf(p.feeds.keySet())) && feeds.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(),
                p.feeds.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return Objects.hash(columns, labelColumn, skipLines, classes, Arrays.hashCode(mean), Arrays.hashCode(std),
                header, feeds.keySet());
    }

    @Override
    public String toString() {
        return "Preprocessing[columns=" + columns + ", labelColumn=" + labelColumn + ", skipLines=" + skipLines
                + ", classes=" + classes + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std)
                + (mapped() ? ", header=" + header + ", feeds=" + feedsText() : "") + "]";
    }
}
