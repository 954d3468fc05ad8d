package dev.modelc.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Draws DOT text as SVG or PNG with Graphviz's {@code dot} program, run as a subprocess with a
 * time limit. The program is {@code dot} on the PATH, or the system property {@code modelc.dot}.
 */
final class Graphviz {
    static final long TIMEOUT_SECONDS = 60;
    static final String INSTALL_HINT = "install Graphviz (Debian and Ubuntu: `apt-get install graphviz`; macOS: "
            + "`brew install graphviz`), or write DOT with `-o FILE.dot`";

    private Graphviz() {
    }

    /** Renders {@code dot} in {@code format} ({@code svg} or {@code png}) and returns the picture's bytes. */
    static byte[] render(String dot, String format) throws IOException {
        Path errors = Files.createTempFile(".modelc-dot-", ".txt");
        Path image = Files.createTempFile(".modelc-dot-", "." + format);
        try {
            run(dot, format, image, errors);
            return Files.readAllBytes(image);
        } finally {
            Files.deleteIfExists(errors);
            Files.deleteIfExists(image);
        }
    }

    private static void run(String dot, String format, Path image, Path errors) throws IOException {
        String program = System.getProperty("modelc.dot", "dot");
        Process process;
        try {
            process = new ProcessBuilder(program, "-T" + format, "-o", image.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(errors.toFile())
                    .start();
        } catch (IOException e) {
            throw new Failures.UserError("drawing ." + format + " needs Graphviz `" + program
                    + "`, which was not found; " + INSTALL_HINT);
        }
        try (OutputStream in = process.getOutputStream()) {
            in.write(dot.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // dot stopped reading early; its exit code and messages say why.
        }
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new Failures.UserError("Graphviz `" + program + "` took longer than " + TIMEOUT_SECONDS
                        + " s and was stopped; write DOT with `-o FILE.dot` instead");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new Failures.UserError("interrupted while Graphviz `" + program + "` was drawing");
        }
        if (process.exitValue() != 0) {
            String message = Files.readString(errors, StandardCharsets.UTF_8).strip();
            throw new Failures.UserError("Graphviz `" + program + "` failed with exit code " + process.exitValue()
                    + (message.isEmpty() ? "" : ": " + message));
        }
    }
}
