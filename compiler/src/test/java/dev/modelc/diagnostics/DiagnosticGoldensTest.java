package dev.modelc.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.modelc.GoldenFile;
import dev.modelc.ModelCompiler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every {@code .model} file under {@code src/test/resources/diagnostics} is a bad model; the
 * {@code .expected} file next to it holds the exact text {@code modelc check} prints for it.
 * Run with {@code -Dmodelc.updateGoldens=true} to rewrite the expected files after a change, then
 * review the diff and run again (see {@link GoldenFile}).
 */
@ExtendWith(GoldenFile.UpdateRun.class)
class DiagnosticGoldensTest {
    private static final Path FOLDER = Path.of(System.getProperty("modelc.diagnostics",
            "src/test/resources/diagnostics"));
    private static final int MIN_CASES = 20;
    private static final Pattern ERROR_HEADER = Pattern.compile("^(.+?):(\\d+):(\\d+): error: (.+)$");
    private static final Pattern NOTE_HEADER = Pattern.compile("^(.+?):(\\d+):(\\d+): note: (.+)$");
    private static final Pattern CARET_LINE = Pattern.compile("^  [ \\t]*\\^+$");
    private static final Pattern COUNT_LINE = Pattern.compile("^(\\d+) errors?$");

    @TestFactory
    Stream<DynamicTest> everyBadModelPrintsItsExpectedDiagnostics() throws IOException {
        return models().stream().map(model -> DynamicTest.dynamicTest(model.getFileName().toString(),
                model.toUri(), () -> compareWithGolden(model)));
    }

    @TestFactory
    Stream<DynamicTest> everyExpectedOutputIsWellFormed() throws IOException {
        return models().stream().map(model -> DynamicTest.dynamicTest(model.getFileName().toString(),
                model.toUri(), () -> assertWellFormed(source(model),
                        GoldenFile.updating() ? render(model) : readExpected(model))));
    }

    @Test
    void thereAreEnoughCases() throws IOException {
        assertTrue(models().size() >= MIN_CASES, "only " + models().size() + " bad models in " + FOLDER);
    }

    private static List<Path> models() throws IOException {
        try (Stream<Path> files = Files.list(FOLDER)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".model")).sorted().toList();
        }
    }

    /** The bare file name is the display name, so the goldens do not depend on where the build runs. */
    private static SourceFile source(Path model) throws IOException {
        return new SourceFile(model.getFileName().toString(), Files.readString(model, StandardCharsets.UTF_8));
    }

    private static Path expectedPath(Path model) {
        String name = model.getFileName().toString();
        return model.resolveSibling(name.substring(0, name.length() - ".model".length()) + ".expected");
    }

    private static String readExpected(Path model) throws IOException {
        Path expected = expectedPath(model);
        if (!Files.exists(expected)) {
            fail(expected + " is missing; run with -Dmodelc.updateGoldens=true to create it");
        }
        return Files.readString(expected, StandardCharsets.UTF_8);
    }

    private static String render(Path model) throws IOException {
        return ModelCompiler.check(source(model)).render();
    }

    private static void compareWithGolden(Path model) throws IOException {
        GoldenFile.assertMatches(expectedPath(model), render(model));
    }

    /**
     * Checks the expected text independently of the renderer: each error names this file at a
     * position inside it, quotes that source line and puts carets under it; errors come in source
     * order and the count line counts them.
     */
    private static void assertWellFormed(SourceFile source, String expected) {
        List<String> lines = expected.lines().toList();
        int errors = 0;
        int previousLine = 0;
        int previousColumn = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher note = NOTE_HEADER.matcher(lines.get(i));
            if (note.matches()) {
                assertPlaced(source, note, lines, i);
                continue;
            }
            Matcher header = ERROR_HEADER.matcher(lines.get(i));
            if (!header.matches()) {
                continue;
            }
            errors++;
            assertPlaced(source, header, lines, i);
            int line = Integer.parseInt(header.group(2));
            int column = Integer.parseInt(header.group(3));
            assertTrue(line > previousLine || (line == previousLine && column >= previousColumn),
                    "not in source order: " + lines.get(i));
            previousLine = line;
            previousColumn = column;
        }
        assertTrue(errors >= 1, "no `file:line:col: error:` line in\n" + expected);
        Matcher count = COUNT_LINE.matcher(lines.get(lines.size() - 1));
        assertTrue(count.matches(), "last line is not the error count: " + lines.get(lines.size() - 1));
        assertEquals(errors, Integer.parseInt(count.group(1)), "count line disagrees with the errors listed");
        assertFalse(expected.contains("Exception"), "an exception leaked into the diagnostics");
    }

    /** An error or note header names this file at a position inside it, then quotes that line with carets. */
    private static void assertPlaced(SourceFile source, Matcher header, List<String> lines, int i) {
        assertEquals(source.displayName(), header.group(1), lines.get(i));
        int line = Integer.parseInt(header.group(2));
        int column = Integer.parseInt(header.group(3));
        assertTrue(line >= 1 && line <= source.lineCount(), "line out of range: " + lines.get(i));
        int lineLength = source.line(line).codePointCount(0, source.line(line).length());
        assertTrue(column >= 1 && column <= lineLength + 1, "column out of range: " + lines.get(i));
        assertTrue(i + 2 < lines.size(), "no excerpt after " + lines.get(i));
        String excerpt = lines.get(i + 1);
        assertTrue(excerpt.startsWith("  ...") || excerpt.equals(("  " + source.line(line)).stripTrailing()),
                "excerpt is not line " + line + ": " + excerpt);
        assertTrue(CARET_LINE.matcher(lines.get(i + 2)).matches(), "no caret line: " + lines.get(i + 2));
    }
}
