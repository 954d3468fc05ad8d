package dev.modelc.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Linear regression written by hand as a generated model would be: {@code pred = x . w + b},
 * loss {@code mean((pred - y)^2)}, metric {@code mean(|pred - y|)}, plain gradient descent.
 * Buffers are sized for the capacity when the model is made.
 */
final class LinearRegressionModel implements TrainableModel {
    private final ModelSignature signature;
    private final int features;
    private final int capacity;
    private final double[] w;
    private final double[] dw;
    private final double[] residual;
    private double b;
    private double db;
    private double learningRate;
    private double absError;
    private double[] x;
    private double[] y;
    private int rows;

    LinearRegressionModel(int features, int capacity, double learningRate) {
        List<ModelSignature.Param> params = List.of(new ModelSignature.Param("w", List.of(features)),
                new ModelSignature.Param("b", List.of()));
        List<ModelSignature.Input> inputs = List.of(
                new ModelSignature.Input("x", List.of(ModelSignature.BATCH, features), false, 0),
                new ModelSignature.Input("y", List.of(ModelSignature.BATCH), false, 0));
        // The train block gives the rate, as the schedule reads it; the rest are the defaults.
        ModelSignature.TrainDefaults train = new ModelSignature.TrainDefaults("gd", Map.of("lr", learningRate),
                ModelSignature.Schedule.CONSTANT, 0, -1, 0, 0, false, 10, null);
        this.signature = new ModelSignature("Linear", "linear.model", "f64", params, inputs, "L", List.of("mae"),
                null, train);
        this.features = features;
        this.capacity = capacity;
        this.w = new double[features];
        this.dw = new double[features];
        this.residual = new double[capacity];
        this.learningRate = learningRate;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public int batchCapacity() {
        return capacity;
    }

    @Override
    public void bind(Object[] inputs, int rows) {
        this.x = (double[]) inputs[0];
        this.y = (double[]) inputs[1];
        this.rows = rows;
    }

    @Override
    public double forward() {
        double loss = 0;
        absError = 0;
        for (int r = 0; r < rows; r++) {
            double pred = b;
            for (int k = 0; k < features; k++) {
                pred += x[r * features + k] * w[k];
            }
            residual[r] = pred - y[r];
            loss += residual[r] * residual[r];
            absError += Math.abs(residual[r]);
        }
        absError /= rows;
        return loss / rows;
    }

    @Override
    public void backward() {
        Arrays.fill(dw, 0);
        db = 0;
        for (int r = 0; r < rows; r++) {
            double g = 2 * residual[r] / rows;
            for (int k = 0; k < features; k++) {
                dw[k] += g * x[r * features + k];
            }
            db += g;
        }
    }

    @Override
    public void step() {
        for (int k = 0; k < features; k++) {
            w[k] -= learningRate * dw[k];
        }
        b -= learningRate * db;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    @Override
    public boolean stopRequested() {
        return false;
    }

    @Override
    public double metric(int index) {
        return absError;
    }

    @Override
    public double param(int param, int index) {
        return param == 0 ? w[index] : b;
    }

    @Override
    public void setParam(int param, int index, double value) {
        if (param == 0) {
            w[index] = value;
        } else {
            b = value;
        }
    }

    @Override
    public double gradient(int param, int index) {
        return param == 0 ? dw[index] : db;
    }

    @Override
    public java.util.List<String> stateNames() {
        return java.util.List.of();
    }

    @Override
    public double state(int buffer, int index) {
        throw new IndexOutOfBoundsException("no state buffer " + buffer);
    }

    @Override
    public void setState(int buffer, int index, double value) {
        throw new IndexOutOfBoundsException("no state buffer " + buffer);
    }

    @Override
    public long stepCount() {
        return 0;
    }

    @Override
    public void setStepCount(long steps) {
        throw new UnsupportedOperationException("no step count");
    }
}
