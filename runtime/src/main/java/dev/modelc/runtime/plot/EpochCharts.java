package dev.modelc.runtime.plot;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The charts of a run on data: the loss, and each metric, over the steps. The loss chart has
 * every step's loss (one batch's, so noisy), its mean over each epoch, and the test rows' loss
 * after each epoch; a metric's chart has its mean over each epoch's batches and its value on
 * the test rows. A point of an epoch stands at the steps made by its end.
 */
public final class EpochCharts {
    /** How the curves are named in the legends. */
    public static final String EACH_STEP = "training, each step";
    public static final String EPOCH_MEAN = "training, epoch mean";
    public static final String TEST = "test rows, after each epoch";

    private EpochCharts() {
    }

    /**
     * @param title the loss chart's title
     * @param steps every step's loss, as the run went
     * @param epochs each epoch's outcome, in order
     */
    public static List<Plots.Chart> of(ModelSignature s, String title, Plots.Curve steps,
                                       List<Trainer.EpochStats> epochs) {
        boolean tested = !epochs.isEmpty() && epochs.get(epochs.size() - 1).test() != null;
        List<Plots.Curve> loss = new ArrayList<>();
        loss.add(new Plots.Curve(EACH_STEP, steps.steps(), steps.losses(), false));
        loss.add(curve(EPOCH_MEAN, epochs, e -> e.train().loss()));
        if (tested) {
            loss.add(curve(TEST, epochs, e -> e.test().loss()));
        }
        List<Plots.Chart> charts = new ArrayList<>();
        charts.add(new Plots.Chart(title, "loss " + s.loss(), loss));
        for (int m = 0; m < s.metrics().size(); m++) {
            int metric = m;
            List<Plots.Curve> curves = new ArrayList<>();
            curves.add(curve(EPOCH_MEAN, epochs, e -> e.train().metrics().get(metric)));
            if (tested) {
                curves.add(curve(TEST, epochs, e -> e.test().metrics().get(metric)));
            }
            // Colored as in the loss chart, whose first curve is every step's.
            charts.add(new Plots.Chart("metric " + s.metrics().get(m), s.metrics().get(m), curves,
                    Double.POSITIVE_INFINITY, 1));
        }
        return charts;
    }

    /** One value of each epoch, at the steps made by its end. */
    public static Plots.Curve curve(String label, List<Trainer.EpochStats> epochs,
                                    ToDoubleFunction<Trainer.EpochStats> value) {
        double[] at = new double[epochs.size()];
        double[] values = new double[epochs.size()];
        for (int i = 0; i < epochs.size(); i++) {
            at[i] = epochs.get(i).steps();
            values[i] = value.applyAsDouble(epochs.get(i));
        }
        return new Plots.Curve(label, at, values, false);
    }
}
