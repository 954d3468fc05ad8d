package dev.modelc.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code samples/fashion_cnn.model} on the Fashion-MNIST files of the Debian package
 * dataset-fashion-mnist, in a shortened run: its six epochs take minutes, so this trains one
 * (the cosine schedule then spans that one) and measures the 10,000 test images, of which at
 * least {@link #ACCURACY} must be right; {@code modelc eval} on the checkpoint repeats
 * the figure. Without the package the test is skipped, except under CI=true, where it fails.
 */
class FashionSampleTest {
    private static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");
    /** One epoch measured 0.8601 on JDK 17; a little below, for arithmetic that rounds otherwise. */
    private static final double ACCURACY = 0.85;

    @TempDir
    Path temp;

    @Test
    void aShortenedRunReachesItsStatedTestAccuracyAndEvalRepeatsIt() {
        boolean present = List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz").stream()
                .allMatch(f -> Files.isReadable(DATA.resolve(f)));
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must install dataset-fashion-mnist for this test");
        }
        Assumptions.assumeTrue(present, "dataset-fashion-mnist is not installed");
        String model = CommandLineRun.samples().resolve("fashion_cnn.model").toString();
        Path checkpoint = temp.resolve("fashion.safetensors");
        CommandLineRun run = CommandLineRun.of("train", model, "--epochs", "1", "--save", checkpoint.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().contains("training on 60000 rows in batches of 64 (938 steps an epoch, shuffled), "
                + "testing on 10000 rows"), run.transcript());
        double accuracy = TensorSamplesTest.lastAccuracy(run);
        assertTrue(accuracy >= ACCURACY, "test accuracy " + accuracy + " after one epoch, below "
                + ACCURACY + "\n" + run.transcript());

        CommandLineRun eval = CommandLineRun.of("eval", model, "--init", checkpoint.toString());
        assertEquals(0, eval.exitCode(), eval.transcript());
        assertTrue(eval.out().startsWith("FashionCnn on 10000 test images of "), eval.transcript());
        assertTrue(eval.out().contains(String.format(java.util.Locale.ROOT, "accuracy %.4f", accuracy)),
                eval.transcript());
    }
}
