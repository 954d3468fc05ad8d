package dev.modelc.diagnostics;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/** Collects the diagnostics of one compilation in source order. */
public final class Diagnostics {
    private final SourceFile source;
    private final List<Diagnostic> items = new ArrayList<>();
    /** The notes every diagnostic added now gets, innermost first: the calls being checked. */
    private final Deque<Diagnostic.Note> context = new ArrayDeque<>();

    public Diagnostics(SourceFile source) {
        this.source = source;
    }

    public SourceFile source() {
        return source;
    }

    public void add(Diagnostic diagnostic) {
        Diagnostic placed = context.isEmpty() ? diagnostic : diagnostic.withNotes(List.copyOf(context));
        if (!items.contains(placed)) {
            items.add(placed);
        }
    }

    /** Until the matching {@link #leave()}, every diagnostic added also shows {@code note}. */
    public void enter(Diagnostic.Note note) {
        context.push(note);
    }

    public void leave() {
        context.pop();
    }

    public Diagnostic error(Span span, String message) {
        Diagnostic d = Diagnostic.error(span, message);
        add(d);
        return context.isEmpty() ? d : d.withNotes(List.copyOf(context));
    }

    public void error(Span span, String message, String help) {
        add(Diagnostic.error(span, message).withHelp(help));
    }

    public void warning(Span span, String message) {
        add(new Diagnostic(Diagnostic.Severity.WARNING, span, message, null));
    }

    public boolean hasErrors() {
        return items.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
    }

    public int errorCount() {
        return (int) items.stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR).count();
    }

    /** All diagnostics, sorted by position; stable for equal positions (the calls of a function, in order). */
    public List<Diagnostic> sorted() {
        List<Diagnostic> copy = new ArrayList<>(items);
        copy.sort(Comparator.comparingInt((Diagnostic d) -> d.span().line())
                .thenComparingInt(d -> d.span().column()));
        return copy;
    }

    /** Renders every diagnostic, followed by a count line when there are errors. */
    public String render() {
        StringBuilder out = new StringBuilder();
        DiagnosticRenderer renderer = new DiagnosticRenderer(source);
        for (Diagnostic d : sorted()) {
            out.append(renderer.render(d));
        }
        int errors = errorCount();
        if (errors > 0) {
            out.append(errors).append(errors == 1 ? " error" : " errors").append('\n');
        }
        return out.toString();
    }
}
