package dev.modelc.graph;

import dev.modelc.runtime.ModelSignature;
import java.util.List;

/**
 * Where training data comes from: a CSV file (optionally gzipped), which column holds the
 * label, how many lines to skip, the fraction held out for testing, whether features are
 * standardized with the training rows' mean and deviation, whether a header names the
 * columns, and the columns mapped to each input.
 *
 * @param path the file, relative to the model file's folder unless absolute
 * @param labelColumn the label's column, or -1 for the last one
 * @param mappings the columns of each input, in declaration order; empty for the label layout
 */
public record DataSpec(String path, int labelColumn, int skipLines, double testFraction, boolean standardize,
                       boolean header, List<Mapping> mappings) {
    public static final int LAST = -1;

    public DataSpec {
        mappings = List.copyOf(mappings);
    }

    public DataSpec(String path, int labelColumn, int skipLines, double testFraction, boolean standardize) {
        this(path, labelColumn, skipLines, testFraction, standardize, false, List.of());
    }

    /** {@code x = columns("p0", "p63")}: the ranges of columns that feed one input, in order. */
    public record Mapping(String input, List<ModelSignature.Range> ranges) {
        public Mapping {
            ranges = List.copyOf(ranges);
        }
    }
}
