package dev.modelc.diagnostics;

/**
 * A region of source text: 1-based line and column of its first character, and the line
 * and column just past its last one. Columns count code points.
 */
public record Span(int line, int column, int endLine, int endColumn) {

    public static final Span NONE = new Span(0, 0, 0, 0);

    public static Span of(int line, int column, int length) {
        return new Span(line, column, line, column + Math.max(length, 1));
    }

    /** The smallest span covering both. */
    public Span to(Span other) {
        if (this == NONE) {
            return other;
        }
        if (other == NONE) {
            return this;
        }
        Span first = compare(this, other) <= 0 ? this : other;
        Span last = compareEnd(this, other) >= 0 ? this : other;
        return new Span(first.line, first.column, last.endLine, last.endColumn);
    }

    private static int compare(Span a, Span b) {
        return a.line != b.line ? Integer.compare(a.line, b.line) : Integer.compare(a.column, b.column);
    }

    private static int compareEnd(Span a, Span b) {
        return a.endLine != b.endLine
                ? Integer.compare(a.endLine, b.endLine)
                : Integer.compare(a.endColumn, b.endColumn);
    }

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
