package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.Diagnostic;
import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.diagnostics.Span;
import java.nio.charset.StandardCharsets;

/**
 * What must hold for any bytes given to modelc as a .model file: they are refused as not UTF-8
 * at a real position, or refused with diagnostics at real positions that render, or they
 * compile through every stage to the generated class. Whatever else escapes, an exception or a
 * stack overflow, fails the case.
 */
final class FrontEndOracle {
    static final String FILE_NAME = "fuzz.model";

    /** How the front end took a case. */
    enum Verdict {
        NOT_UTF8, REJECTED, COMPILED
    }

    /** A compiled case: its verdict and, when it compiled, the pipeline's result. */
    record Outcome(Verdict verdict, ModelCompiler.Result result) {
    }

    private FrontEndOracle() {
    }

    static Outcome run(byte[] bytes) {
        SourceFile source;
        try {
            source = SourceFile.decode(FILE_NAME, bytes);
        } catch (SourceFile.NotUtf8 e) {
            assertNotUtf8PositionIsReal(bytes, e);
            return new Outcome(Verdict.NOT_UTF8, null);
        }
        Diagnostics checked = ModelCompiler.check(source);
        assertPositionsAreReal(checked);
        if (checked.hasErrors()) {
            return new Outcome(Verdict.REJECTED, null);
        }
        try {
            return new Outcome(Verdict.COMPILED, ModelCompiler.compile(source, ModelCompiler.Options.DEFAULT));
        } catch (CompilationFailed e) {
            return fail("check accepted the model but compile refused it:\n" + e.diagnostics().render());
        }
    }

    /**
     * Every diagnostic points into the text, at a line that exists and a column at most one past
     * its end; the rendering names the file at that position, quotes the line and counts errors.
     */
    static void assertPositionsAreReal(Diagnostics diagnostics) {
        SourceFile source = diagnostics.source();
        String rendered = diagnostics.render();
        for (Diagnostic d : diagnostics.sorted()) {
            Span span = d.span();
            String where = d.message() + " at " + span + " in a text of " + source.lineCount() + " lines";
            assertTrue(span.line() >= 1 && span.line() <= source.lineCount(), "line out of range: " + where);
            String line = source.line(span.line());
            int width = line.codePointCount(0, line.length());
            assertTrue(span.column() >= 1 && span.column() <= width + 1,
                    "column out of range: " + where + ", the line has " + width + " characters");
            assertTrue(rendered.contains(FILE_NAME + ":" + span.line() + ":" + span.column() + ": "
                    + d.severity().label() + ": "), "not rendered at its position: " + where + "\n" + rendered);
        }
        if (diagnostics.hasErrors()) {
            int errors = diagnostics.errorCount();
            assertTrue(rendered.endsWith(errors + (errors == 1 ? " error\n" : " errors\n")), rendered);
        }
    }

    /** The bad byte is on a line of the file, at most one column past the text before it on that line. */
    private static void assertNotUtf8PositionIsReal(byte[] bytes, SourceFile.NotUtf8 e) {
        SourceFile lenient = new SourceFile(FILE_NAME, new String(bytes, StandardCharsets.UTF_8));
        assertTrue(e.line() >= 1 && e.line() <= lenient.lineCount(), "line out of range: " + e.getMessage());
        String line = lenient.line(e.line());
        int width = line.codePointCount(0, line.length());
        assertTrue(e.column() >= 1 && e.column() <= width, "column out of range: " + e.getMessage()
                + ", the line has " + width + " characters with the bad bytes replaced");
        assertEquals(FILE_NAME + ":" + e.line() + ":" + e.column() + ": error: not valid UTF-8 text; save the file "
                + "as UTF-8", e.getMessage());
        assertPositionsAreReal(e.diagnostics());
    }
}
