package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model whose generated method javac refuses for its size is bad input: a diagnostic at the
 * loss, exit code 2, no stack trace and no file written.
 */
class ModelTooLargeTest {
    @TempDir
    Path folder;

    private Path model;

    @BeforeEach
    void writeModel() throws IOException {
        // 45 definitions of 100 nested sines: the checks of firstNonFinite() need more than 64 KiB of bytecode.
        StringBuilder text = new StringBuilder("model Deep\nparam x = 0.5\n");
        for (int i = 0; i < 45; i++) {
            text.append("h").append(i).append(" = ").append("sin(".repeat(100)).append("x + ").append(i)
                    .append(")".repeat(100)).append('\n');
        }
        text.append("loss L = h0");
        for (int i = 1; i < 45; i++) {
            text.append(" + h").append(i);
        }
        text.append("\ntrain {\n  optimizer gd(lr = 0.1)\n  max_steps 3\n}\n");
        model = Files.writeString(folder.resolve("deep.model"), text, StandardCharsets.UTF_8);
    }

    @Test
    void trainRefusesIt() {
        assertRefused(CommandLineRun.of("train", model.toString()));
    }

    @Test
    void gradcheckRefusesIt() {
        assertRefused(CommandLineRun.of("gradcheck", model.toString()));
    }

    @Test
    void compileWritesNothing() throws IOException {
        Path output = Files.createDirectories(folder.resolve("out"));
        assertRefused(CommandLineRun.of("compile", model.toString(), "-o", output.toString(), "--package", "p.q"));
        try (Stream<Path> files = Files.walk(output)) {
            assertEquals(List.of(output), files.toList());
        }
    }

    @Test
    void compileWithADumpAndNoOutputPrintsTheSource() {
        CommandLineRun run = CommandLineRun.of("compile", model.toString(), "--dump", "java");
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().contains("public final class Deep implements TrainableModel"), run.transcript());
    }

    @Test
    void checkCannotTell() {
        CommandLineRun run = CommandLineRun.of("check", model.toString());
        assertEquals(0, run.exitCode(), run.transcript());
    }

    private void assertRefused(CommandLineRun run) {
        assertEquals(Main.BAD_INPUT, run.exitCode(), run.transcript());
        assertEquals("", run.out(), run.transcript());
        List<String> lines = run.errLines();
        assertEquals(model + ":48:6: error: model `Deep` is too large for one generated Java method: javac refuses `",
                lines.get(0).substring(0, lines.get(0).indexOf('`', lines.get(0).indexOf("refuses")) + 1),
                run.transcript());
        assertTrue(lines.get(1).startsWith("  loss L = h0 + h1 + h2"), run.transcript());
        assertEquals("       ^", lines.get(2), run.transcript());
        assertTrue(lines.get(3).startsWith("  help: use fewer, larger tensor operations"), run.transcript());
        assertEquals("1 error", lines.get(4), run.transcript());
        assertEquals(5, lines.size(), run.transcript());
        assertFalse(run.err().contains("internal error") || run.err().contains("\tat "), run.transcript());
    }
}
