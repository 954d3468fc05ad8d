package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --help} works for the command and every subcommand, and exits 0. */
class HelpTest {

    @Test
    void everyCommandHasHelp() {
        List<String> commands = new ArrayList<>(Main.commandLine().getSubcommands().keySet());
        assertTrue(commands.containsAll(List.of("check", "compile", "train", "predict", "eval", "sweep", "grad",
                "gradcheck", "graph", "memory", "help")),
                commands.toString());
        for (String command : commands) {
            CommandLineRun run = CommandLineRun.of(command, "--help");
            assertEquals(0, run.exitCode(), command + ": " + run.transcript());
            // picocli's own help command puts its description before the usage line.
            assertTrue(run.out().lines().anyMatch(l -> l.startsWith("Usage: modelc " + command + " ")),
                    command + ": " + run.out());
            assertEquals("", run.err(), command);
        }
    }

    @Test
    void topLevelHelpListsTheCommandsAndExitCodes() {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"help"}, new String[0])) {
            CommandLineRun run = CommandLineRun.of(args);
            assertEquals(0, run.exitCode(), run.transcript());
            assertTrue(run.out().startsWith("Usage: modelc "), run.out());
            for (String command : List.of("check", "compile", "train", "predict", "eval", "sweep", "grad", "gradcheck",
                    "graph", "memory")) {
                assertTrue(run.out().contains("\n  " + command + " "), command + " missing from " + run.out());
            }
            assertTrue(run.out().contains("Exit codes: 0 success; 1 the run failed"), run.out());
            assertTrue(run.out().contains("3 an internal error, a bug in modelc."), run.out());
        }
    }

    @Test
    void versionIsTheBuildsVersion() throws Exception {
        // The version the module's pom inherits, read here from the pom itself.
        String pom = java.nio.file.Files.readString(java.nio.file.Path.of("pom.xml"));
        java.util.regex.Matcher parent = java.util.regex.Pattern.compile(
                "<artifactId>modelc-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(parent.find(), pom);
        CommandLineRun run = CommandLineRun.of("--version");
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals("modelc " + parent.group(1) + "\n", run.out().replace("\r\n", "\n"));
    }

    @Test
    void helpNamesACommandsOptions() {
        CommandLineRun run = CommandLineRun.of("help", "train");
        assertEquals(0, run.exitCode(), run.transcript());
        for (String option : List.of("--steps", "--lr", "--seed", "--dtype", "--save", "--resume", "--init", "--log",
                "--plot")) {
            assertTrue(run.out().contains(option), option);
        }
        assertFalse(run.out().contains("internal error"));
    }

    @Test
    void descriptionsAreWrappedByPicocliToTheWidth() {
        for (String command : Main.commandLine().getSubcommands().keySet()) {
            if (command.equals("help")) {
                continue; // picocli's own
            }
            CommandLineRun run = CommandLineRun.of(command, "--help");
            List<String> lines = run.outLines();
            int usageEnd = 1;
            while (lines.get(usageEnd).startsWith(" ")) {
                usageEnd++;
            }
            // The description: every line but its last reaches near the width, as wrapped text does.
            int end = usageEnd;
            while (end < lines.size() && !lines.get(end).startsWith(" ")) {
                end++;
            }
            for (int i = usageEnd; i < end - 1; i++) {
                assertTrue(lines.get(i).length() > 60, command + ": a hard break in\n" + run.out());
            }
            lines.forEach(line -> assertTrue(line.length() <= 80, command + ": " + line));
        }
    }

    @Test
    void onlyOptionsThatDoSomethingAreOffered() {
        String grad = CommandLineRun.of("grad", "--help").out();
        assertFalse(grad.contains("--dtype") || grad.contains("--package"), grad);
        String graph = CommandLineRun.of("graph", "--help").out();
        assertFalse(graph.contains("--dtype") || graph.contains("--package"), graph);
        String train = CommandLineRun.of("train", "--help").out();
        assertTrue(train.contains("--dtype") && !train.contains("--package"), train);
        assertFalse(train.contains("gradient descent"), "it trains with its optimizer, Adam or another: " + train);
        assertTrue(CommandLineRun.of("compile", "--help").out().contains("--package"));
        CommandLineRun ignored = CommandLineRun.of("grad", CommandLineRun.quadratic(), "--dtype", "f32");
        assertEquals(2, ignored.exitCode(), ignored.transcript());
        assertTrue(ignored.err().startsWith("modelc: error: Unknown options: '--dtype'"), ignored.err());
    }

    @Test
    void sweepShowsItsListOfRatesOnce() {
        String sweep = CommandLineRun.of("sweep", "--help").out();
        assertEquals(2, sweep.split("--lr=X,Y,\\.\\.\\.", -1).length - 1, "once in the synopsis, once below: " + sweep);
        assertFalse(sweep.contains("compare the runs:"), sweep);
        CommandLineRun bad = CommandLineRun.of("sweep", CommandLineRun.quadratic(), "--lr", "0.1,fast");
        assertEquals(2, bad.exitCode(), bad.transcript());
        assertTrue(bad.err().startsWith("modelc: error: --lr takes numbers separated by commas"), bad.err());
    }
}
