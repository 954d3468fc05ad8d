package dev.modelc.cli;

import dev.modelc.PreparedModel;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.NonFinite;
import dev.modelc.runtime.TableNumbers;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.TrainingHistory;
import dev.modelc.runtime.TrainingSettings;
import dev.modelc.runtime.plot.Plots;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Train the model once per learning rate, from the same start, and print how each run "
                + "ended; with test rows, also the loss and metrics on them, and which rate has the lowest test "
                + "loss. With --plot, draw their loss curves together, and with test rows the test loss and "
                + "metrics after each epoch. A run whose loss grows or stops being finite is marked diverged: it "
                + "is part of the picture, not a failure.")
final class SweepCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ModelFileOptions.WithDtype model;

    @CommandLine.Mixin
    TrainingOptions training;

    List<Double> rates;

    /** One option holding the list, so that help shows {@code --lr=X,Y,...} once. */
    @CommandLine.Option(names = "--lr", paramLabel = "X,Y,...", required = true,
            description = "the learning rates to try, such as 0.01,0.1,0.5,1.0")
    void setRates(String list) {
        List<Double> parsed = new ArrayList<>();
        for (String rate : list.split(",", -1)) {
            try {
                parsed.add(Double.parseDouble(rate.strip()));
            } catch (NumberFormatException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--lr takes numbers separated by "
                        + "commas, such as 0.01,0.1,0.5; `" + rate + "` is not a number");
            }
        }
        rates = parsed;
    }

    @CommandLine.Option(names = "--plot", paramLabel = "IMG", description = "draw the loss curves (.png or .svg); "
            + "with test rows, also the test loss and metrics after each epoch")
    Path plot;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One rate's run: its loss history, how it ended, and the test rows' loss and metrics at its end (or null). */
    private record Run(double rate, TrainingHistory history, long steps, String ending, Trainer.Evaluation test) {
    }

    @Override
    public Integer call() throws CompilationFailed {
        checkFlags();
        PrintWriter out = spec.commandLine().getOut();
        PreparedModel prepared = model.prepare(spec.commandLine().getErr(), 0);
        RunFiles.training(prepared.signature(), model.file, training.data).writes("--plot", plot,
                RunFiles.Way.REPLACED).check();
        TrainSetup first = TrainSetup.prepare(prepared, training, model.file, null, false);
        long maxSteps = first.training().settings().stepLimit(first.hasData());
        ModelSignature s = first.model().signature();
        out.printf(Locale.ROOT, "sweeping %s (%s, %s): %s, %d learning rate%s, %s each%n", s.name(), s.source(),
                s.dtype(), s.train().optimizer(), rates.size(), rates.size() == 1 ? "" : "s", budget(first, maxSteps));
        List<String> tested = first.hasData() && first.data().testRows().length > 0 ? testColumns(s) : List.of();
        out.println(String.format(Locale.ROOT, "%10s %8s %14s", "lr", "steps", "last " + s.loss())
                + cells(tested, tested) + "  outcome");
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < rates.size(); i++) {
            Run run = train(i == 0 ? first : first.fresh(), rates.get(i));
            runs.add(run);
            double[] losses = run.history().losses();
            double last = losses.length == 0 ? Double.NaN : losses[losses.length - 1];
            out.println(String.format(Locale.ROOT, "%10s %8d %14s", run.rate(), run.steps(), number(last))
                    + cells(tested, testValues(run, tested.size())) + "  " + run.ending());
        }
        if (!tested.isEmpty()) {
            out.println(SweepCharts.lowestTestLoss(s, runs.stream().map(Run::rate).toList(),
                    runs.stream().map(Run::test).toList()));
        }
        if (plot != null) {
            List<SweepCharts.Run> drawn = runs.stream().map(r -> new SweepCharts.Run("lr " + r.rate(), r.history()))
                    .toList();
            SweepCharts.draw(plot, s, s.name() + ": " + s.train().optimizer() + " at " + rates.size()
                    + " learning rates", drawn, !tested.isEmpty());
            out.println("plotted " + plot);
        }
        out.flush();
        return 0;
    }

    /** The names of the test columns: the loss, then each metric. */
    private static List<String> testColumns(ModelSignature s) {
        List<String> names = new ArrayList<>();
        names.add("test " + s.loss());
        s.metrics().forEach(m -> names.add("test " + m));
        return names;
    }

    /** The test rows' loss and metrics at the run's end, as the table prints them; "-" when not measured. */
    private static List<String> testValues(Run run, int columns) {
        List<String> values = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            values.add(run.test() == null ? "-" : number(c == 0 ? run.test().loss() : run.test().metrics().get(c - 1)));
        }
        return values;
    }

    /** The cells right-aligned under their column names, at least 14 wide. */
    private static String cells(List<String> names, List<String> values) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < names.size(); c++) {
            line.append(' ').append(" ".repeat(Math.max(0, Math.max(14, names.get(c).length()) - values.get(c).length())))
                    .append(values.get(c));
        }
        return line.toString();
    }

    /** How long a run may train: its epochs with data, and its step limit when there is one. */
    static String budget(TrainSetup setup, long maxSteps) {
        String steps = "at most " + maxSteps + " updates";
        if (!setup.hasData()) {
            return steps;
        }
        long epochs = setup.training().settings().epochs();
        String epochText = epochs + (epochs == 1 ? " epoch" : " epochs");
        return maxSteps == TrainingSettings.NO_STEP_LIMIT ? epochText : epochText + ", " + steps;
    }

    private void checkFlags() {
        training.check();
        for (double rate : rates) {
            if (!(rate > 0 && Double.isFinite(rate))) {
                throw new Failures.UserError("--lr takes positive numbers, got " + rate);
            }
        }
        if (plot != null && !Plots.supports(plot)) {
            throw new Failures.UserError("--plot " + plot + ": give a .png or .svg file");
        }
    }

    private static Run train(TrainSetup setup, double rate) {
        TrainSetup run = setup.withTraining(setup.training().learningRate(rate));
        TrainingHistory history = new TrainingHistory();
        Trainer.Result result = run.trainer(null).run(history);
        String reason = switch (result.reason()) {
            case CONDITION -> "stopped: " + run.model().signature().stopCondition();
            case MAX_STEPS -> "max_steps reached";
            case EPOCHS -> "all epochs done";
            case DIVERGED -> "diverged";
            case REQUESTED -> "stopped on request";
        };
        Trainer.Evaluation test = result.last() == null ? null : result.last().test();
        return new Run(rate, history, result.steps(), ending(reason, result.nonFinite(), history), test);
    }

    /** Why the run ended, where divergence (a value not finite, or a loss that grew) comes first. */
    private static String ending(String reason, NonFinite nonFinite, TrainingHistory history) {
        if (nonFinite != null) {
            return "diverged: " + nonFinite.describe("update");
        }
        double[] losses = history.losses();
        if (history.diverged()) {
            return "diverged: the loss grew from " + number(losses[0]) + " to " + number(losses[losses.length - 1]);
        }
        return reason;
    }

    private static String number(double value) {
        return TableNumbers.format(value);
    }
}
