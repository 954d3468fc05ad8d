package dev.modelc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs the commands people run most on small models of its own, printing nothing, so that the
 * JVM can list the classes they load ({@code -XX:DumpLoadedClassList}) for the class-data-sharing
 * archive the {@code modelc} launcher makes: with it, those classes start mapped, not loaded.
 * Each model runs twice with a class cache of its own in a temporary folder: the first run lists
 * the compiler's and javac's classes, the second those of a run that finds its model in the cache.
 */
public final class Warmup {
    private static final String SCALAR = """
            model Warm
            param x = -3.0
            param y = -3.0
            h = x^2
            loss J = h + 2 * y^2
            metric m = abs(x)
            train {
              optimizer gd(lr = 0.1)
              stop when J < 0.005
              max_steps 100
            }
            """;

    private static final String BROKEN = """
            model Broken
            param x = 1.0
            loss J = z^2 + x**3
            metric m = mean(
            """;

    private static final String DATA = """
            model WarmData
            input x : [batch, 3]
            input y : int[batch]
            param W : [3, 2] = glorot_uniform
            param b : [2] = 0
            logits = relu(x @ W + b)
            loss L = mean(softmax_cross_entropy(logits, y))
            metric accuracy = mean(argmax(logits, axis = 1) == y)
            train {
              data csv("warm.csv", label = last, test = 0.25, standardize = true)
              batch 4 shuffle
              optimizer adam(lr = 0.01)
              schedule cosine(warmup = 2)
              epochs 2
              seed 1
            }
            """;

    private Warmup() {
    }

    public static void main(String[] args) throws IOException {
        Path folder = Files.createTempDirectory("modelc-warmup");
        try {
            Path scalar = Files.writeString(folder.resolve("warm.model"), SCALAR, StandardCharsets.UTF_8);
            Path broken = Files.writeString(folder.resolve("broken.model"), BROKEN, StandardCharsets.UTF_8);
            Path data = Files.writeString(folder.resolve("data.model"), DATA, StandardCharsets.UTF_8);
            StringBuilder rows = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                rows.append(i % 3).append(',').append(i % 5 - 2).append(',').append(i * 0.1).append(',')
                        .append(i % 2).append('\n');
            }
            Files.writeString(folder.resolve("warm.csv"), rows, StandardCharsets.UTF_8);
            System.setProperty("modelc.cache", folder.resolve("cache").toString());
            for (List<String> command : List.of(
                    List.of("check", scalar.toString()), List.of("check", scalar.toString()),
                    List.of("check", broken.toString()), List.of("train", scalar.toString()),
                    List.of("train", scalar.toString()), List.of("train", data.toString()),
                    List.of("train", data.toString()),
                    List.of("grad", scalar.toString()), List.of("--help"), List.of("train", "--help"),
                    List.of("train", scalar.toString(), "--no-such-flag"))) {
                PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
                Main.run(command.toArray(String[]::new), nowhere, nowhere);
            }
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
