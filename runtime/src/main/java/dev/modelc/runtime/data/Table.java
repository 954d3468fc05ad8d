package dev.modelc.runtime.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A table of finite numbers, rows of equal width, that remembers where it came from so that
 * later checks can name the file and line of a bad value.
 */
public final class Table {
    // Cells live in fixed-size blocks so that a large table is never copied to grow.
    private static final int BLOCK_BITS = 16;
    private static final int BLOCK = 1 << BLOCK_BITS;
    private static final int MASK = BLOCK - 1;

    private final String source;
    private final int rows;
    private final int columns;
    private final int firstLine;
    private final double[][] blocks;
    private final Header header;

    private Table(String source, int rows, int columns, int firstLine, double[][] blocks, Header header) {
        this.header = header;
        this.source = source;
        this.rows = rows;
        this.columns = columns;
        this.firstLine = firstLine;
        this.blocks = blocks;
    }

    /** A table of the given rows, which are copied; row {@code r} is reported as line {@code firstLine + r}. */
    public static Table of(String source, int firstLine, double[][] rows) {
        if (rows.length == 0 || rows[0].length == 0) {
            throw new IllegalArgumentException("a table needs at least one row and one column");
        }
        Builder builder = new Builder(source, rows[0].length, firstLine);
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != rows[0].length) {
                throw new IllegalArgumentException("row " + r + " has " + rows[r].length
                        + " columns, the first row had " + rows[0].length);
            }
            for (double value : rows[r]) {
                if (!Double.isFinite(value)) {
                    throw new IllegalArgumentException("row " + r + " holds " + value + "; cells must be finite");
                }
                builder.add(value);
            }
        }
        return builder.build();
    }

    /** The file (or other source) the table was read from, as it was named. */
    public String source() {
        return source;
    }

    public int rows() {
        return rows;
    }

    public int columns() {
        return columns;
    }

    /** The header line that named the columns, or null when the file has none. */
    public Header header() {
        return header;
    }

    /** The same rows, their columns named by {@code names}. */
    public Table withHeader(Header names) {
        return new Table(source, rows, columns, firstLine, blocks, names);
    }

    public double get(int row, int column) {
        Objects.checkIndex(row, rows);
        Objects.checkIndex(column, columns);
        long index = (long) row * columns + column;
        return blocks[(int) (index >>> BLOCK_BITS)][(int) (index & MASK)];
    }

    /** The 1-based line of the source that row {@code row} was read from. */
    public int line(int row) {
        Objects.checkIndex(row, rows);
        return firstLine + row;
    }

    /** Names a column for messages, counting from 1 as people do: "the 3rd cell". */
    public static String cellName(int column) {
        int n = column + 1;
        String suffix = n % 100 >= 11 && n % 100 <= 13 ? "th"
                : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
        return "the " + n + suffix + " cell";
    }

    /** Collects cells row after row; rows are whole once {@link #cells()} is a multiple of the width. */
    static final class Builder {
        private final String source;
        private final int columns;
        private final int firstLine;
        private final List<double[]> full = new ArrayList<>();
        private double[] block = new double[BLOCK];
        private int used;

        Builder(String source, int columns, int firstLine) {
            this.source = source;
            this.columns = columns;
            this.firstLine = firstLine;
        }

        void add(double value) {
            if (used == BLOCK) {
                full.add(block);
                block = new double[BLOCK];
                used = 0;
            }
            block[used++] = value;
        }

        /** Replaces the cell at {@code index} (row-major) already added. */
        void set(long index, double value) {
            if (index < 0 || index >= cells()) {
                throw new IndexOutOfBoundsException("cell " + index + " of " + cells());
            }
            long fullCells = (long) full.size() * BLOCK;
            if (index >= fullCells) {
                block[(int) (index - fullCells)] = value;
            } else {
                full.get((int) (index >>> BLOCK_BITS))[(int) (index & MASK)] = value;
            }
        }

        String source() {
            return source;
        }

        int columns() {
            return columns;
        }

        long cells() {
            return (long) full.size() * BLOCK + used;
        }

        Table build() {
            if (cells() % columns != 0) {
                throw new IllegalStateException("the last row is incomplete");
            }
            List<double[]> blocks = new ArrayList<>(full);
            blocks.add(used == BLOCK ? block : Arrays.copyOf(block, used));
            int rows = Math.toIntExact(cells() / columns);
            return new Table(source, rows, columns, firstLine, blocks.toArray(new double[0][]), null);
        }
    }
}
