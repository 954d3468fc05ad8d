package dev.modelc.runtime;

import java.util.List;
import java.util.Map;

/**
 * A model without inputs: one param {@code x} from 3, loss {@code J = x^2}, plain gradient
 * descent, and {@code stop when J < 1e-4}. Each update multiplies x by {@code 1 - 2 lr}.
 */
final class Parabola implements TrainableModel {
    private final ModelSignature signature;
    double x = 3;
    private double gradient;
    private double learningRate;
    private long steps;
    int forwards;

    /** @param maxSteps the train block's {@code max_steps}, or -1 when it sets none */
    Parabola(double rate, long maxSteps) {
        ModelSignature.TrainDefaults train = new ModelSignature.TrainDefaults("gd", Map.of("lr", rate),
                ModelSignature.Schedule.CONSTANT, 0, maxSteps, 0, 0, false, 10, null);
        this.signature = new ModelSignature("Parabola", "parabola.model", "f64",
                List.of(new ModelSignature.Param("x", List.of())), List.of(), "J", List.of(), "J < 1e-4", train);
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
        forwards++;
        return x * x;
    }

    @Override
    public void backward() {
        gradient = 2 * x;
    }

    @Override
    public void step() {
        x -= learningRate * gradient;
        steps++;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void setLearningRate(double rate) {
        learningRate = rate;
    }

    @Override
    public boolean stopRequested() {
        return x * x < 1e-4;
    }

    @Override
    public double metric(int index) {
        throw new IndexOutOfBoundsException(index);
    }

    @Override
    public double param(int param, int index) {
        return x;
    }

    @Override
    public void setParam(int param, int index, double value) {
        x = value;
    }

    @Override
    public double gradient(int param, int index) {
        return gradient;
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
        return steps;
    }

    @Override
    public void setStepCount(long count) {
        steps = count;
    }
}
