package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code modelc grad}: the simplified derivative of the loss for each param. */
class GradCommandTest {
    private static final Path GOLDENS = Path.of("src/test/resources/grad");
    private static final boolean UPDATE = Boolean.getBoolean("modelc.updateGoldens");
    private static final Pattern TERM = Pattern.compile("^(t\\d+) = (.*)$");

    @TempDir
    Path folder;

    @Test
    void printsTheSeedExampleGradientsAsAPersonWritesThem() {
        CommandLineRun run = CommandLineRun.of("grad", CommandLineRun.quadratic());
        assertEquals(0, run.exitCode(), run.transcript());
        // d(x^2 + 2y^2)/dx = 2x and d/dy = 2 * 2y = 4y
        assertEquals(List.of("dJ/dx = 2 * x", "dJ/dy = 4 * y"), run.outLines());
        assertEquals("", run.err());
    }

    /** micrograd's README example: its gradients repeat parts many times over; each is printed once. */
    @Test
    void sharedPartsArePrintedOnceByName() throws IOException {
        CommandLineRun run = CommandLineRun.of("grad", GOLDENS.resolve("micrograd.model").toString());
        assertEquals(0, run.exitCode(), run.transcript());
        Path expected = GOLDENS.resolve("micrograd.expected");
        if (UPDATE) {
            Files.writeString(expected, run.out(), StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(expected, StandardCharsets.UTF_8), run.out());
        assertEveryTermEarnsItsName(run.outLines());
        assertTrue(run.outLines().stream().allMatch(line -> line.length() <= 80), run.out());
    }

    @Test
    void theDigitsGradientsShareTheBackpropagatedError() {
        CommandLineRun run = CommandLineRun.of("grad", CommandLineRun.sample("digits_mlp.model"));
        assertEquals(List.of(
                "t1 = (probs - onehot(y, 10)) / batch",
                "t2 = t1 @ transpose(W2) * step(x @ W1 + b1)",
                "dL/dW1 = transpose(x) @ t2",
                "dL/db1 = sum(t2, axis = 0)",
                "dL/dW2 = transpose(h) @ t1",
                "dL/db2 = sum(t1, axis = 0)"), run.outLines());
        assertEveryTermEarnsItsName(run.outLines());
    }

    @Test
    void termNamesStepAroundTheModelsOwnNames() throws IOException {
        Path model = Files.writeString(folder.resolve("t.model"), """
                model T
                param a = 1.0
                param t1 = 2.0
                t2 = a * t1
                loss L = sin(a * t2)^2 + cos(a * t2)
                """, StandardCharsets.UTF_8);
        List<String> lines = CommandLineRun.of("grad", model.toString()).outLines();
        assertTrue(lines.get(0).startsWith("t3 = "), String.join("\n", lines));
        assertEveryTermEarnsItsName(lines);
    }

    /** Each term is used at least twice in the lines after it, and is more than a name or a number. */
    private static void assertEveryTermEarnsItsName(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            Matcher term = TERM.matcher(lines.get(i));
            if (!term.matches()) {
                continue;
            }
            Pattern use = Pattern.compile("\\b" + term.group(1) + "\\b");
            long uses = lines.subList(i + 1, lines.size()).stream().mapToLong(l -> use.matcher(l).results().count())
                    .sum();
            assertTrue(uses >= 2, term.group(1) + " is used " + uses + " times:\n" + String.join("\n", lines));
            assertTrue(!term.group(2).matches("-?[\\p{L}_][\\p{L}\\p{N}_]*|-?[0-9.e+-]+"), lines.get(i));
        }
    }
}
