package dev.modelc.maven;

import java.util.List;

/** The models of a run had errors; carries each file's diagnostics as the compiler renders them. */
final class ModelErrors extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> rendered;

    ModelErrors(List<String> rendered) {
        super(rendered.size() == 1 ? "1 model has errors" : rendered.size() + " models have errors");
        this.rendered = List.copyOf(rendered);
    }

    /** One text per model file: {@code file:line:col: error: ...} lines, excerpts, carets and a count line. */
    List<String> rendered() {
        return rendered;
    }
}
