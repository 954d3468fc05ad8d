package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code modelc check}: exit codes, which stream gets what, and never a stack trace. */
class CheckCommandTest {
    private static final String VALID_MODEL = """
            model Quadratic

            param x = -3.0
            param y = -3.0

            loss J = x^2 + 2 * y^2

            train {
              optimizer gd(lr = 0.1)
              stop when J < 0.005
              max_steps 100
            }
            """;

    @TempDir
    Path dir;

    /** What one run of the command line did. */
    record Run(int exitCode, String out, String err) {
        void assertNoStackTrace() {
            assertAll(
                    () -> assertFalse(err.contains("Exception"), "stack trace on err:\n" + err),
                    () -> assertFalse(err.contains("\tat "), "stack trace on err:\n" + err),
                    () -> assertFalse(out.contains("Exception"), "stack trace on out:\n" + out));
        }

        /** Exit code 2, nothing on out, a single {@code modelc: error:} line on err. */
        void assertOneLineError(String... fragments) {
            assertNoStackTrace();
            assertEquals(Main.BAD_INPUT, exitCode, err);
            assertEquals("", out);
            assertEquals(1, err.lines().count(), "expected one line on err:\n" + err);
            assertTrue(err.startsWith("modelc: error: "), err);
            for (String fragment : fragments) {
                assertTrue(err.contains(fragment), "`" + fragment + "` missing from: " + err);
            }
        }

        /** Exit code 2, nothing on out, the problem and a pointer to --help on err. */
        void assertUsageError(String problem) {
            assertNoStackTrace();
            assertEquals(Main.BAD_INPUT, exitCode, err);
            assertEquals("", out);
            assertTrue(err.startsWith("modelc: error: "), err);
            assertTrue(err.contains(problem), "`" + problem + "` missing from: " + err);
            assertTrue(err.contains("Try 'modelc check --help' for more information."), err);
        }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exitCode, out.toString(), err.toString());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void validModelPrintsOkAndExitsZero() throws IOException {
        Path model = write("quadratic.model", VALID_MODEL);
        Run run = run("check", model.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(model + ": ok" + System.lineSeparator(), run.out());
        assertEquals("", run.err());
    }

    @Test
    void byteOrderMarkIsNotAnError() throws IOException {
        Path model = write("bom.model", "\uFEFF" + VALID_MODEL);
        Run run = run("check", model.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(model + ": ok" + System.lineSeparator(), run.out());
    }

    @Test
    void badModelPrintsEveryDiagnosticOnErrAndExitsTwo() throws IOException {
        Path model = write("bad.model", """
                model Bad

                param x = 1.0

                loss J = x^2 + zz
                metric m = sqaure(x)
                """);
        Run run = run("check", model.toString());
        run.assertNoStackTrace();
        assertEquals(Main.BAD_INPUT, run.exitCode());
        assertEquals("", run.out());
        String[] lines = run.err().split("\n");
        assertEquals(model + ":5:16: error: unknown name `zz`", lines[0]);
        assertEquals("  loss J = x^2 + zz", lines[1]);
        assertEquals("                 ^^", lines[2]);
        assertTrue(run.err().contains(model + ":6:12: error: unknown function `sqaure`\n"), run.err());
        assertEquals("2 errors", lines[lines.length - 1]);
    }

    @Test
    void syntaxErrorExitsTwoWithPosition() throws IOException {
        Path model = write("syntax.model", "model M\nparam x = 1.0\nloss J = (x - 3\n");
        Run run = run("check", model.toString());
        run.assertNoStackTrace();
        assertEquals(Main.BAD_INPUT, run.exitCode());
        assertEquals("", run.out());
        assertTrue(run.err().startsWith(model + ":3:10: error: "), run.err());
        assertTrue(run.err().endsWith("1 error\n"), run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "// only a comment\n", "model", "model M\nloss J = \u0000\n", "model M model N",
            "model M\nparam x = 1e99999\nloss J = x", "model M\nparam p = 1\nloss L = p @ p @ p\n",
            "model M\nx = ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((("})
    void oddInputsAreReportedNotThrown(String text) throws IOException {
        Path model = write("odd.model", text);
        Run run = run("check", model.toString());
        run.assertNoStackTrace();
        assertEquals(Main.BAD_INPUT, run.exitCode(), run.err());
        assertEquals("", run.out());
        assertTrue(run.err().startsWith(model + ":"), run.err());
    }

    @Test
    void missingFileIsOneLineError() {
        Path missing = dir.resolve("absent.model");
        run("check", missing.toString()).assertOneLineError(missing.toString(), "no such file");
    }

    @Test
    void folderIsOneLineError() {
        run("check", dir.toString()).assertOneLineError(dir.toString(), "folder");
    }

    @Test
    void fileThatIsNotUtf8IsADiagnosticAtItsFirstBadByte() throws IOException {
        Path latin1 = dir.resolve("latin1.model");
        Files.write(latin1, "model M\n// caf\u00e9\nparam x = 1\n".getBytes(StandardCharsets.ISO_8859_1));
        Run run = run("check", latin1.toString());
        assertEquals(Main.BAD_INPUT, run.exitCode(), run.err());
        assertEquals(latin1 + ":2:7: error: not valid UTF-8 text\n"
                + "  // caf\n"
                + "        ^\n"
                + "  help: save the file as UTF-8\n"
                + "1 error\n", run.err());
    }

    @Test
    void unknownFlagIsUsageError() throws IOException {
        Path model = write("quadratic.model", VALID_MODEL);
        run("check", "--frobnicate", model.toString()).assertUsageError("Unknown option: '--frobnicate'");
    }

    @Test
    void missingFileArgumentIsUsageError() {
        run("check").assertUsageError("Missing required parameter: 'FILE'");
    }

    @Test
    void extraArgumentIsUsageError() throws IOException {
        Path model = write("quadratic.model", VALID_MODEL);
        run("check", model.toString(), "extra").assertUsageError("'extra'");
    }
}
