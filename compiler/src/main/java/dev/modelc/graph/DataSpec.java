package dev.modelc.graph;

import dev.modelc.runtime.ModelSignature;
import java.util.List;

/**
 * Where training data comes from: IDX files ({@code idx} not null), or a CSV file (optionally
 * gzipped), which column holds the
 * label, how many lines to skip, the fraction held out for testing, whether features are
 * standardized with the training rows' mean and deviation, whether a header names the
 * columns, and the columns mapped to each input.
 *
 * @param path the file, relative to the model file's folder unless absolute
 * @param labelColumn the label's column, or -1 for the last one
 * @param mappings the columns of each input, in declaration order; empty for the label layout
 * @param idx the IDX files, whose rows are an image's values and then its label; null for CSV
 */
public record DataSpec(String path, int labelColumn, int skipLines, double testFraction, boolean standardize,
                       boolean header, List<Mapping> mappings, ModelSignature.Idx idx) {
    public static final int LAST = -1;

    public DataSpec {
        mappings = List.copyOf(mappings);
    }

    public DataSpec(String path, int labelColumn, int skipLines, double testFraction, boolean standardize,
                    boolean header, List<Mapping> mappings) {
        this(path, labelColumn, skipLines, testFraction, standardize, header, mappings, null);
    }

    /** IDX files: the images feed the first input, the labels the second. */
    public static DataSpec idx(ModelSignature.Idx files, double testFraction, boolean standardize) {
        return new DataSpec(files.images(), LAST, 0, testFraction, standardize, false, List.of(), files);
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
