package dev.modelc.runtime.checkpoint;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import java.util.List;

/**
 * A model with what a checkpoint holds and nothing more to it: params {@code w} [3] and
 * {@code b}, a velocity per param, a step count and a learning rate. Its "training" just moves every number, so states differ after each step.
 */
final class StateModel implements TrainableModel {
    final double[] w = new double[3];
    final double[] wVelocity = new double[3];
    double b;
    double bVelocity;
    long steps;
    double learningRate = 0.1;
    private final ModelSignature signature;
    private final boolean f32;

    StateModel(String dtype, List<Integer> wShape) {
        this(dtype, wShape, ModelSignature.Schedule.CONSTANT);
    }

    /** A model whose train block has the given learning-rate schedule. */
    StateModel(String dtype, List<Integer> wShape, ModelSignature.Schedule rates) {
        this.signature = new ModelSignature("State", "state.model", dtype,
                List.of(new ModelSignature.Param("w", wShape), new ModelSignature.Param("b", List.of())),
                List.of(), "L", List.of(), null,
                new ModelSignature.TrainDefaults("sgd", java.util.Map.of("lr", 0.1, "momentum", 0.9),
                        rates, 0, 10, 0, 0, false, 1, null));
        this.f32 = dtype.equals("f32");
        for (int i = 0; i < w.length; i++) {
            w[i] = i + 1;
        }
        b = -1;
    }

    StateModel() {
        this("f64", List.of(3));
    }

    private double stored(double value) {
        return f32 ? (float) value : value;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public int batchCapacity() {
        return 1;
    }

    @Override
    public void bind(Object[] inputs, int rows) {
    }

    @Override
    public double forward() {
        return w[0] + w[1] + w[2] + b;
    }

    @Override
    public void backward() {
    }

    @Override
    public void step() {
        for (int i = 0; i < 3; i++) {
            wVelocity[i] = stored(0.9 * wVelocity[i] + 1.0 / (i + 3));
            w[i] = stored(w[i] - learningRate * wVelocity[i]);
        }
        bVelocity = stored(0.9 * bVelocity + 0.7);
        b = stored(b - learningRate * bVelocity);
        steps++;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void setLearningRate(double learningRate) {
        this.learningRate = stored(learningRate);
    }

    @Override
    public boolean stopRequested() {
        return false;
    }

    @Override
    public double metric(int index) {
        throw new IndexOutOfBoundsException(index);
    }

    @Override
    public double param(int param, int index) {
        return param == 0 ? w[index] : b;
    }

    @Override
    public void setParam(int param, int index, double value) {
        if (param == 0) {
            w[index] = stored(value);
        } else {
            b = stored(value);
        }
    }

    @Override
    public double gradient(int param, int index) {
        return 0;
    }

    @Override
    public List<String> stateNames() {
        return List.of("w.velocity", "b.velocity");
    }

    @Override
    public double state(int buffer, int index) {
        return buffer == 0 ? wVelocity[index] : bVelocity;
    }

    @Override
    public void setState(int buffer, int index, double value) {
        if (buffer == 0) {
            wVelocity[index] = stored(value);
        } else {
            bVelocity = stored(value);
        }
    }

    @Override
    public long stepCount() {
        return steps;
    }

    @Override
    public void setStepCount(long steps) {
        this.steps = steps;
    }

    /** Every number a checkpoint covers, as raw bits, for comparing two models exactly. */
    long[] everything() {
        return new long[] {bits(w[0]), bits(w[1]), bits(w[2]), bits(b), bits(wVelocity[0]), bits(wVelocity[1]),
            bits(wVelocity[2]), bits(bVelocity), steps, bits(learningRate)};
    }

    private static long bits(double value) {
        return Double.doubleToRawLongBits(value);
    }
}
