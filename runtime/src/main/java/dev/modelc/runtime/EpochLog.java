package dev.modelc.runtime;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Prints minibatch training as plain lines: what is trained on, one line per epoch, and why
 * training ended. Metrics are the test rows' when there are test rows, else the training
 * batches' (marked "train"), so a line never leaves open which rows a number is about.
 */
public final class EpochLog implements Trainer.Listener {
    private final PrintStream out;
    private final TableRows rows;
    private Trainer.Plan plan;
    /** The latest epoch's line when it was not printed, for the end. */
    private String pending;
    private long seen;

    /** A log with every epoch's line. */
    public EpochLog(PrintStream out) {
        this(out, TableRows.ALL);
    }

    /** A log with the epoch lines {@code rows} chooses (the first epoch is row 0), and the last. */
    public EpochLog(PrintStream out, TableRows rows) {
        this.out = out;
        this.rows = rows;
    }

    @Override
    public void started(TrainableModel model, Trainer.Plan plan) {
        this.plan = plan;
        if (!plan.onData()) {
            return;
        }
        TrainingSettings settings = plan.settings();
        int batch = plan.batchRows();
        long steps = settings.batchesPerEpoch(plan.trainRows());
        String test = plan.testRows() == 0 ? "no test rows" : "testing on " + rows(plan.testRows());
        out.println("training on " + rows(plan.trainRows()) + " in batches of " + batch + " ("
                + steps + (steps == 1 ? " step" : " steps") + " an epoch" + (settings.shuffle() ? ", shuffled" : "")
                + "), " + test);
    }

    @Override
    public void epoch(TrainableModel model, Trainer.EpochStats stats) {
        int width = Long.toString(stats.epochs()).length();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %" + width + "d/%d",
                stats.epoch(), stats.epochs()));
        line.append("  loss ").append(number(stats.train().loss()));
        List<String> names = model.signature().metrics();
        if (stats.test() != null) {
            line.append("  test loss ").append(number(stats.test().loss()));
            appendMetrics(line, "test ", names, stats.test().metrics());
        } else {
            appendMetrics(line, "train ", names, stats.train().metrics());
        }
        line.append(String.format(Locale.ROOT, "  (%.1f s)", stats.seconds()));
        if (rows.shows(seen++, stats.epoch())) {
            out.println(line);
            pending = null;
        } else {
            pending = line.toString();
        }
    }

    @Override
    public void finished(TrainableModel model, Trainer.Result result) {
        if (pending != null && rows.any()) {
            out.println(pending);
        }
        Trainer.EpochStats last = result.last();
        String steps = result.steps() + (result.steps() == 1 ? " step" : " steps");
        if (last == null) {
            if (plan.onData()) {
                out.println(result.reason() == Trainer.StopReason.EPOCHS
                        ? "nothing to train: all " + plan.settings().epochs() + " epochs are done"
                        : "nothing to train: " + steps + " of at most " + plan.maxSteps() + " are done");
            }
            return;
        }
        String where = ", in epoch " + last.epoch() + " of " + last.epochs();
        switch (result.reason()) {
            case EPOCHS -> out.println("done: " + last.epochs() + (last.epochs() == 1 ? " epoch, " : " epochs, ")
                    + steps);
            case MAX_STEPS -> out.println("stopped: max_steps reached after " + steps + where);
            case CONDITION -> out.println("stopped: " + model.signature().stopCondition() + " after " + steps + where);
            case DIVERGED -> printDivergence(out, result.nonFinite(), where);
            case REQUESTED -> out.println("stopped: stop requested after " + steps + where);
        }
    }

    /** What was not finite and, for a loss, the forward operation where it began. */
    static void printDivergence(PrintStream out, NonFinite nonFinite, String where) {
        out.println("diverged: " + nonFinite.describe("step") + where);
        if (nonFinite.origin() != null) {
            out.println("  first non-finite value: " + nonFinite.origin());
        }
    }

    private static void appendMetrics(StringBuilder line, String prefix, List<String> names, List<Double> values) {
        for (int m = 0; m < names.size(); m++) {
            line.append("  ").append(prefix).append(names.get(m)).append(' ').append(number(values.get(m)));
        }
    }

    private static String rows(int count) {
        return count + (count == 1 ? " row" : " rows");
    }

    /** Four decimals where that shows the value, else scientific notation. */
    static String number(double value) {
        double size = Math.abs(value);
        boolean plain = value == 0 || !Double.isFinite(value) || (size >= 1e-3 && size < 1e6);
        return String.format(Locale.ROOT, plain ? "%.4f" : "%.3e", value);
    }
}
