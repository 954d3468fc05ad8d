package dev.modelc.testing;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import java.util.List;

/**
 * A hand-written {@link TrainableModel} whose loss and gradient are given as functions, so
 * that a test can give it a gradient that is right or one that is wrong in a known way.
 */
final class FakeModel implements TrainableModel {
    /** The loss at the given params and inputs. */
    @FunctionalInterface
    interface Loss {
        double of(double[][] params, Object[] inputs, int rows);
    }

    /** The gradient the model claims, written into {@code out}, one array per param. */
    @FunctionalInterface
    interface Gradient {
        void of(double[][] params, Object[] inputs, int rows, double[][] out);
    }

    private final ModelSignature signature;
    private final int capacity;
    private final double[][] params;
    private final double[][] gradients;
    private final Loss loss;
    private final Gradient gradient;
    private Object[] inputs = new Object[0];
    private int rows;
    int forwardPasses;

    FakeModel(ModelSignature signature, int capacity, double[][] initial, Loss loss, Gradient gradient) {
        this.signature = signature;
        this.capacity = capacity;
        this.params = new double[initial.length][];
        this.gradients = new double[initial.length][];
        for (int p = 0; p < initial.length; p++) {
            params[p] = initial[p].clone();
            gradients[p] = new double[initial[p].length];
        }
        this.loss = loss;
        this.gradient = gradient;
    }

    /** A signature with these params and inputs, in {@code dtype}; no train settings, since nothing trains it. */
    static ModelSignature signature(String name, String dtype, List<ModelSignature.Param> params,
                                    List<ModelSignature.Input> inputs) {
        return new ModelSignature(name, name + ".model", dtype, params, inputs, "L", List.of(), null, null);
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
    public void bind(Object[] values, int count) {
        if (count < 1 || count > capacity) {
            throw new IllegalArgumentException("rows " + count + " for capacity " + capacity);
        }
        this.inputs = values;
        this.rows = count;
    }

    @Override
    public double forward() {
        forwardPasses++;
        return loss.of(params, inputs, rows);
    }

    @Override
    public void backward() {
        gradient.of(params, inputs, rows, gradients);
    }

    @Override
    public void step() {
        throw new UnsupportedOperationException("a gradient check never updates");
    }

    @Override
    public double learningRate() {
        return 0.1;
    }

    @Override
    public void setLearningRate(double learningRate) {
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
        return params[param][index];
    }

    @Override
    public void setParam(int param, int index, double value) {
        params[param][index] = value;
    }

    @Override
    public double gradient(int param, int index) {
        return gradients[param][index];
    }

    @Override
    public List<String> stateNames() {
        return List.of();
    }

    @Override
    public double state(int buffer, int index) {
        throw new IndexOutOfBoundsException(buffer);
    }

    @Override
    public void setState(int buffer, int index, double value) {
        throw new IndexOutOfBoundsException(buffer);
    }

    @Override
    public long stepCount() {
        return 0;
    }

    @Override
    public void setStepCount(long steps) {
    }
}
