package dev.modelc.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The tensor samples train on real and generated data to the figures their files promise. */
class TensorSamplesTest {
    private static final Pattern TEST_ACCURACY = Pattern.compile("test accuracy (\\d\\.\\d+)");

    @Test
    void digitsMlpReachesNinetyFivePercentTestAccuracy() {
        CommandLineRun run = train("digits_mlp.model");
        assertTrue(lastAccuracy(run) >= 0.95, run.transcript());
        assertTrue(run.out().contains("training on 1438 rows in batches of 32"), run.transcript());
        assertTrue(run.out().contains("testing on 359 rows"), run.transcript());
    }

    @Test
    void digitsCnnReachesNinetyEightAndAHalfPercentTestAccuracy() {
        CommandLineRun run = train("digits_cnn.model");
        assertTrue(lastAccuracy(run) >= 0.985, run.transcript());
        assertTrue(run.out().contains("done: 10 epochs, 450 steps"), run.transcript());
    }

    @Test
    void logisticRegressionReachesNinetyFivePercentOnHeldOutRows() {
        CommandLineRun run = train("logistic_regression.model");
        assertTrue(lastAccuracy(run) >= 0.95, run.transcript());
    }

    @Test
    void linearRegressionRecoversTheWeightsTheDataWasMadeWith() {
        CommandLineRun run = train("linear_regression.model");
        // samples/data/linear.csv holds y = 2*x0 - 3*x1 + 0.5*x2 + 1 exactly.
        double[] w = numbers(line(run, "w = "));
        double b = numbers(line(run, "b = "))[0];
        assertEquals(3, w.length);
        assertEquals(2.0, w[0], 1e-3);
        assertEquals(-3.0, w[1], 1e-3);
        assertEquals(0.5, w[2], 1e-3);
        assertEquals(1.0, b, 1e-3);
    }

    @Test
    void trainingIsDeterministic() {
        assertEquals(withoutTimes(train("digits_mlp.model").out()), withoutTimes(train("digits_mlp.model").out()));
    }

    @Test
    void flagsOverrideTheTrainBlock() {
        CommandLineRun run = CommandLineRun.of("train", CommandLineRun.samples().resolve("digits_mlp.model").toString(),
                "--epochs", "2", "--batch", "64", "--seed", "3");
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().contains("in batches of 64 (23 steps an epoch"), run.transcript());
        assertTrue(run.out().contains("done: 2 epochs, 46 steps"), run.transcript());
    }

    private static CommandLineRun train(String sample) {
        CommandLineRun run = CommandLineRun.of("train", CommandLineRun.samples().resolve(sample).toString());
        assertEquals(0, run.exitCode(), run.transcript());
        return run;
    }

    /** The test accuracy of the last epoch line. */
    static double lastAccuracy(CommandLineRun run) {
        double accuracy = -1;
        Matcher m = TEST_ACCURACY.matcher(run.out());
        while (m.find()) {
            accuracy = Double.parseDouble(m.group(1));
        }
        return accuracy;
    }

    private static String line(CommandLineRun run, String prefix) {
        List<String> lines = run.outLines();
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line `" + prefix + "...`:\n" + run.transcript()));
    }

    private static double[] numbers(String line) {
        Matcher m = Pattern.compile("-?\\d+\\.\\d+").matcher(line);
        return m.results().mapToDouble(r -> Double.parseDouble(r.group())).toArray();
    }

    private static String withoutTimes(String out) {
        return out.replaceAll("\\(\\d+\\.\\d s\\)", "");
    }
}
