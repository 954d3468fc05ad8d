package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * An internal error, a bug in modelc whatever the input, exits 3 with one line that says so and
 * gives the command whose output to report; the stack trace comes only with {@code --debug}.
 * A command that fails on purpose stands in for the bug, added beside the real ones.
 */
class InternalErrorTest {
    @TempDir
    Path folder;

    @Test
    void aBugExitsThreeWithOneLineAndTheCommandToReportIt() {
        CommandLineRun run = runWithABug("explode", "my model.model", "--steps", "3");
        assertEquals(Main.INTERNAL_ERROR, run.exitCode(), run.transcript());
        assertEquals("", run.out());
        assertEquals(List.of("modelc: internal error (a bug in modelc): java.lang.IllegalStateException: "
                + "an invariant broke; to report it, send the model with the output of: "
                + "modelc --debug explode 'my model.model' --steps 3"), run.errLines());
    }

    @Test
    void debugPrintsTheStackTraceWhereverItStands() {
        for (String[] args : List.of(new String[] {"--debug", "explode", "m.model"},
                new String[] {"explode", "--debug", "m.model"})) {
            CommandLineRun run = runWithABug(args);
            assertEquals(Main.INTERNAL_ERROR, run.exitCode(), run.transcript());
            List<String> lines = run.errLines();
            assertEquals("modelc: internal error (a bug in modelc): java.lang.IllegalStateException: an invariant"
                    + " broke; to report it, send the model with this output", lines.get(0));
            assertEquals("java.lang.IllegalStateException: an invariant broke", lines.get(1));
            assertTrue(lines.get(2).startsWith("\tat dev.modelc.cli.InternalErrorTest$Explode.call("), lines.get(2));
        }
    }

    @Test
    void anErrorBeyondExceptionsIsABugToo() {
        CommandLineRun run = runWithABug("overflow");
        assertEquals(Main.INTERNAL_ERROR, run.exitCode(), run.transcript());
        assertEquals(1, run.errLines().size(), run.transcript());
        assertTrue(run.err().startsWith("modelc: internal error (a bug in modelc): java.lang.StackOverflowError;"),
                run.err());
    }

    @Test
    void aUserErrorIsNotOne() {
        CommandLineRun run = CommandLineRun.of("check", folder.resolve("absent.model").toString());
        assertEquals(Main.BAD_INPUT, run.exitCode(), run.transcript());
        assertFalse(run.err().contains("internal error"), run.err());
    }

    @Test
    void theProcessExitsThreeWithoutAStackTrace() throws IOException, InterruptedException {
        for (boolean debug : List.of(false, true)) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), WithABug.class.getName()));
            if (debug) {
                command.add("--debug");
            }
            command.add("explode");
            Path err = folder.resolve("err.txt");
            Process process = new ProcessBuilder(command).redirectOutput(folder.resolve("out.txt").toFile())
                    .redirectError(err.toFile()).start();
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "still running");
            List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
            assertEquals(Main.INTERNAL_ERROR, process.exitValue(), String.join("\n", lines));
            assertTrue(lines.get(0).startsWith("modelc: internal error (a bug in modelc): "), lines.get(0));
            assertEquals(debug, lines.size() > 1, String.join("\n", lines));
            assertEquals(debug, lines.stream().anyMatch(l -> l.startsWith("\tat ")), String.join("\n", lines));
        }
    }

    private static CommandLineRun runWithABug(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.execute(withABug(new PrintWriter(out, true), new PrintWriter(err, true)), args);
        return new CommandLineRun(exitCode, out.toString(), err.toString());
    }

    private static CommandLine withABug(PrintWriter out, PrintWriter err) {
        // Streams set again: picocli gives them only to the subcommands there when they are set.
        return Main.commandLine(out, err).addSubcommand("explode", new Explode())
                .addSubcommand("overflow", new Overflow()).setOut(out).setErr(err);
    }

    /** The modelc command with a bug in it, run as its own process as {@code modelc} is. */
    static final class WithABug {
        public static void main(String[] args) {
            PrintWriter out = new PrintWriter(System.out, true);
            PrintWriter err = new PrintWriter(System.err, true);
            System.exit(Main.execute(withABug(out, err), args));
        }
    }

    @CommandLine.Command(name = "explode")
    static final class Explode implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Parameters(arity = "0..1")
        String model;

        @CommandLine.Option(names = "--steps")
        int steps;

        @Override
        public Integer call() {
            throw new IllegalStateException("an invariant broke");
        }
    }

    @CommandLine.Command(name = "overflow")
    static final class Overflow implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            return deeper(0);
        }

        private static int deeper(int depth) {
            return deeper(depth + 1) + 1;
        }
    }
}
