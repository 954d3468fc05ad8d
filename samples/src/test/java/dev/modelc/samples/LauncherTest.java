package dev.modelc.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./modelc} launcher, run as a user runs it, from a copy of the project that holds
 * only the script and the packaged command line: it makes its class-data-sharing archive once,
 * keeps the JVM's incubator-module warning off standard error, and passes exit codes through.
 */
class LauncherTest {
    private static final String JAR = "modelc-cli-0.1.0-SNAPSHOT-all.jar";

    @TempDir
    Path root;

    private record Run(int exitCode, String out, String err) {
        String transcript() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private Run modelc(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", root.resolve("modelc").toString()));
        command.addAll(List.of(args));
        Path out = root.resolve("out.txt");
        Path err = root.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(CommandLineRun.samples().toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("XDG_CACHE_HOME", root.resolve("cache").toString());
        Process process = builder.start();
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), "modelc " + String.join(" ", args) + " still running");
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private List<Path> archives() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("cli/target"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsa")).toList();
        }
    }

    @Test
    void makesItsArchiveOnceAndRunsQuietly() throws Exception {
        Path launcher = CommandLineRun.samples().resolve("../modelc");
        Files.copy(launcher, root.resolve("modelc"));
        Files.createDirectories(root.resolve("cli/target"));
        Files.copy(CliProcess.jar(), root.resolve("cli/target/" + JAR));

        Run first = modelc("train", "quadratic.model");
        assertEquals(0, first.exitCode(), first.transcript());
        assertTrue(first.out().contains("stopped: J < 0.005 after 17 updates (J = 0.004564)"), first.transcript());
        assertTrue(first.err().contains("modelc: preparing a faster start"), first.transcript());
        assertFalse(first.err().contains("WARNING"), first.transcript());
        assertEquals(1, archives().size(), archives().toString());
        long archived = Files.getLastModifiedTime(archives().get(0)).toMillis();

        Run second = modelc("train", "quadratic.model");
        assertEquals(first.out(), second.out());
        assertFalse(second.err().contains("preparing"), second.transcript());
        assertFalse(second.err().contains("WARNING"), second.transcript());
        assertTrue(second.err().matches("17 steps in [0-9.]+ s: [0-9]+ steps/s\n"), second.transcript());
        assertEquals(archived, Files.getLastModifiedTime(archives().get(0)).toMillis(), "made once");

        Path broken = root.resolve("broken.model");
        Files.writeString(broken, "model B\nloss L = z\n");
        Run check = modelc("check", broken.toString());
        assertEquals(2, check.exitCode(), check.transcript());
        assertTrue(check.err().startsWith(broken + ":2:10: error: unknown name `z`"), check.transcript());
        assertEquals("", check.out());

        // A rebuilt jar gets a new archive.
        Files.setLastModifiedTime(root.resolve("cli/target/" + JAR),
                java.nio.file.attribute.FileTime.fromMillis(archived + 10_000));
        Run rebuilt = modelc("check", "quadratic.model");
        assertEquals(0, rebuilt.exitCode(), rebuilt.transcript());
        assertTrue(rebuilt.err().contains("preparing"), rebuilt.transcript());
        assertEquals("quadratic.model: ok\n", rebuilt.out());
    }
}
