package dev.modelc.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelc.ModelCompiler;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Lines as editors show them, whatever ends them, and bytes that are not UTF-8 located by line and column. */
class SourceFileTest {

    @Test
    void everyKindOfLineEndEndsALine() {
        SourceFile source = new SourceFile("m.model", "a\nb\r\nc\rd");
        assertEquals(4, source.lineCount());
        assertEquals("c", source.line(3));
        assertEquals("a\nb\nc\nd", source.text());
    }

    /** Found by fuzzing: the lexer counted only \n, so its positions fell outside the lines quoted. */
    @Test
    void diagnosticsInAFileWithOldMacLineEndsPointAtTheirLine() {
        Diagnostics diagnostics = ModelCompiler.check(new SourceFile("m.model",
                "model M\rparam x = 1\rloss L = y\r"));
        assertEquals("""
                m.model:3:10: error: unknown name `y`
                  loss L = y
                           ^
                """, diagnostics.render().substring(0, diagnostics.render().indexOf("  help:")));
    }

    @Test
    void aLoneCarriageReturnIsAnEmptyFileOfTwoLines() {
        String rendered = ModelCompiler.check(new SourceFile("m.model", "\r")).render();
        assertEquals("m.model:2:1: error:", rendered.substring(0, rendered.indexOf(" error:") + 7), rendered);
    }

    @Test
    void theFirstByteThatIsNotUtf8IsFoundByLineAndColumn() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("model M\n// caf\u00e9 \u00e0 ".getBytes(StandardCharsets.UTF_8));
        bytes.write(0xE9);
        bytes.writeBytes(" la carte\n".getBytes(StandardCharsets.UTF_8));
        SourceFile.NotUtf8 e = assertThrows(SourceFile.NotUtf8.class,
                () -> SourceFile.decode("m.model", bytes.toByteArray()));
        // "// café à " is ten characters, so the stray byte is the eleventh
        assertEquals(2, e.line());
        assertEquals(11, e.column());
        assertEquals("m.model:2:11: error: not valid UTF-8 text; save the file as UTF-8", e.getMessage());
        assertEquals("m.model:2:11: error: not valid UTF-8 text\n  // caf\u00e9 \u00e0\n            ^\n"
                + "  help: save the file as UTF-8\n1 error\n", e.diagnostics().render());
    }

    @Test
    void aSequenceCutShortAtTheEndIsNotUtf8() {
        byte[] bytes = {'m', 'o', 'd', 'e', 'l', ' ', (byte) 0xF0, (byte) 0x9F, (byte) 0x98};
        SourceFile.NotUtf8 e = assertThrows(SourceFile.NotUtf8.class, () -> SourceFile.decode("m.model", bytes));
        assertEquals(1, e.line());
        assertEquals(7, e.column());
    }
}
