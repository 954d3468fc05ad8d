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
        assertTrue(commands.containsAll(List.of("check", "compile", "train", "sweep", "grad", "gradcheck", "graph",
                "memory", "help")),
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
            for (String command : List.of("check", "compile", "train", "sweep", "grad", "gradcheck", "graph", "memory")) {
                assertTrue(run.out().contains("\n  " + command + " "), command + " missing from " + run.out());
            }
            assertTrue(run.out().contains("Exit codes: 0 success; 1 the run failed"), run.out());
            assertTrue(run.out().contains("3 an internal error, a bug in modelc."), run.out());
        }
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
}
