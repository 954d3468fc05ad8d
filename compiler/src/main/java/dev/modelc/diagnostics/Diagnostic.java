package dev.modelc.diagnostics;

import java.util.List;

/**
 * One message about the source: where, how bad, what, optionally how to fix it, and notes that
 * point at other places it concerns (the calls through which an error inside a function was reached).
 */
public record Diagnostic(Severity severity, Span span, String message, String help, List<Note> notes) {

    public Diagnostic {
        notes = List.copyOf(notes);
    }

    public Diagnostic(Severity severity, Span span, String message, String help) {
        this(severity, span, message, help, List.of());
    }

    public enum Severity {
        ERROR("error"),
        WARNING("warning");

        private final String label;

        Severity(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Another place a diagnostic concerns, shown after it with its own line and caret. */
    public record Note(Span span, String message) {
    }

    public static Diagnostic error(Span span, String message) {
        return new Diagnostic(Severity.ERROR, span, message, null);
    }

    public Diagnostic withHelp(String text) {
        return new Diagnostic(severity, span, message, text, notes);
    }

    public Diagnostic withNotes(List<Note> more) {
        List<Note> all = new java.util.ArrayList<>(notes);
        all.addAll(more);
        return new Diagnostic(severity, span, message, help, all);
    }
}
