package dev.modelc.cli;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.TrainingHistory;
import dev.modelc.runtime.plot.EpochCharts;
import dev.modelc.runtime.plot.Plots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * What {@code sweep} makes of its runs beside the table: which rate ends with the lowest test
 * loss, and the picture. The training loss of one batch says little about a rate (a large rate
 * can drive it down while the model does worse on rows it has not seen), so with test rows the
 * verdict and the charts are the test rows'.
 */
final class SweepCharts {
    private SweepCharts() {
    }

    /** One rate's run, as its curves are labelled. */
    record Run(String label, TrainingHistory history) {
    }

    /** The line naming the rate whose run ended with the lowest finite test loss (the first of equals). */
    static String lowestTestLoss(ModelSignature s, List<Double> rates, List<Trainer.Evaluation> tests) {
        int best = -1;
        for (int i = 0; i < rates.size(); i++) {
            Trainer.Evaluation test = tests.get(i);
            if (test != null && Double.isFinite(test.loss()) && (best < 0 || test.loss() < tests.get(best).loss())) {
                best = i;
            }
        }
        return best < 0 ? "no rate ends with a finite test " + s.loss()
                : "lowest test " + s.loss() + ": lr " + rates.get(best);
    }

    /**
     * The runs' training loss at every step together; with test rows, beside it the test loss and
     * each metric on the test rows after every epoch, a curve per rate.
     */
    static void draw(Path file, ModelSignature s, String title, List<Run> runs, boolean tested) {
        List<Plots.Curve> steps = new ArrayList<>();
        for (Run run : runs) {
            steps.add(new Plots.Curve(run.label(), run.history().steps(), run.history().losses(),
                    run.history().diverged()));
        }
        try {
            if (!tested) {
                Plots.compare(file, title, s.loss(), steps);
                return;
            }
            List<Plots.Chart> charts = new ArrayList<>();
            charts.add(new Plots.Chart(title, "loss " + s.loss(), steps, Plots.topOf(steps)));
            List<Plots.Curve> loss = perEpoch(runs, e -> e.test().loss());
            boolean diverged = runs.stream().anyMatch(r -> r.history().diverged());
            charts.add(new Plots.Chart("test " + s.loss() + " after each epoch", "test loss " + s.loss(), loss,
                    diverged ? Plots.topOf(loss) : Double.POSITIVE_INFINITY));
            for (int m = 0; m < s.metrics().size(); m++) {
                int metric = m;
                String name = s.metrics().get(m);
                charts.add(new Plots.Chart("test " + name + " after each epoch", "test " + name,
                        perEpoch(runs, e -> e.test().metrics().get(metric))));
            }
            Plots.figure(file, charts, s.loss(), null);
        } catch (IOException e) {
            throw RunFiles.cannotWrite("--plot", file, e);
        }
    }

    private static List<Plots.Curve> perEpoch(List<Run> runs, ToDoubleFunction<Trainer.EpochStats> value) {
        List<Plots.Curve> curves = new ArrayList<>();
        for (Run run : runs) {
            Plots.Curve c = EpochCharts.curve(run.label(), run.history().epochs(), value);
            curves.add(new Plots.Curve(c.label(), c.steps(), c.losses(), run.history().diverged()));
        }
        return curves;
    }
}
