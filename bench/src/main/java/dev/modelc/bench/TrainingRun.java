package dev.modelc.bench;

import dev.modelc.ModelCompiler;
import dev.modelc.runtime.LearningRateSchedule;
import dev.modelc.runtime.TrainableModel;

/**
 * A workload's model bound to its data, ready to run the timed unit again and again. Batches
 * are copied into arrays made once, so a unit allocates nothing beyond what the model does.
 */
public abstract class TrainingRun {
    final TrainableModel model;
    final WorkloadData data;
    private LearningRateSchedule schedule;

    private TrainingRun(TrainableModel model, WorkloadData data) {
        this.model = model;
        this.data = data;
    }

    /** A fresh model of the workload, initialized from {@link Workload#SEED}, bound to its data. */
    public static TrainingRun start(Workload workload, ModelCompiler.LoadedModel loaded) {
        WorkloadData data = WorkloadData.of(workload);
        switch (workload) {
            case W1:
                return new UntilStop(loaded.create(Workload.SEED, 1));
            case W2:
                return new FullBatch(loaded.create(Workload.SEED, data.rows()), data, 1000);
            case W3:
            case W4:
                return new Shuffled(loaded.create(Workload.SEED, 32), data, 32);
            case W5:
                return new InOrder(loaded.create(Workload.SEED, 128), data, 128);
            case W7:
                return new InOrder(loaded.create(Workload.SEED, 64), data, 64);
            default:
                return new FullBatch(loaded.create(Workload.SEED, data.rows()), data, 1);
        }
    }

    public TrainableModel model() {
        return model;
    }

    /** The workload's data, or null for W1. */
    public WorkloadData data() {
        return data;
    }

    /** Runs the timed unit once; returns the last loss computed. */
    public abstract double unit();

    /**
     * Sets the learning rate before each step of {@link #losses} from {@code schedule}, as the
     * runtime's trainer does; the timed units keep the train block's rate.
     */
    public TrainingRun scheduled(LearningRateSchedule schedule) {
        this.schedule = schedule;
        return this;
    }

    /** The losses of the first {@code count} steps, in the order the timed unit takes batches. */
    public double[] losses(int count) {
        return losses(0, count);
    }

    /** The losses of steps {@code from} to {@code to} (exclusive), counted from the start of training. */
    public double[] losses(int from, int to) {
        double[] losses = new double[to - from];
        for (int s = from; s < to; s++) {
            if (schedule != null) {
                model.setLearningRate(schedule.rate(model.stepCount()));
            }
            losses[s - from] = step(s);
        }
        return losses;
    }

    /** Step {@code s} of training from the start, as the timed units take them. */
    abstract double step(int s);

    /** W1: gradient descent from the initial point until the stop condition holds. */
    private static final class UntilStop extends TrainingRun {
        private final double[][] start;

        UntilStop(TrainableModel model) {
            super(model, null);
            start = new double[model.signature().params().size()][1];
            for (int p = 0; p < start.length; p++) {
                start[p][0] = model.param(p, 0);
            }
        }

        @Override
        public double unit() {
            for (int p = 0; p < start.length; p++) {
                model.setParam(p, 0, start[p][0]);
            }
            model.setStepCount(0);
            while (true) {
                double loss = model.forward();
                if (model.stopRequested()) {
                    return loss;
                }
                model.backward();
                model.step();
            }
        }

        @Override
        double step(int s) {
            return model.trainStep();
        }
    }

    /** W2 and W6: every row in one batch, bound once; the unit is a number of steps. */
    private static final class FullBatch extends TrainingRun {
        private final int steps;

        FullBatch(TrainableModel model, WorkloadData data, int steps) {
            super(model, data);
            this.steps = steps;
            model.bind(new Object[] {data.x(), data.y()}, data.rows());
        }

        @Override
        public double unit() {
            double loss = 0;
            for (int s = 0; s < steps; s++) {
                loss = model.trainStep();
            }
            return loss;
        }

        @Override
        double step(int s) {
            return model.trainStep();
        }
    }

    /** W3 and W4: an epoch of batches in the next epoch order, the last batch partial. */
    private static final class Shuffled extends TrainingRun {
        private final int batch;
        private final float[] xBatch;
        private final float[] yBatch;
        private final int[] labelBatch;
        private final Object[] inputs;
        private int epoch;

        Shuffled(TrainableModel model, WorkloadData data, int batch) {
            super(model, data);
            this.batch = batch;
            xBatch = new float[batch * data.width()];
            yBatch = new float[batch * Math.max(1, data.yWidth())];
            labelBatch = new int[batch];
            inputs = new Object[] {xBatch, data.labels() != null ? labelBatch : yBatch};
        }

        @Override
        public double unit() {
            int[] order = data.epochOrders()[epoch++ % WorkloadData.EPOCH_ORDERS];
            double loss = 0;
            for (int from = 0; from < order.length; from += batch) {
                bind(order, from, Math.min(batch, order.length - from));
                loss = model.trainStep();
            }
            return loss;
        }

        /** Epoch {@code s / steps per epoch}, in its order, as {@link #unit} takes them. */
        @Override
        double step(int s) {
            int perEpoch = (data.rows() + batch - 1) / batch;
            int[] order = data.epochOrders()[s / perEpoch % WorkloadData.EPOCH_ORDERS];
            int from = s % perEpoch * batch;
            bind(order, from, Math.min(batch, order.length - from));
            return model.trainStep();
        }

        private void bind(int[] order, int from, int count) {
            int width = data.width();
            int yWidth = data.yWidth();
            for (int r = 0; r < count; r++) {
                int row = order[from + r];
                System.arraycopy(data.x(), row * width, xBatch, r * width, width);
                if (data.labels() != null) {
                    labelBatch[r] = data.labels()[row];
                } else {
                    System.arraycopy(data.y(), row * yWidth, yBatch, r * yWidth, yWidth);
                }
            }
            model.bind(inputs, count);
        }
    }

    /** W5 and W7: step s takes rows batch * (s mod batches) onwards, each batch a slice made once. */
    private static final class InOrder extends TrainingRun {
        private final Object[][] batches;
        private final int batch;
        private int next;

        InOrder(TrainableModel model, WorkloadData data, int batch) {
            super(model, data);
            this.batch = batch;
            batches = new Object[data.rows() / batch][];
            int width = data.width();
            for (int b = 0; b < batches.length; b++) {
                float[] x = java.util.Arrays.copyOfRange(data.x(), b * batch * width, (b + 1) * batch * width);
                int[] labels = java.util.Arrays.copyOfRange(data.labels(), b * batch, (b + 1) * batch);
                batches[b] = new Object[] {x, labels};
            }
        }

        @Override
        public double unit() {
            model.bind(batches[next++ % batches.length], batch);
            return model.trainStep();
        }

        @Override
        double step(int s) {
            model.bind(batches[s % batches.length], batch);
            return model.trainStep();
        }
    }
}
