package dev.modelc.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exit codes README.md gives, from the packaged command run as its own process: 0 for
 * success, 1 for a run that failed, 2 for bad input of any kind, 3 for a bug in modelc (made on
 * purpose in the cli module's {@code InternalErrorTest}; here, as the help tells it). Every
 * failure is a message, never a stack trace, and leaves no file half-written.
 */
class ExitCodesTest {
    private static final int OK = 0;
    private static final int RUN_FAILED = 1;
    private static final int BAD_INPUT = 2;
    private static final String DIVERGING = """
            model Blowup
            param x = 1e150
            loss J = x^2
            train {
              optimizer gd(lr = 10)
              max_steps 100
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aGoodModelChecksAndTrainsWithExitZero() throws IOException {
        copySample("quadratic.model");
        assertTrue(CliProcess.run(dir, "check", "quadratic.model").assertExit(OK).out().contains("ok"));
        CliProcess.run(dir, "train", "quadratic.model", "--save", "end.safetensors").assertExit(OK);
        assertTrue(Files.size(dir.resolve("end.safetensors")) > 0);
    }

    @Test
    void theHelpGivesEveryExitCode() {
        String help = CliProcess.run(dir, "--help").assertExit(OK).out().replaceAll("\\s+", " ");
        assertTrue(help.contains("Exit codes: 0 success; 1 the run failed (diverged, or a gradient check failed);"
                + " 2 bad input (model, flags, files); 3 an internal error, a bug in modelc."), help);
        assertTrue(CliProcess.run(dir, "train", "--help").assertExit(OK).out().contains("--debug"));
    }

    @Test
    void aSyntaxErrorExitsTwoWithFileLineAndColumn() throws IOException {
        write("broken.model", "model M\nparam x = 1\nloss L = x^2 +\n");
        // Line 3 ends with `+` in column 14, and the error points at it.
        CliProcess run = CliProcess.run(dir, "check", "broken.model").assertExit(BAD_INPUT);
        assertTrue(run.firstErrorLine().startsWith("broken.model:3:14: error: `+` ends the line"), run.transcript());
        assertEquals("", run.out());
    }

    @Test
    void aMissingFileExitsTwo() {
        CliProcess run = CliProcess.run(dir, "check", "absent.model").assertExit(BAD_INPUT);
        assertTrue(run.firstErrorLine().contains("absent.model"), run.transcript());
    }

    @Test
    void aFileThatIsNotUtf8ExitsTwo() throws IOException {
        Files.write(dir.resolve("latin1.model"), "model M\n// caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        CliProcess run = CliProcess.run(dir, "check", "latin1.model").assertExit(BAD_INPUT);
        assertTrue(run.firstErrorLine().startsWith("latin1.model:2:7: error: not valid UTF-8"), run.transcript());
    }

    @Test
    void unknownOptionsAndCommandsExitTwo() throws IOException {
        copySample("quadratic.model");
        CliProcess.run(dir, "check", "--frobnicate", "quadratic.model").assertExit(BAD_INPUT);
        CliProcess.run(dir, "frobnicate", "quadratic.model").assertExit(BAD_INPUT);
        CliProcess.run(dir, "train", "quadratic.model", "--steps", "many").assertExit(BAD_INPUT);
        CliProcess.run(dir, "train").assertExit(BAD_INPUT);
    }

    @Test
    void aBadDataFileExitsTwoNamingItsLine() throws IOException {
        copySample("linear_regression.model");
        List<String> rows = Files.readAllLines(CommandLineRun.samples().resolve("data/linear.csv"));
        Files.createDirectories(dir.resolve("data"));
        // The fifth row, line 5 of the file (there is no header), gets a cell that is not a number.
        List<String> broken = new java.util.ArrayList<>(rows);
        broken.set(4, "0.1,abc,0.3,1.0");
        Files.write(dir.resolve("data/linear.csv"), broken);
        CliProcess run = CliProcess.run(dir, "train", "linear_regression.model", "--save", "w.safetensors")
                .assertExit(BAD_INPUT);
        assertTrue(run.err().contains("linear.csv:5"), run.transcript());
        assertFalse(Files.exists(dir.resolve("w.safetensors")));
    }

    @Test
    void aDamagedCheckpointExitsTwoAndNothingIsSaved() throws IOException {
        copySample("quadratic.model");
        CliProcess.run(dir, "train", "quadratic.model", "--steps", "3", "--save", "good.safetensors").assertExit(OK);
        byte[] good = Files.readAllBytes(dir.resolve("good.safetensors"));
        Files.write(dir.resolve("cut.safetensors"), Arrays.copyOf(good, good.length / 2));
        Files.writeString(dir.resolve("junk.safetensors"), "not a checkpoint at all");
        for (String[] flags : List.of(new String[] {"--resume", "cut.safetensors"},
                new String[] {"--init", "junk.safetensors"}, new String[] {"--resume", "absent.safetensors"})) {
            CliProcess run = CliProcess.run(dir, "train", "quadratic.model", flags[0], flags[1], "--save",
                    "after.safetensors").assertExit(BAD_INPUT);
            assertTrue(run.err().contains(flags[1]), run.transcript());
            assertFalse(Files.exists(dir.resolve("after.safetensors")), String.join(" ", flags));
        }
    }

    @Test
    void aRunThatDivergesExitsOneAndSavesNothing() throws IOException {
        write("blowup.model", DIVERGING);
        CliProcess run = CliProcess.run(dir, "train", "blowup.model", "--save", "blowup.safetensors")
                .assertExit(RUN_FAILED);
        assertTrue((run.out() + run.err()).contains("diverged"), run.transcript());
        assertFalse(Files.exists(dir.resolve("blowup.safetensors")));
    }

    @Test
    void savingIntoAFolderThatIsNotThereExitsTwoBeforeTraining() throws IOException {
        copySample("quadratic.model");
        CliProcess run = CliProcess.run(dir, "train", "quadratic.model", "--save", "no/such/folder/c.safetensors")
                .assertExit(BAD_INPUT);
        assertFalse(run.out().contains("iter"), "it trained first\n" + run.transcript());
        write("plain.txt", "a file, not a folder");
        CliProcess.run(dir, "train", "quadratic.model", "--save", "plain.txt/c.safetensors").assertExit(BAD_INPUT);
        assertEquals(List.of("plain.txt", "quadratic.model"), listing(dir));
    }

    @Test
    void savingOverAFolderExitsTwoAndLeavesNoTemporaryFile() throws IOException {
        copySample("quadratic.model");
        Files.createDirectories(dir.resolve("taken.safetensors"));
        CliProcess run = CliProcess.run(dir, "train", "quadratic.model", "--save", "taken.safetensors")
                .assertExit(BAD_INPUT);
        assertFalse(run.out().contains("iter"), "it trained first\n" + run.transcript());
        assertTrue(run.err().contains("taken.safetensors: is a folder"), run.transcript());
        assertEquals(List.of("quadratic.model", "taken.safetensors"), listing(dir));
        assertEquals(List.of(), listing(dir.resolve("taken.safetensors")));
    }

    @Test
    void aFailedCompileWritesNoFiles() throws IOException {
        write("broken.model", "model Broken\nparam x = 1\nloss L = y\n");
        CliProcess.run(dir, "compile", "broken.model", "-o", "out").assertExit(BAD_INPUT);
        assertFalse(Files.exists(dir.resolve("out")));
        // A folder where the class should go: refused before anything is written.
        copySample("quadratic.model");
        Files.createDirectories(dir.resolve("gen/Quadratic.java/inside"));
        CliProcess run = CliProcess.run(dir, "compile", "quadratic.model", "-o", "gen").assertExit(BAD_INPUT);
        assertTrue(run.firstErrorLine().startsWith("modelc: error: -o gen/Quadratic.java: is a folder"),
                run.transcript());
        assertEquals(List.of("Quadratic.java"), listing(dir.resolve("gen")));
        write("plain.txt", "a file, not a folder");
        CliProcess.run(dir, "compile", "quadratic.model", "-o", "plain.txt/out").assertExit(BAD_INPUT);
        CliProcess.run(dir, "compile", "quadratic.model", "-o", "good").assertExit(OK);
        assertEquals(List.of("Quadratic.java"), listing(dir.resolve("good")));
    }

    private void copySample(String name) throws IOException {
        Files.copy(CommandLineRun.samples().resolve(name), dir.resolve(name));
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static List<String> listing(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
