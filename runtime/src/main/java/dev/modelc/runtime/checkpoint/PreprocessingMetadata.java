package dev.modelc.runtime.checkpoint;

import dev.modelc.runtime.Preprocessing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Preprocessing} in a checkpoint's metadata: {@code data_columns},
 * {@code data_label_column} (-1 for none), {@code data_skip_lines}, {@code data_mean} and
 * {@code data_std} (one number per feature, comma-separated) and {@code label_classes}.
 * When each input read its own columns, {@code data_inputs} says which ({@link FeedsMetadata}),
 * {@code data_header} holds the header's names (comma-separated; absent without a header), and
 * the means and deviations are one per column of the training file.
 * Checkpoints written before preprocessing was kept have none of these keys.
 */
final class PreprocessingMetadata {
    static final String COLUMNS = "data_columns";

    private PreprocessingMetadata() {
    }

    static void put(Map<String, String> m, Preprocessing p) {
        m.put(COLUMNS, Integer.toString(p.columns()));
        m.put("data_label_column", Integer.toString(p.labelColumn()));
        m.put("data_skip_lines", Integer.toString(p.skipLines()));
        List<String> mean = new ArrayList<>();
        List<String> std = new ArrayList<>();
        for (int k = 0; k < p.features(); k++) {
            mean.add(Double.toString(p.mean(k)));
            std.add(Double.toString(p.std(k)));
        }
        m.put("data_mean", String.join(",", mean));
        m.put("data_std", String.join(",", std));
        m.put("label_classes", Integer.toString(p.classes()));
        if (p.mapped()) {
            Map<String, int[]> feeds = new LinkedHashMap<>();
            for (String input : p.fedInputs()) {
                feeds.put(input, p.feed(input));
            }
            m.put("data_inputs", FeedsMetadata.format(feeds));
            if (p.hasHeader()) {
                m.put("data_header", String.join(",", p.header()));
            }
        }
    }

    /** The preprocessing the metadata holds, or null when it holds none. */
    static Preprocessing read(Map<String, String> values, CheckpointMetadata metadata) throws CheckpointException {
        if (!values.containsKey(COLUMNS)) {
            return null;
        }
        long columns = metadata.whole(COLUMNS);
        long label = metadata.whole("data_label_column");
        long skip = metadata.whole("data_skip_lines");
        long classes = metadata.whole("label_classes");
        if (columns < 1 || columns > Integer.MAX_VALUE || label < -1 || label >= columns || skip < 0
                || skip > Integer.MAX_VALUE || classes < 0 || classes > Integer.MAX_VALUE) {
            throw new CheckpointException("its preprocessing is impossible: " + columns + " columns, label column "
                    + label + ", " + skip + " lines skipped, " + classes + " classes");
        }
        double[] mean = numbers(metadata, "data_mean");
        double[] std = numbers(metadata, "data_std");
        try {
            if (values.containsKey("data_inputs")) {
                List<String> header = values.containsKey("data_header")
                        ? List.of(metadata.text("data_header").split(",", -1)) : null;
                return Preprocessing.mapped((int) columns, header, (int) skip,
                        FeedsMetadata.parse(metadata.text("data_inputs")), mean, std, (int) classes);
            }
            return new Preprocessing((int) columns, (int) label, (int) skip, mean, std, (int) classes);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("its preprocessing is impossible: " + e.getMessage());
        }
    }

    private static double[] numbers(CheckpointMetadata metadata, String key) throws CheckpointException {
        String joined = metadata.text(key);
        if (joined.isEmpty()) {
            return new double[0];
        }
        String[] parts = joined.split(",", -1);
        double[] values = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = CheckpointMetadata.parseReal(key, parts[i]);
        }
        return values;
    }
}
