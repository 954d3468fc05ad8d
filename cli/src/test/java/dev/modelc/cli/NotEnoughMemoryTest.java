package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model within every limit can still need more memory than the JVM has: making it is then bad
 * input with advice (exit 2), not an internal error. Run in a JVM of its own with a small heap.
 */
class NotEnoughMemoryTest {
    @TempDir
    Path folder;

    @Test
    void aModelLargerThanTheHeapIsBadInput() throws IOException, InterruptedException {
        // W alone is 8192 x 8192 doubles, 512 MiB, in a heap of 128 MiB.
        Path model = Files.writeString(folder.resolve("big.model"),
                "model Big\nparam W : [8192, 8192] = 0\nloss L = sum(W)\n", StandardCharsets.UTF_8);
        Path err = folder.resolve("err.txt");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-Dmodelc.cache=" + System.getProperty("modelc.cache", "off"), "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "train", model.toString(), "--steps", "1")
                .redirectOutput(folder.resolve("out.txt").toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "still running");
        List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
        assertEquals(2, process.exitValue(), String.join("\n", lines));
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("modelc: error: not enough memory to make model `Big` "), lines.get(0));
        assertFalse(lines.get(0).contains("internal error"), lines.get(0));
    }
}
