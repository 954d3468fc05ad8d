package dev.modelc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.ModelCompiler;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated classes go through javadoc with every check but missing comments, private members
 * included, whatever file names and comments the model brought: text outside {@code {@code}} is
 * plain text, and a line whose braces do not pair up is not put inside one.
 */
class HostileJavadocTest {

    @Test
    void javadocAcceptsEveryClassGeneratedFromHostileText(@TempDir Path output) throws CompilationFailed {
        List<JavaFileObject> units = new ArrayList<>();
        List<HostileModels.Case> cases = HostileText.all();
        for (int i = 0; i < cases.size(); i++) {
            HostileModels.Case c = cases.get(i);
            ModelCompiler.Result result = ModelCompiler.compile(new SourceFile(c.fileName(), c.text()),
                    new ModelCompiler.Options(String.format("hostile.doc%03d", i), c.dtype()));
            units.add(source(result.className(), result.javaSource()));
        }
        DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("-quiet", "-private", "-Xdoclint:all,-missing", "-d", output.toString(),
                "-classpath", InMemoryCompiler.runtimeLocation().toString());
        StringWriter log = new StringWriter();
        boolean ok = javadoc.getTask(log, null, diagnostics, null, options, units).call();
        List<String> problems = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.NOTE) {
                problems.add(d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
            }
        }
        assertEquals(List.of(), problems, log.toString());
        assertTrue(ok, log.toString());
    }

    private static JavaFileObject source(String className, String text) {
        URI uri = URI.create("string:///" + className.replace('.', '/') + JavaFileObject.Kind.SOURCE.extension);
        return new SimpleJavaFileObject(uri, JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        };
    }
}
