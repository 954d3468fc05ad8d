package dev.modelc.testing;

import dev.modelc.runtime.ModelSignature;
import java.util.List;

/** The models the GradCheck tests run on, each with its gradient right or wrong in a known way. */
final class Fakes {
    private Fakes() {
    }

    /**
     * The seed example {@code J = x^2 + 2 y^2} at (-3, -3), without inputs. Its gradient is
     * {@code (2x, 4y)}; {@code dyFactor} replaces the 4, so 2 makes dJ/dy wrong.
     */
    static FakeModel quadratic(double dyFactor) {
        ModelSignature signature = FakeModel.signature("Quadratic", "f64",
                List.of(new ModelSignature.Param("x", List.of()), new ModelSignature.Param("y", List.of())), List.of());
        return new FakeModel(signature, 1, new double[][] {{-3}, {-3}},
                (p, in, rows) -> p[0][0] * p[0][0] + 2 * p[1][0] * p[1][0],
                (p, in, rows, out) -> {
                    out[0][0] = 2 * p[0][0];
                    out[1][0] = dyFactor * p[1][0];
                });
    }

    /**
     * A line through points, {@code L = mean((x @ w + b - y)^2)} with x : [batch, 2], at
     * w = (0.5, -1.5), b = 0.25. With {@code wrongColumn}, dL/dw[1] is computed from column 0
     * of x instead of column 1, the kind of slip an indexing bug makes.
     */
    static FakeModel lineFit(boolean wrongColumn, int capacity) {
        ModelSignature signature = FakeModel.signature("LineFit", "f64",
                List.of(new ModelSignature.Param("w", List.of(2)), new ModelSignature.Param("b", List.of())),
                List.of(new ModelSignature.Input("x", List.of(ModelSignature.BATCH, 2), false, 0),
                        new ModelSignature.Input("y", List.of(ModelSignature.BATCH), false, 0)));
        return new FakeModel(signature, capacity, new double[][] {{0.5, -1.5}, {0.25}},
                Fakes::lineFitLoss, (p, in, rows, out) -> lineFitGradient(p, in, rows, out, wrongColumn));
    }

    static double residual(double[][] p, double[] x, double[] y, int row) {
        return x[2 * row] * p[0][0] + x[2 * row + 1] * p[0][1] + p[1][0] - y[row];
    }

    private static double lineFitLoss(double[][] p, Object[] in, int rows) {
        double[] x = (double[]) in[0];
        double[] y = (double[]) in[1];
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            double residual = residual(p, x, y, r);
            sum += residual * residual;
        }
        return sum / rows;
    }

    private static void lineFitGradient(double[][] p, Object[] in, int rows, double[][] out, boolean wrongColumn) {
        double[] x = (double[]) in[0];
        double[] y = (double[]) in[1];
        out[0][0] = 0;
        out[0][1] = 0;
        out[1][0] = 0;
        for (int r = 0; r < rows; r++) {
            double residual = residual(p, x, y, r);
            out[0][0] += 2 * residual * x[2 * r] / rows;
            out[0][1] += 2 * residual * x[2 * r + (wrongColumn ? 0 : 1)] / rows;
            out[1][0] += 2 * residual / rows;
        }
    }

    /** {@code L = |w|} at {@code w}, claiming {@code claimed} as its derivative. */
    static FakeModel absolute(double w, double claimed) {
        ModelSignature signature = FakeModel.signature("Absolute", "f64",
                List.of(new ModelSignature.Param("w", List.of())), List.of());
        return new FakeModel(signature, 1, new double[][] {{w}}, (p, in, rows) -> Math.abs(p[0][0]),
                (p, in, rows, out) -> out[0][0] = claimed);
    }

    /**
     * {@code L = mean(W[y, 0] * x)}, a label picking a row of W : [3, 1]: labels from an
     * {@code int[batch]} input with {@code classes} classes (0 for undeclared).
     */
    static FakeModel labelled(int classes) {
        ModelSignature signature = FakeModel.signature("Labelled", "f64",
                List.of(new ModelSignature.Param("W", List.of(3, 1))),
                List.of(new ModelSignature.Input("x", List.of(ModelSignature.BATCH), false, 0),
                        new ModelSignature.Input("y", List.of(ModelSignature.BATCH), true, classes)));
        return new FakeModel(signature, 8, new double[][] {{0.5, -1, 2}}, (p, in, rows) -> {
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                sum += p[0][((int[]) in[1])[r] % 3] * ((double[]) in[0])[r];
            }
            return sum / rows;
        }, (p, in, rows, out) -> {
            java.util.Arrays.fill(out[0], 0);
            for (int r = 0; r < rows; r++) {
                out[0][((int[]) in[1])[r] % 3] += ((double[]) in[0])[r] / rows;
            }
        });
    }

    /**
     * {@code L = mean(w * x)} at w = 0.5, whose claimed gradient counts a row twice when
     * {@code |x| >= 1} there: a bug only some values reach, so shrinking must keep one of them.
     */
    static FakeModel wrongForLargeInputs() {
        ModelSignature signature = FakeModel.signature("Scale", "f64",
                List.of(new ModelSignature.Param("w", List.of())),
                List.of(new ModelSignature.Input("x", List.of(ModelSignature.BATCH), false, 0)));
        return new FakeModel(signature, 8, new double[][] {{0.5}}, (p, in, rows) -> {
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                sum += p[0][0] * ((double[]) in[0])[r];
            }
            return sum / rows;
        }, (p, in, rows, out) -> {
            out[0][0] = 0;
            for (int r = 0; r < rows; r++) {
                double x = ((double[]) in[0])[r];
                out[0][0] += (Math.abs(x) >= 1 ? 2 * x : x) / rows;
            }
        });
    }
}
