package dev.modelc.runtime.checkpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The columns each input read, as a checkpoint's {@code data_inputs} keeps them:
 * {@code x:0-63;ids:64,66;y:67}, inputs in declaration order, runs of columns as ranges.
 */
final class FeedsMetadata {
    private FeedsMetadata() {
    }

    static String format(Map<String, int[]> feeds) {
        StringJoiner text = new StringJoiner(";");
        feeds.forEach((input, columns) -> text.add(input + ":" + columns(columns)));
        return text.toString();
    }

    private static String columns(int[] columns) {
        StringJoiner text = new StringJoiner(",");
        for (int i = 0; i < columns.length; ) {
            int j = i;
            while (j + 1 < columns.length && columns[j + 1] == columns[j] + 1) {
                j++;
            }
            text.add(j > i ? columns[i] + "-" + columns[j] : Integer.toString(columns[i]));
            i = j + 1;
        }
        return text.toString();
    }

    static Map<String, int[]> parse(String text) throws CheckpointException {
        Map<String, int[]> feeds = new LinkedHashMap<>();
        for (String part : text.split(";", -1)) {
            int colon = part.indexOf(':');
            if (colon < 1 || feeds.containsKey(part.substring(0, colon))) {
                throw new CheckpointException("its data_inputs is not `input:columns;...`");
            }
            feeds.put(part.substring(0, colon), parseColumns(part.substring(colon + 1)));
        }
        return feeds;
    }

    private static int[] parseColumns(String text) throws CheckpointException {
        try {
            return java.util.Arrays.stream(text.split(",", -1)).flatMapToInt(piece -> {
                int dash = piece.indexOf('-', 1);
                int from = Integer.parseInt(dash < 0 ? piece : piece.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(piece.substring(dash + 1));
                if (from < 0 || to < from || to - from > 1 << 24) {
                    throw new NumberFormatException(piece);
                }
                return java.util.stream.IntStream.rangeClosed(from, to);
            }).toArray();
        } catch (NumberFormatException e) {
            throw new CheckpointException("its data_inputs holds an impossible column range");
        }
    }
}
