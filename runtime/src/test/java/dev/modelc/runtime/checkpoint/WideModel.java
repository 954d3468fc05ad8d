package dev.modelc.runtime.checkpoint;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import java.util.List;
import java.util.Map;

/**
 * A model with one wide parameter and its velocity, whose values after {@code version}
 * updates of run {@code run} follow a formula, so that a checkpoint of any version of any run
 * can be made again, byte for byte, to compare a file with.
 */
final class WideModel implements TrainableModel {
    private final ModelSignature signature;
    private final double[] w;
    private final double[] velocity;
    private long steps;
    private double learningRate = 0.01;

    WideModel(int size, long run, long version) {
        this.signature = new ModelSignature("Wide", "wide.model", "f64", List.of(new ModelSignature.Param("w",
                List.of(size))), List.of(), "L", List.of(), null, new ModelSignature.TrainDefaults("sgd",
                Map.of("lr", 0.01, "momentum", 0.9), ModelSignature.Schedule.CONSTANT, 0, 10, 0, 0, false, 1, null));
        this.w = new double[size];
        this.velocity = new double[size];
        this.steps = version;
        for (int i = 0; i < size; i++) {
            w[i] = run * 1e6 + version + i * 1e-7;
            velocity[i] = -w[i] / 3;
        }
    }

    /** The checkpoint of version {@code version} of run {@code run}. */
    static Checkpoint checkpoint(int size, long run, long version) {
        return Checkpoint.of(new WideModel(size, run, version), dev.modelc.runtime.TrainingPosition.afterUpdates(
                version), new Checkpoint.Run(run, 0, false, 0));
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
        return w[0];
    }

    @Override
    public void backward() {
    }

    @Override
    public void step() {
        throw new UnsupportedOperationException("versions are made, not trained");
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
        throw new IndexOutOfBoundsException(index);
    }

    @Override
    public double param(int param, int index) {
        return w[index];
    }

    @Override
    public void setParam(int param, int index, double value) {
        w[index] = value;
    }

    @Override
    public double gradient(int param, int index) {
        return 0;
    }

    @Override
    public List<String> stateNames() {
        return List.of("w.momentum_buffer");
    }

    @Override
    public double state(int buffer, int index) {
        return velocity[index];
    }

    @Override
    public void setState(int buffer, int index, double value) {
        velocity[index] = value;
    }

    @Override
    public long stepCount() {
        return steps;
    }

    @Override
    public void setStepCount(long steps) {
        this.steps = steps;
    }
}
