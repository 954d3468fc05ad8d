package sample;

import dev.modelc.runtime.Trainer;
import java.io.PrintStream;
import java.util.Random;

/**
 * Trains {@link LinearRegression}, the class generated from src/main/model/sample/linear_regression.model,
 * on data made here from known weights, and prints how the loss falls and what it found.
 */
public final class Main {
    static final double[] TRUE_W = {2.0, -3.0, 0.5};
    static final double TRUE_B = 1.0;
    static final int ROWS = 64;

    private Main() {
    }

    public static void main(String[] args) {
        train(System.out);
    }

    /** Trains for the model's own {@code max_steps}, printing the loss every 50 steps; returns the model. */
    static LinearRegression train(PrintStream out) {
        float[] x = new float[ROWS * 3];
        float[] y = new float[ROWS];
        makeData(new Random(42), x, y);
        LinearRegression model = new LinearRegression(7L, ROWS);
        model.bind(x, y, ROWS);
        Trainer.Result result = Trainer.train(model, LinearRegression.SIGNATURE.train().maxSteps(),
                (step, loss, m) -> {
                    if (step % 50 == 0) {
                        out.printf("step %3d  loss %.4e%n", step, loss);
                    }
                });
        out.printf("after %d steps: loss %.4e, w = (%.3f, %.3f, %.3f), b = %.3f%n", result.updates(),
                result.loss(), model.param(0, 0), model.param(0, 1), model.param(0, 2), model.param(1, 0));
        return model;
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
