package dev.modelc.spark;

import dev.modelc.runtime.data.Table;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Consecutive rows of one piece of the data (a split of a file, or a partition of a DataFrame),
 * each input's values in one primitive array, row-major: what a partition keeps in memory
 * between training steps, so that a step copies numbers and decodes nothing. A block that met a
 * bad value holds no rows but the problem and where it is, which the driver reports with the
 * file and line.
 */
final class RowBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The file the rows come from, or "" for rows that are not read from a file. */
    final String file;
    /** Where in the file the piece starts (a byte offset), or the partition for rows not from a file. */
    final long start;
    final int rows;
    /** Lines of the file the piece spans, blank and skipped ones included; rows for other sources. */
    final long lines;
    /** Per input: {@code double[]}, {@code float[]} or {@code int[]}, by {@link InputLayout.Kind}. */
    final Object[] values;
    /** What is wrong with the first bad row, or null. */
    final String problem;
    /** The bad row's line within the piece, counted from 1. */
    final long problemLine;

    private RowBlock(String file, long start, int rows, long lines, Object[] values, String problem,
                     long problemLine) {
        this.file = file;
        this.start = start;
        this.rows = rows;
        this.lines = lines;
        this.values = values;
        this.problem = problem;
        this.problemLine = problemLine;
    }

    static RowBlock failed(String file, long start, long lines, String problem, long problemLine) {
        return new RowBlock(file, start, 0, lines, new Object[0], problem, problemLine);
    }

    /** Collects rows of numbers, checking each value against the input it feeds. */
    static final class Builder {
        private final InputLayout layout;
        private final String file;
        private final long start;
        private final double[][] doubles;
        private final float[][] floats;
        private final int[][] ints;
        private int rows;
        private int capacity = 1024;

        Builder(InputLayout layout, String file, long start) {
            this.layout = layout;
            this.file = file;
            this.start = start;
            int n = layout.inputs();
            doubles = new double[n][];
            floats = new float[n][];
            ints = new int[n][];
            for (int i = 0; i < n; i++) {
                allocate(i, capacity * layout.width(i));
            }
        }

        String file() {
            return file;
        }

        long start() {
            return start;
        }

        int rows() {
            return rows;
        }

        /** The values a row must have. */
        int layoutColumns() {
            return layout.columns;
        }

        /**
         * Adds a row of {@link InputLayout#columns} values; returns what is wrong with it, or null
         * when it was added.
         */
        String add(double[] row) {
            if (rows == capacity) {
                grow();
            }
            for (int i = 0; i < layout.inputs(); i++) {
                int[] columns = layout.columnsOf[i];
                int base = rows * columns.length;
                for (int k = 0; k < columns.length; k++) {
                    double v = row[columns[k]];
                    if (!Double.isFinite(v)) {
                        return Table.cellName(columns[k]) + " is " + v + "; values must be finite numbers";
                    }
                    switch (layout.kinds[i]) {
                        case DOUBLE -> doubles[i][base + k] = v;
                        case FLOAT -> floats[i][base + k] = (float) v;
                        case INT -> {
                            if (v != Math.rint(v) || v < 0 || v > layout.largest[i]) {
                                return Table.cellName(columns[k]) + " is " + number(v) + ", but input "
                                        + layout.names[i] + " takes whole numbers from 0 to " + layout.largest[i];
                            }
                            ints[i][base + k] = (int) v;
                        }
                    }
                }
            }
            rows++;
            return null;
        }

        RowBlock build(long lines) {
            Object[] values = new Object[layout.inputs()];
            for (int i = 0; i < values.length; i++) {
                int length = rows * layout.width(i);
                values[i] = switch (layout.kinds[i]) {
                    case DOUBLE -> Arrays.copyOf(doubles[i], length);
                    case FLOAT -> Arrays.copyOf(floats[i], length);
                    case INT -> Arrays.copyOf(ints[i], length);
                };
            }
            return new RowBlock(file, start, rows, lines, values, null, 0);
        }

        private void grow() {
            capacity = Math.multiplyExact(capacity, 2);
            for (int i = 0; i < layout.inputs(); i++) {
                int length = Math.multiplyExact(capacity, layout.width(i));
                switch (layout.kinds[i]) {
                    case DOUBLE -> doubles[i] = Arrays.copyOf(doubles[i], length);
                    case FLOAT -> floats[i] = Arrays.copyOf(floats[i], length);
                    case INT -> ints[i] = Arrays.copyOf(ints[i], length);
                }
            }
        }

        private void allocate(int i, int length) {
            switch (layout.kinds[i]) {
                case DOUBLE -> doubles[i] = new double[length];
                case FLOAT -> floats[i] = new float[length];
                case INT -> ints[i] = new int[length];
            }
        }

        private static String number(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        }
    }
}
