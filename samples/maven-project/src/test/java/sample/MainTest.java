package sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.testing.GradCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void trainingRecoversTheWeightsTheDataWasMadeWith() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LinearRegression model = Main.train(new PrintStream(printed, true, StandardCharsets.UTF_8));

        for (int j = 0; j < 3; j++) {
            assertEquals(Main.TRUE_W[j], model.param(0, j), 1e-3, "w" + j);
        }
        assertEquals(Main.TRUE_B, model.param(1, 0), 1e-3, "b");
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("step   0  loss "), text);
        assertTrue(text.contains("after 300 steps"), text);
    }

    /**
     * The f64 variant from the generate-test goal: its gradients against finite differences
     * on 100 batches of random inputs. A failure prints the shrunk batch, the worst gradient
     * element and the seed that reproduces it.
     */
    @Test
    void gradientsMatchFiniteDifferences() {
        GradCheck.forAll(() -> new sample.f64.LinearRegression(11L), 100).check();
    }
}
