package sample;

import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.TrainingPosition;
import dev.modelc.runtime.TrainingSettings;
import dev.modelc.runtime.checkpoint.Checkpoint;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Random;

/**
 * Trains {@link LinearRegression}, the class generated from src/main/model/sample/linear_regression.model, on
 * data made here from known weights, and saves it as the checkpoint the application ships:
 * <pre>
 * java -cp target/linear-regression-app-1.0.jar sample.Train src/main/resources/sample/linear_regression.safetensors
 * </pre>
 */
public final class Train {
    static final double[] TRUE_W = {2.0, -3.0, 0.5};
    static final double TRUE_B = 1.0;
    static final int ROWS = 64;
    static final long SEED = 7L;
    static final long DATA_SEED = 42L;

    private Train() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java -cp APP.jar sample.Train CHECKPOINT");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        save(train(System.out), file);
        System.out.println("saved " + file);
    }

    /** Trains for the model's own {@code max_steps}, printing the loss every 50 steps; returns the model. */
    static LinearRegression train(PrintStream out) {
        float[] x = new float[ROWS * 3];
        float[] y = new float[ROWS];
        makeData(new Random(DATA_SEED), x, y);
        LinearRegression model = new LinearRegression(SEED, ROWS);
        model.bind(x, y, ROWS);
        // The inputs are bound: each step trains on all of them, as the train block says.
        Trainer.Result result = Trainer.train(model, TrainingSettings.of(LinearRegression.SIGNATURE),
                Trainer.Listener.onStep((m, step, epoch, loss) -> {
                    if (step % 50 == 0) {
                        out.printf("step %3d  loss %.4e%n", step, loss);
                    }
                }));
        out.printf("after %d steps: loss %.4e, w = (%.3f, %.3f, %.3f), b = %.3f%n", result.steps(),
                result.loss(), model.param(0, 0), model.param(0, 1), model.param(0, 2), model.param(1, 0));
        return model;
    }

    /** Writes the trained params, and how they were trained, as a safetensors checkpoint. */
    static void save(LinearRegression model, Path file) throws IOException {
        Checkpoint.of(model, TrainingPosition.afterUpdates(model.stepCount()),
                new Checkpoint.Run(SEED, 0, false, ROWS)).write(file);
    }

    /** Rows of three features in [-1, 1) and their exact label under the true weights. */
    static void makeData(Random random, float[] x, float[] y) {
        for (int row = 0; row < y.length; row++) {
            double label = TRUE_B;
            for (int j = 0; j < 3; j++) {
                float feature = (float) (2 * random.nextDouble() - 1);
                x[row * 3 + j] = feature;
                label += TRUE_W[j] * feature;
            }
            y[row] = (float) label;
        }
    }
}
