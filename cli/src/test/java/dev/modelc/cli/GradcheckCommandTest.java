package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code modelc gradcheck}: the compiled f64 gradients against central differences, from the command line. */
class GradcheckCommandTest {
    private static final String LOGISTIC = "model Logistic\ninput x : [batch, 3]\ninput y : [batch]\n"
            + "param w : [3] = normal(0, 1)\nparam b = 0.1\nloss L = mean(bce_with_logits(x @ w + b, y))\n";
    /** At w = 0 the derivative of sqrt is infinite, which a gradient check must not pass. */
    private static final String EDGE = "model Edge\ninput x : [batch]\nparam w = 0\nloss L = mean(x * sqrt(w))\n";

    @TempDir
    Path folder;

    @Test
    void theSeedExamplePassesOnceAtItsStartingParams() {
        CommandLineRun run = CommandLineRun.of("gradcheck", CommandLineRun.quadratic());
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals(List.of("gradcheck Quadratic: passed (central differences, eps 1e-06, atol 1e-05, rtol 0.001)",
                "  the model has no inputs: checked once, at the params it starts from"), run.outLines());
        assertEquals("", run.err());
    }

    @Test
    void aModelWithInputsIsCheckedOnRandomBatches() throws IOException {
        CommandLineRun run = CommandLineRun.of("gradcheck", write("logistic.model", LOGISTIC), "--tries", "5",
                "--batch", "3", "--seed", "9");
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals("  5 cases of random inputs checked, seed 9", run.outLines().get(1));
    }

    @Test
    void theFastModeComparesAlongRandomDirections() throws IOException {
        CommandLineRun run = CommandLineRun.of("gradcheck", write("logistic.model", LOGISTIC), "--fast", "3");
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals("gradcheck Logistic: passed (3 random directions (seed 0), eps 1e-06, atol 1e-05, rtol 0.001)",
                run.outLines().get(0));
    }

    @Test
    void anInfiniteGradientFailsWithTheReportAndTheShrunkCase() throws IOException {
        String file = write("edge.model", EDGE);
        CommandLineRun run = CommandLineRun.of("gradcheck", file, "--seed", "3");
        assertEquals(1, run.exitCode(), run.transcript());
        List<String> lines = run.outLines();
        assertTrue(lines.get(0).startsWith("gradcheck Edge: FAILED (central differences"), run.transcript());
        assertTrue(run.out().contains("  worst: w (flat index 0): analytic NaN, numeric NaN: not finite\n"),
                run.transcript());
        assertTrue(run.out().contains("  found on try 1 of 20 (seed 3), shrunk in "), run.transcript());
        // x * sqrt(w) fails for any x at w = 0, so one row of 0 is the simplest case.
        assertTrue(run.out().contains(" steps to:\n    batch 1\n      x = [0.0]\n"), run.transcript());
        assertEquals("to reproduce: modelc gradcheck " + file + " --seed 3 --tries 1 --batch 8",
                lines.get(lines.size() - 1));
    }

    @Test
    void theReproduceLineReproducesTheFailure() throws IOException {
        String file = write("edge.model", EDGE);
        CommandLineRun first = CommandLineRun.of("gradcheck", file, "--seed", "5", "--batch", "4");
        String reproduce = first.outLines().get(first.outLines().size() - 1);
        String[] args = reproduce.substring("to reproduce: modelc ".length()).split(" ");
        CommandLineRun again = CommandLineRun.of(args);
        assertEquals(1, again.exitCode(), again.transcript());
        assertEquals(first.out().replace("try 1 of 20", "try 1 of 1"), again.out());
    }

    @Test
    void badFlagsAndBadModelsExitWithTwo() throws IOException {
        String model = write("logistic.model", LOGISTIC);
        for (String[] args : List.of(new String[] {"gradcheck", model, "--tries", "0"},
                new String[] {"gradcheck", model, "--batch", "0"},
                new String[] {"gradcheck", model, "--fast", "0"},
                new String[] {"gradcheck", model, "--dtype", "f32"},
                new String[] {"gradcheck", folder.resolve("missing.model").toString()})) {
            CommandLineRun run = CommandLineRun.of(args);
            assertEquals(2, run.exitCode(), run.transcript());
            assertTrue(run.err().startsWith("modelc: error: "), run.transcript());
            assertEquals("", run.out());
        }
        CommandLineRun broken = CommandLineRun.of("gradcheck", write("broken.model", "model B\nparam w = \n"));
        assertEquals(2, broken.exitCode(), broken.transcript());
        assertTrue(broken.err().contains("broken.model:2:"), broken.transcript());
    }

    private String write(String name, String text) throws IOException {
        return Files.writeString(folder.resolve(name), text, StandardCharsets.UTF_8).toString();
    }
}
