package dev.modelc.cli;

import dev.modelc.runtime.BatchGatherer;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.TrainingHistory;
import dev.modelc.runtime.plot.EpochCharts;
import dev.modelc.runtime.plot.Plots;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The picture of a run for {@code --plot}: the loss curve, and for a model with two scalar
 * parameters the descent over contour lines of the loss, evaluated through the model itself
 * (set the two parameters, run the forward pass) on a grid around the path; with data, the
 * loss over all training rows. With data, the loss chart also has the loss of each epoch and
 * of the test rows after it, and each metric has a chart of its own (see {@link EpochCharts}).
 * The model's parameters are put back afterwards.
 */
public final class RunPictures {
    private RunPictures() {
    }

    /**
     * The loss curve alone, as a run that cannot compute the loss over a plane of parameters draws
     * it (a run on Spark, whose rows are not in this JVM).
     *
     * @param baseRate the schedule's base rate, shown in the title
     */
    public static void drawCurve(Path file, TrainableModel model, double baseRate, TrainingHistory history) {
        ModelSignature s = model.signature();
        String title = s.name() + ": " + s.train().optimizer() + ", lr " + shownRate(model, baseRate);
        Plots.Curve curve = new Plots.Curve("", history.steps(), history.losses(), false);
        try {
            if (history.epochs().isEmpty()) {
                Plots.run(file, title, s.loss(), curve, null);
            } else {
                Plots.figure(file, EpochCharts.of(s, title, curve, history.epochs()), s.loss(), null);
            }
        } catch (IOException e) {
            throw new Failures.UserError(file + ": cannot be written: " + e.getMessage());
        }
    }

    /** @param baseRate the schedule's base rate, shown in the title */
    static void draw(Path file, TrainSetup setup, double baseRate, TrainingHistory history) {
        TrainableModel model = setup.model();
        ModelSignature s = model.signature();
        String title = s.name() + ": " + s.train().optimizer() + ", lr " + shownRate(model, baseRate);
        Plots.Curve curve = new Plots.Curve("", history.steps(), history.losses(), false);
        double[] xs = history.pathX();
        boolean plane = TrainingHistory.hasPlane(s) && xs.length > 0 && Double.isFinite(xs[0]);
        Plots.Descent descent = !plane ? null : new Plots.Descent(s.params().get(0).name(),
                s.params().get(1).name(), xs, history.pathY(), surface(setup));
        double[] kept = plane ? new double[] {model.param(0, 0), model.param(1, 0)} : null;
        try {
            if (setup.hasData()) {
                Plots.figure(file, EpochCharts.of(s, title, curve, history.epochs()), s.loss(), descent);
            } else {
                Plots.run(file, title, s.loss(), curve, descent);
            }
        } catch (IOException e) {
            throw RunFiles.cannotWrite("--plot", file, e);
        } finally {
            if (kept != null) {
                model.setParam(0, 0, kept[0]);
                model.setParam(1, 0, kept[1]);
            }
        }
    }

    static Plots.Surface surface(TrainSetup setup) {
        TrainableModel model = setup.model();
        if (!setup.hasData()) {
            return (a, b) -> {
                model.setParam(0, 0, a);
                model.setParam(1, 0, b);
                return model.forward();
            };
        }
        BatchGatherer gatherer = new BatchGatherer(model, setup.data());
        int[] rows = setup.data().trainRows();
        return (a, b) -> {
            model.setParam(0, 0, a);
            model.setParam(1, 0, b);
            return Trainer.evaluate(model, gatherer, rows).loss();
        };
    }

    private static String shownRate(TrainableModel model, double rate) {
        return model.signature().dtype().equals("f32") ? Float.toString((float) rate) : Double.toString(rate);
    }
}
