package sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
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

    /** The f64 variant from the generate-test goal: its gradients against central differences. */
    @Test
    void gradientsMatchCentralDifferences() {
        int rows = 5;
        double[] x = new double[rows * 3];
        double[] y = new double[rows];
        Random random = new Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        for (int i = 0; i < rows; i++) {
            y[i] = random.nextGaussian();
        }
        sample.f64.LinearRegression model = new sample.f64.LinearRegression(11L, rows);
        model.bind(x, y, rows);
        double[] start = {0.3, -0.7, 1.1, 0.2};
        for (int k = 0; k < 4; k++) {
            model.setParam(k < 3 ? 0 : 1, k < 3 ? k : 0, start[k]);
        }
        model.forward();
        model.backward();
        double eps = 1e-6;
        for (int k = 0; k < 4; k++) {
            int param = k < 3 ? 0 : 1;
            int index = k < 3 ? k : 0;
            model.setParam(param, index, start[k] + eps);
            double up = model.forward();
            model.setParam(param, index, start[k] - eps);
            double down = model.forward();
            model.setParam(param, index, start[k]);
            double numeric = (up - down) / (2 * eps);
            assertEquals(numeric, model.gradient(param, index), 1e-6 * Math.max(1, Math.abs(numeric)), "k=" + k);
        }
    }
}
