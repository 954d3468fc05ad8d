package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code modelc completion} prints a script that bash and zsh load, completing commands and options. */
class CompletionTest {
    @TempDir
    Path folder;

    private Path script() throws IOException {
        CommandLineRun run = CommandLineRun.of("completion");
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals("", run.err());
        return Files.writeString(folder.resolve("modelc-completion.sh"), run.out(), StandardCharsets.UTF_8);
    }

    /** What the completion function offers for the words of a command line, the last one being typed. */
    private static String complete(String shell, String setup, Path script, String... words) throws Exception {
        String array = String.join(" ", words);
        String line = String.join(" ", words);
        String program = setup + "source '" + script + "'\n"
                + "COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1) + "; COMP_LINE='" + line + "'; "
                + "COMP_POINT=" + line.length() + "\n"
                + "_complete_modelc modelc '" + words[words.length - 1] + "' '" + words[words.length - 2] + "' "
                + "2>/dev/null\n"
                + "complete -p modelc\n"
                + "echo \"${COMPREPLY[@]}\"\n";
        Process process = new ProcessBuilder(shell, "-c", program).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), shell + " still running");
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    @Test
    void bashCompletesCommandsAndTheirOptions() throws Exception {
        Path script = script();
        String commands = complete("bash", "", script, "modelc", "tr");
        assertTrue(commands.contains("-F _complete_modelc"), commands);
        assertTrue(commands.endsWith("train\n"), commands);
        String options = complete("bash", "", script, "modelc", "train", "--st");
        assertTrue(options.endsWith("--steps\n"), options);
        String sweep = complete("bash", "", script, "modelc", "sweep", "--l");
        assertTrue(sweep.endsWith("--lr\n"), sweep);
        String every = complete("bash", "", script, "modelc", "");
        for (String command : List.of("check", "compile", "train", "sweep", "grad", "gradcheck", "graph", "memory",
                "completion", "help")) {
            assertTrue(every.contains(command), command + " in " + every);
        }
    }

    @Test
    void zshLoadsTheSameScript() throws Exception {
        boolean present = Files.isExecutable(Path.of("/usr/bin/zsh")) || Files.isExecutable(Path.of("/bin/zsh"));
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must install zsh for this test");
        }
        Assumptions.assumeTrue(present, "zsh is not installed");
        String setup = "autoload -U +X compinit && compinit -u\nautoload -U +X bashcompinit && bashcompinit\n";
        String commands = complete("zsh", setup, script(), "modelc", "");
        assertTrue(commands.contains("-F _complete_modelc"), commands);
        for (String command : List.of("check", "train", "sweep", "completion")) {
            assertTrue(commands.contains(command), command + " in " + commands);
        }
    }
}
