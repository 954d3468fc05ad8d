package dev.modelc.runtime.data;

/**
 * Bad training data, told as {@code FILE:LINE: what is wrong} (or {@code FILE: what is wrong}
 * when no single line is to blame), ready to print as it is.
 */
public final class DataException extends Exception {
    private final String source;
    private final int line;
    private final String problem;

    /**
     * @param line the 1-based line to blame, or 0 when the problem is not on one line
     */
    public DataException(String source, int line, String problem) {
        this(source, line, problem, null);
    }

    public DataException(String source, int line, String problem, Throwable cause) {
        super(source + (line > 0 ? ":" + line : "") + ": " + problem, cause);
        this.source = source;
        this.line = line;
        this.problem = problem;
    }

    /** The file (or other source) the data came from, as it was named. */
    public String source() {
        return source;
    }

    /** The 1-based line, or 0 when the problem is not on one line. */
    public int line() {
        return line;
    }

    /** What is wrong, without the location. */
    public String problem() {
        return problem;
    }
}
