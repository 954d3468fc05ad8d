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
import java.io.IOException;
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
                + "ended; with --plot, draw their loss curves together. A run whose loss grows or stops being "
                + "finite is marked diverged: it is part of the picture, not a failure.")
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

    @CommandLine.Option(names = "--plot", paramLabel = "IMG", description = "draw the loss curves (.png or .svg)")
    Path plot;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One rate's run: its loss history and how it ended. */
    private record Run(double rate, TrainingHistory history, long steps, String ending) {
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
        out.printf(Locale.ROOT, "%10s %8s %14s  %s%n", "lr", "steps", "last " + s.loss(), "outcome");
        List<Plots.Curve> curves = new ArrayList<>();
        for (int i = 0; i < rates.size(); i++) {
            Run run = train(i == 0 ? first : first.fresh(), rates.get(i));
            double[] losses = run.history().losses();
            double last = losses.length == 0 ? Double.NaN : losses[losses.length - 1];
            out.printf(Locale.ROOT, "%10s %8d %14s  %s%n", run.rate(), run.steps(), number(last), run.ending());
            curves.add(new Plots.Curve("lr " + run.rate(), run.history().steps(), losses, run.history().diverged()));
        }
        if (plot != null) {
            try {
                Plots.compare(plot, s.name() + ": " + s.train().optimizer() + " at " + rates.size()
                        + " learning rates", s.loss(), curves);
            } catch (IOException e) {
                throw RunFiles.cannotWrite("--plot", plot, e);
            }
            out.println("plotted " + plot);
        }
        out.flush();
        return 0;
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
        return new Run(rate, history, result.steps(), ending(reason, result.nonFinite(), history));
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
