package dev.modelc.runtime;

import dev.modelc.runtime.data.DataException;
import dev.modelc.runtime.data.Header;
import dev.modelc.runtime.data.Table;
import java.util.List;

/**
 * The columns of each input when the data clause maps them, {@code x = columns("p0", "p63")}:
 * numbers and names resolved against the table's width and header, and counted against the
 * values each input takes per row.
 */
final class MappedColumns {
    private MappedColumns() {
    }

    /** For each input in declaration order, its columns. */
    static int[][] of(Table table, List<ModelSignature.Input> inputs, List<ModelSignature.Feed> feeds)
            throws DataException {
        int[][] columns = new int[inputs.size()][];
        for (int i = 0; i < inputs.size(); i++) {
            ModelSignature.Input input = inputs.get(i);
            ModelSignature.Feed feed = feeds.stream().filter(f -> f.input().equals(input.name())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("the data maps no columns to input "
                            + input.name()));
            columns[i] = resolve(table, feed);
            if (columns[i].length != input.rowSize()) {
                throw new DataException(table.source(), table.header() != null ? table.header().line()
                        : table.line(0), "input " + input.name() + " takes " + input.rowSize()
                        + (input.rowSize() == 1 ? " value" : " values") + " per row, but its columns ("
                        + describe(feed) + ") are " + columns[i].length);
            }
        }
        return columns;
    }

    private static int[] resolve(Table table, ModelSignature.Feed feed) throws DataException {
        int count = 0;
        int[][] spans = new int[feed.ranges().size()][];
        for (int r = 0; r < spans.length; r++) {
            ModelSignature.Range range = feed.ranges().get(r);
            int first = index(table, range.first());
            int last = index(table, range.last());
            if (first > last) {
                throw new DataException(table.source(), table.header() != null ? table.header().line()
                        : table.line(0), "columns(" + range.first() + ", " + range.last() + ") of input "
                        + feed.input() + " run backwards: column " + first + " to column " + last);
            }
            spans[r] = new int[] {first, last};
            count += last - first + 1;
        }
        int[] columns = new int[count];
        int next = 0;
        for (int[] span : spans) {
            for (int c = span[0]; c <= span[1]; c++) {
                columns[next++] = c;
            }
        }
        return columns;
    }

    private static int index(Table table, ModelSignature.Column column) throws DataException {
        if (column.isLast()) {
            return table.columns() - 1;
        }
        if (column.name() == null) {
            if (column.index() >= table.columns()) {
                throw new DataException(table.source(), table.line(0), "column " + column.index()
                        + " (counting from 0) is past the end: the rows have " + table.columns() + " columns");
            }
            return column.index();
        }
        Header header = table.header();
        if (header == null) {
            throw new DataException(table.source(), table.line(0), "column " + column + " is named, but the file "
                    + "was read without a header (header = true)");
        }
        return named(table.source(), header, column.name());
    }

    /** The column of the header named {@code name}. */
    static int named(String source, Header header, String name) throws DataException {
        int at = header.indexOf(name);
        if (at == -2) {
            throw new DataException(source, header.line(), "the header names two columns " + Printable.quote(name)
                    + "; rename one");
        }
        if (at < 0) {
            throw new DataException(source, header.line(), "the header has no column named " + Printable.quote(name));
        }
        return at;
    }

    private static String describe(ModelSignature.Feed feed) {
        StringBuilder text = new StringBuilder();
        for (ModelSignature.Range range : feed.ranges()) {
            text.append(text.length() == 0 ? "" : ", ");
            text.append(range.first().equals(range.last()) ? range.first().toString()
                    : "columns(" + range.first() + ", " + range.last() + ")");
        }
        return text.toString();
    }
}
