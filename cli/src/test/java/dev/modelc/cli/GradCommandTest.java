package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code modelc grad}: the simplified derivative of the loss for each param. */
class GradCommandTest {

    @Test
    void printsTheSeedExampleGradientsAsAPersonWritesThem() {
        CommandLineRun run = CommandLineRun.of("grad", CommandLineRun.quadratic());
        assertEquals(0, run.exitCode(), run.transcript());
        // d(x^2 + 2y^2)/dx = 2x and d/dy = 2 * 2y = 4y
        assertEquals(List.of("dJ/dx = 2 * x", "dJ/dy = 4 * y"), run.outLines());
        assertEquals("", run.err());
    }
}
