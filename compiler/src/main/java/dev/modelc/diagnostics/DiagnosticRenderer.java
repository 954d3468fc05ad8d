package dev.modelc.diagnostics;

/**
 * Formats a diagnostic as {@code file:line:col: error: message}, then the source line and a
 * caret line under the culprit, then an optional {@code help:} line, then each note the same way
 * as {@code file:line:col: note: ...}.
 */
public final class DiagnosticRenderer {
    private static final int MAX_SHOWN_LINE = 200;
    private final SourceFile source;

    public DiagnosticRenderer(SourceFile source) {
        this.source = source;
    }

    public String render(Diagnostic d) {
        StringBuilder out = new StringBuilder();
        place(out, d.span(), d.severity().label(), d.message());
        if (d.help() != null) {
            out.append("  help: ").append(d.help()).append('\n');
        }
        for (Diagnostic.Note note : d.notes()) {
            place(out, note.span(), "note", note.message());
        }
        return out.toString();
    }

    /** {@code file:line:col: label: message}, then the source line with a caret under the span. */
    private void place(StringBuilder out, Span span, String label, String message) {
        out.append(source.displayName());
        if (span.line() > 0) {
            out.append(':').append(span.line()).append(':').append(span.column());
        }
        out.append(": ").append(label).append(": ").append(message).append('\n');
        if (span.line() > 0 && span.line() <= source.lineCount()) {
            appendExcerpt(out, source.line(span.line()), span);
        }
    }

    private static void appendExcerpt(StringBuilder out, String line, Span span) {
        int[] codePoints = line.codePoints().map(DiagnosticRenderer::printable).toArray();
        int start = Math.max(0, span.column() - 1);
        int shownFrom = start > MAX_SHOWN_LINE / 2 ? start - MAX_SHOWN_LINE / 4 : 0;
        int shownTo = Math.min(codePoints.length, shownFrom + MAX_SHOWN_LINE);
        int end = span.endLine() == span.line() ? span.endColumn() - 1 : codePoints.length;
        end = Math.min(Math.max(end, start + 1), Math.max(shownTo, start + 1));
        StringBuilder text = new StringBuilder("  ");
        StringBuilder caret = new StringBuilder("  ");
        if (shownFrom > 0) {
            text.append("...");
            caret.append("   ");
        }
        for (int i = shownFrom; i < shownTo; i++) {
            text.appendCodePoint(codePoints[i]);
        }
        for (int i = shownFrom; i < start; i++) {
            boolean tab = i < codePoints.length && codePoints[i] == '\t';
            caret.append(tab ? "\t" : " ".repeat(i < codePoints.length ? TerminalWidth.of(codePoints[i]) : 1));
        }
        int width = 0;
        for (int i = start; i < end; i++) {
            width += i < codePoints.length ? TerminalWidth.of(codePoints[i]) : 1;
        }
        caret.append("^".repeat(Math.max(1, width)));
        out.append(stripTrailing(text)).append('\n').append(caret).append('\n');
    }

    /** Control characters other than tab would garble the terminal; show them as U+FFFD. */
    private static int printable(int cp) {
        return cp == '\t' || !Character.isISOControl(cp) ? cp : 0xFFFD;
    }

    private static String stripTrailing(StringBuilder s) {
        int end = s.length();
        while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }
}
