package dev.modelc.graph;

/**
 * Where training data comes from: a CSV file (optionally gzipped), which column holds the
 * label, how many lines to skip, the fraction held out for testing, and whether features
 * are standardized with the training rows' mean and deviation.
 *
 * @param path the file, relative to the model file's folder unless absolute
 * @param labelColumn the label's column, or -1 for the last one
 */
public record DataSpec(String path, int labelColumn, int skipLines, double testFraction, boolean standardize) {
    public static final int LAST = -1;
}
