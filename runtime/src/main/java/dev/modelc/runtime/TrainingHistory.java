package dev.modelc.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Remembers every step's loss, each epoch's outcome on data, and for a model with exactly two
 * scalar parameters the path they took, the final point included, for pictures drawn after training.
 */
public final class TrainingHistory implements Trainer.Listener {
    private double[] steps = new double[256];
    private double[] losses = new double[256];
    private double[] pathX = new double[256];
    private double[] pathY = new double[256];
    private int count;
    private int pathCount;
    private boolean tracksPath;
    private boolean measuresEnd;
    private final List<Trainer.EpochStats> epochs = new ArrayList<>();

    /** Whether a model's descent can be drawn over a plane: exactly two parameters, both scalars. */
    public static boolean hasPlane(ModelSignature s) {
        return s.params().size() == 2 && s.allParamsScalar();
    }

    @Override
    public void started(TrainableModel model, Trainer.Plan plan) {
        tracksPath = hasPlane(model.signature());
        measuresEnd = plan.onData();
    }

    @Override
    public void step(TrainableModel model, long step, long epoch, double loss) {
        record(step, loss, model);
    }

    @Override
    public void epoch(TrainableModel model, Trainer.EpochStats stats) {
        epochs.add(stats);
    }

    @Override
    public void finished(TrainableModel model, Trainer.Result result) {
        // On data the last update has no forward pass of its own; the path ends where the parameters are.
        if (tracksPath && measuresEnd) {
            addPoint(model);
        }
    }

    private void record(long step, double loss, TrainableModel model) {
        if (count == steps.length) {
            steps = Arrays.copyOf(steps, 2 * count);
            losses = Arrays.copyOf(losses, 2 * count);
        }
        steps[count] = step;
        losses[count] = loss;
        count++;
        if (tracksPath) {
            addPoint(model);
        }
    }

    private void addPoint(TrainableModel model) {
        if (pathCount == pathX.length) {
            pathX = Arrays.copyOf(pathX, 2 * pathCount);
            pathY = Arrays.copyOf(pathY, 2 * pathCount);
        }
        pathX[pathCount] = model.param(0, 0);
        pathY[pathCount] = model.param(1, 0);
        pathCount++;
    }

    public double[] steps() {
        return Arrays.copyOf(steps, count);
    }

    public double[] losses() {
        return Arrays.copyOf(losses, count);
    }

    /** Each epoch's outcome, in order; empty without data. */
    public List<Trainer.EpochStats> epochs() {
        return List.copyOf(epochs);
    }

    /** The first parameter's values along the path; empty unless the model has two scalar parameters. */
    public double[] pathX() {
        return Arrays.copyOf(pathX, pathCount);
    }

    public double[] pathY() {
        return Arrays.copyOf(pathY, pathCount);
    }

    /** Whether the loss grew: it stopped being finite, or ended above where it began. */
    public boolean diverged() {
        if (count == 0) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            if (!Double.isFinite(losses[i])) {
                return true;
            }
        }
        return losses[count - 1] > losses[0];
    }
}
