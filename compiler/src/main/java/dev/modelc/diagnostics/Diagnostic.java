package dev.modelc.diagnostics;

/** One message about the source: where, how bad, what, and optionally how to fix it. */
public record Diagnostic(Severity severity, Span span, String message, String help) {

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

    public static Diagnostic error(Span span, String message) {
        return new Diagnostic(Severity.ERROR, span, message, null);
    }

    public Diagnostic withHelp(String text) {
        return new Diagnostic(severity, span, message, text);
    }
}
