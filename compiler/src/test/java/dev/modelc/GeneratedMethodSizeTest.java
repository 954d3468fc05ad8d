package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.codegen.InMemoryCompiler;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.Diagnostic;
import dev.modelc.diagnostics.SourceFile;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A model within every limit of its own can still make a generated method longer than the JVM's
 * 64 KiB of bytecode; javac alone can tell, and its refusal becomes a diagnostic at the loss.
 */
class GeneratedMethodSizeTest {
    /**
     * 45 definitions of 100 nested sines: each line of the forward pass has a method of its own, but the
     * checks of every operation in {@code firstNonFinite()} come to more than 64 KiB of bytecode (30 fit).
     */
    static final int DEFINITIONS = 45;

    /** {@code definitions} values, each 100 nested sines of the one param, and a loss that adds them up. */
    static String nestedSines(int definitions) {
        StringBuilder text = new StringBuilder("model Deep\nparam x = 0.5\n");
        for (int i = 0; i < definitions; i++) {
            text.append("h").append(i).append(" = ").append("sin(".repeat(100)).append("x + ").append(i)
                    .append(")".repeat(100)).append('\n');
        }
        text.append("loss L = h0");
        for (int i = 1; i < definitions; i++) {
            text.append(" + h").append(i);
        }
        return text.append("\n").toString();
    }

    @Test
    void aModelTooLargeForOneMethodIsADiagnosticAtTheLoss() throws CompilationFailed {
        ModelCompiler.Result result = ModelCompiler.compile(new SourceFile("deep.model", nestedSines(DEFINITIONS)),
                ModelCompiler.Options.DEFAULT);
        CompilationFailed failed = assertThrows(CompilationFailed.class, result::load);
        List<Diagnostic> errors = failed.diagnostics().sorted();
        assertEquals(1, errors.size(), failed.diagnostics().render());
        Diagnostic error = errors.get(0);
        // The loss is the line after the model line, the param line and the definitions; `L` is its 6th column.
        assertEquals(DEFINITIONS + 3, error.span().line());
        assertEquals(6, error.span().column());
        Matcher method = Pattern.compile("^model `Deep` is too large for one generated Java method: "
                + "javac refuses `(\\w+)\\(\\)` \\(code too large; the JVM allows 64 KiB of bytecode in a method\\)$")
                .matcher(error.message());
        assertTrue(method.matches(), error.message());
        assertTrue(result.javaSource().contains(" " + method.group(1) + "("), method.group(1));
        assertTrue(error.help().contains("fewer, larger tensor operations"), error.help());
    }

    @Test
    void checkCannotTellAndAccepts() {
        assertFalse(ModelCompiler.check(new SourceFile("deep.model", nestedSines(DEFINITIONS))).hasErrors());
    }

    @Test
    void aSmallerModelOfTheSameFormLoads() throws CompilationFailed {
        ModelCompiler.Result result = ModelCompiler.compile(new SourceFile("deep.model", nestedSines(5)),
                ModelCompiler.Options.DEFAULT);
        assertEquals("L", result.load().signature().loss());
    }

    @Test
    void javacsSizeLimitNamesTheMethod() {
        String body = "        x = Math.sin(x) * 1.5 + x;\n".repeat(8000);
        String source = "public class Huge {\n    static double small(double x) {\n        return x;\n    }\n\n"
                + "    static double huge(double x) {\n" + body + "        return x;\n    }\n}\n";
        InMemoryCompiler.GeneratedCodeRejected e = assertThrows(InMemoryCompiler.GeneratedCodeRejected.class,
                () -> InMemoryCompiler.compile(Map.of("Huge", source)));
        InMemoryCompiler.GeneratedCodeTooLarge tooLarge = assertInstanceOf(InMemoryCompiler.GeneratedCodeTooLarge.class,
                e);
        assertEquals("huge", tooLarge.method().orElseThrow());
        assertEquals("code too large", tooLarge.reason());
    }

    @Test
    void otherRejectionsStayCompilerBugs() {
        String source = "public class Wrong {\n    static int f() {\n        return \"text\";\n    }\n}\n";
        InMemoryCompiler.GeneratedCodeRejected e = assertThrows(InMemoryCompiler.GeneratedCodeRejected.class,
                () -> InMemoryCompiler.compile(Map.of("Wrong", source)));
        assertFalse(e instanceof InMemoryCompiler.GeneratedCodeTooLarge, e.getMessage());
    }
}
