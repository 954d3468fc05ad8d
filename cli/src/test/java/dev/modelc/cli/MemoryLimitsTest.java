package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.checkpoint.Checkpoint;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs in JVMs of their own with small heaps: a model that fits in memory to train fits to be
 * saved (the checkpoint is streamed from the model, not built in memory first), and data too
 * large for the heap is bad input that names the file, the heap and how to raise it.
 */
class MemoryLimitsTest {
    @TempDir
    Path folder;

    private record Run(int exitCode, String err) {
    }

    private Run modelc(String heap, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), heap, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path err = folder.resolve("err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(folder.resolve("out.txt").toFile())
                .redirectError(err.toFile()).start();
        assertTrue(process.waitFor(180, TimeUnit.SECONDS), "still running");
        return new Run(process.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void whatFitsToTrainFitsToBeSaved() throws Exception {
        // W is 2048 x 2048 doubles, 32 MiB, and its gradient as much again, in a heap of 128 MiB: a copy
        // of W and the file's bytes besides, as a checkpoint built in memory needs, do not fit.
        Path model = Files.writeString(folder.resolve("big.model"),
                "model Big\nparam W : [2048, 2048] = 0.5\nloss L = sum(W)\ntrain {\n  max_steps 2\n}\n");
        Path saved = folder.resolve("big.st");
        Run run = modelc("-Xmx128m", "train", model.toString(), "--save", saved.toString());
        assertEquals(0, run.exitCode(), run.err());
        Checkpoint checkpoint = Checkpoint.read(saved);
        assertEquals(2, checkpoint.position().steps());
        double[] w = checkpoint.file().tensors().get("W").values();
        assertEquals(2048 * 2048, w.length);
        // gd at its default rate 0.01 on a gradient of ones, twice.
        assertEquals(0.5 - 0.01 - 0.01, w[0]);
        assertEquals(0.5 - 0.01 - 0.01, w[w.length - 1]);
    }

    @Test
    void dataLargerThanTheHeapIsBadInputNamingTheHeap() throws Exception {
        Path model = Files.writeString(folder.resolve("line.model"), "model Line\ninput x : [batch, 1]\n"
                + "input y : [batch]\nparam w : [1] = 0\nloss L = mse(x @ w, y)\ntrain {\n"
                + "  data csv(\"big.csv\", label = last)\n}\n");
        // 8 million cells, 64 MiB as doubles, in a heap of 64 MiB.
        try (BufferedWriter csv = Files.newBufferedWriter(folder.resolve("big.csv"))) {
            for (int row = 0; row < 4_000_000; row++) {
                csv.write("1,2\n");
            }
        }
        Run run = modelc("-Xmx64m", "train", model.toString(), "--steps", "1");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().matches("(?s)modelc: error: \\Q" + folder.resolve("big.csv") + "\\E:\\d+: the data "
                + "does not fit in memory: the Java heap holds at most \\d+ MiB; give Java more, for example "
                + "JDK_JAVA_OPTIONS=-Xmx8g before ./modelc \\(or java -Xmx8g\\)\n"), run.err());
        assertFalse(run.err().contains("OutOfMemoryError"), run.err());
    }
}
