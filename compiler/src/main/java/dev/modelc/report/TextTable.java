package dev.modelc.report;

import dev.modelc.plan.Costs;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows of byte counts with a label, the formula in the batch size, and the value at each of
 * a few batch sizes, in aligned columns; headings group the rows under them.
 */
final class TextTable {
    private final List<Integer> batches;
    private final List<String[]> rows = new ArrayList<>();

    TextTable(List<Integer> batches) {
        this.batches = List.copyOf(batches);
        String[] header = new String[batches.size() + 2];
        header[0] = "";
        header[1] = "bytes";
        for (int i = 0; i < batches.size(); i++) {
            header[i + 2] = "batch " + batches.get(i);
        }
        rows.add(header);
    }

    void row(String label, Costs.Linear bytes) {
        String[] row = new String[batches.size() + 2];
        row[0] = label;
        row[1] = bytes.toString();
        for (int i = 0; i < batches.size(); i++) {
            row[i + 2] = Long.toString(bytes.at(batches.get(i)));
        }
        rows.add(row);
    }

    void heading(String label) {
        String[] row = new String[batches.size() + 2];
        java.util.Arrays.fill(row, "");
        row[0] = label;
        rows.add(row);
    }

    /** The rows; the label and formula columns are left-aligned, the values right-aligned. */
    String render() {
        int columns = batches.size() + 2;
        int[] widths = widths(rows, columns);
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String cell = row[c];
                String pad = " ".repeat(widths[c] - cell.length());
                line.append(c == 0 ? "" : "   ").append(c < 2 ? cell + pad : pad + cell);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** Left-aligned columns two spaces apart, each line indented by {@code indent}. */
    static String columns(List<String[]> rows, String indent) {
        int columns = rows.get(0).length;
        int[] widths = widths(rows, columns);
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int c = 0; c < columns; c++) {
                line.append(c == 0 ? "" : "  ").append(row[c]).append(" ".repeat(widths[c] - row[c].length()));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static int[] widths(List<String[]> rows, int columns) {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        return widths;
    }
}
