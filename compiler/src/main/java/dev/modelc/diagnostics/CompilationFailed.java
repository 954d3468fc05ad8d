package dev.modelc.diagnostics;

/** Thrown by a pipeline stage when the source has errors; carries every diagnostic found. */
public final class CompilationFailed extends Exception {
    private final transient Diagnostics diagnostics;

    public CompilationFailed(Diagnostics diagnostics) {
        super(diagnostics.errorCount() + " error(s) in " + diagnostics.source().displayName());
        this.diagnostics = diagnostics;
    }

    public Diagnostics diagnostics() {
        return diagnostics;
    }
}
