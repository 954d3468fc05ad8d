package dev.modelc.runtime;

/**
 * Which rows of a long listing get printed (iterations of a table, or epoch lines): the first
 * {@code first} of a run, then those numbered a multiple of {@code every}, and the last, which
 * the listing prints when it ends. {@link #NONE} prints none.
 */
public record TableRows(long first, long every) {
    /** Every row. */
    public static final TableRows ALL = new TableRows(Long.MAX_VALUE, 1);
    /** No rows: only how training ended. */
    public static final TableRows NONE = new TableRows(0, 0);

    /** Rows printed in full before a long table thins out. */
    public static final int FIRST_ROWS = 20;
    /** About how many more rows a table spread over its longest run shows. */
    public static final int SPREAD_ROWS = 40;

    public TableRows {
        if (first < 0 || every < 0) {
            throw new IllegalArgumentException("first and every are counts, got " + first + " and " + every);
        }
    }

    /** The first row, then every {@code n}-th, then the last. */
    public static TableRows every(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("every takes 1 or more, got " + n);
        }
        return new TableRows(1, n);
    }

    /**
     * The default for a run of at most {@code maxSteps} updates: the first {@link #FIRST_ROWS}
     * rows, then about {@link #SPREAD_ROWS} more spread evenly over the rest, then the last.
     */
    public static TableRows bounded(long maxSteps) {
        long every = Math.max(1, (maxSteps + SPREAD_ROWS - 1) / SPREAD_ROWS);
        return new TableRows(FIRST_ROWS, every);
    }

    /**
     * Whether a row is printed as it comes: the {@code seen}-th of this run (0 for the first),
     * numbered {@code number} (an iteration, or an epoch), which the every-n-th rows count by.
     */
    public boolean shows(long seen, long number) {
        return seen < first || every > 0 && number % every == 0;
    }

    /** Whether any row is printed, and so the header above them. */
    public boolean any() {
        return first > 0 || every > 0;
    }
}
