package dev.modelc.samples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of the modelc command as its own process, {@code java -jar} of the packaged command
 * line, in a given folder: its exit code and what it printed.
 */
record CliProcess(int exitCode, String out, String err) {
    private static final long TIMEOUT_SECONDS = 120;

    /** The shaded jar of the command line, which the build packages before this module's tests. */
    static Path jar() {
        String path = System.getProperty("modelc.cliJar");
        if (path == null) {
            throw new IllegalStateException("system property modelc.cliJar is not set; run the tests with Maven");
        }
        Path jar = Path.of(path);
        assertTrue(Files.isRegularFile(jar), jar + " is missing; package the cli module first");
        return jar;
    }

    static CliProcess run(Path folder, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dmodelc.cache=" + System.getProperty("modelc.cache", "off"), "-jar", jar().toString()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("modelc-out", ".txt");
            Path err = Files.createTempFile("modelc-err", ".txt");
            Process process = new ProcessBuilder(command).directory(folder.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("modelc " + String.join(" ", args) + " ran over " + TIMEOUT_SECONDS + " s");
            }
            CliProcess run = new CliProcess(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Exits with {@code code}, and nothing it printed is a stack trace. */
    CliProcess assertExit(int code) {
        assertTrue(exitCode == code, "expected exit " + code + "\n" + transcript());
        for (String text : List.of(out, err)) {
            assertFalse(text.contains("Exception"), "an exception was printed\n" + transcript());
            assertFalse(text.contains("\tat "), "a stack trace was printed\n" + transcript());
        }
        return this;
    }

    /** The first line of standard error. */
    String firstErrorLine() {
        return err.lines().findFirst().orElse("");
    }

    String transcript() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
