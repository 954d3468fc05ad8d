package dev.modelc.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * A model that remembers what it was given. Its first input's first column is taken as a row
 * id: the loss is the batch's mean id and the metric the mean squared id, so averages over
 * batches can be checked by hand. It can be told to request a stop, or to return NaN, at a
 * given forward pass.
 */
final class RecordingModel implements TrainableModel {
    private final ModelSignature signature;
    private final int capacity;
    private Object[] inputs;
    private int rows;
    private int[] lastBatch;
    private double squares;
    /** Ids of every forward pass's rows, in order. */
    final List<int[]> forwarded = new ArrayList<>();
    /** Whether each forward pass trained ({@link #setTraining}), in order. */
    final List<Boolean> training = new ArrayList<>();
    private boolean trains = true;
    /** Ids of the rows of each update, in order. */
    final List<int[]> updated = new ArrayList<>();
    /** Every array object ever bound, input by input. */
    final List<Object[]> bound = new ArrayList<>();
    /** The learning rate of each update, in order. */
    final List<Double> rates = new ArrayList<>();
    private double learningRate;
    int backwards;
    int stopAtForward = -1;
    int nanAtForward = -1;

    RecordingModel(String dtype, int capacity, List<ModelSignature.Input> inputs) {
        this.signature = new ModelSignature("Recording", "recording.model", dtype, List.of(), inputs, "L",
                List.of("m"), "L < 0", null);
        this.capacity = capacity;
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
        this.inputs = inputs;
        this.rows = rows;
        bound.add(inputs.clone());
    }

    /** The first column of the bound rows of input 0, whatever its array type. */
    int[] ids() {
        int width = signature.inputs().get(0).rowSize();
        int[] ids = new int[rows];
        for (int r = 0; r < rows; r++) {
            Object array = inputs[0];
            ids[r] = array instanceof double[] d ? (int) d[r * width]
                    : array instanceof float[] f ? (int) f[r * width] : ((int[]) array)[r * width];
        }
        return ids;
    }

    @Override
    public void setTraining(boolean training) {
        trains = training;
    }

    @Override
    public double forward() {
        lastBatch = ids();
        forwarded.add(lastBatch);
        training.add(trains);
        double sum = 0;
        squares = 0;
        for (int id : lastBatch) {
            sum += id;
            squares += (double) id * id;
        }
        squares /= rows;
        return forwarded.size() == nanAtForward ? Double.NaN : sum / rows;
    }

    @Override
    public void backward() {
        backwards++;
    }

    @Override
    public void step() {
        updated.add(lastBatch);
        rates.add(learningRate);
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
        return forwarded.size() == stopAtForward;
    }

    @Override
    public double metric(int index) {
        return squares;
    }

    @Override
    public double param(int param, int index) {
        throw new IndexOutOfBoundsException(param);
    }

    @Override
    public void setParam(int param, int index, double value) {
        throw new IndexOutOfBoundsException(param);
    }

    @Override
    public double gradient(int param, int index) {
        throw new IndexOutOfBoundsException(param);
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
        return updated.size();
    }

    @Override
    public void setStepCount(long steps) {
        throw new UnsupportedOperationException("no step count");
    }
}
