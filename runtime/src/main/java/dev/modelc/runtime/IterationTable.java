package dev.modelc.runtime;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints a row per iteration: the iteration, every scalar parameter, the loss and the
 * metrics, as {@link TableNumbers} writes them, then a line saying why training stopped. Which
 * iterations get a row is up to {@link TableRows}; the last always gets one.
 */
public final class IterationTable implements Trainer.Listener {
    private static final int WIDTH = 12;
    private final PrintStream out;
    private final TableRows rows;
    /** The latest iteration's numbers, kept without formatting until they are printed. */
    private double[] latest = new double[0];
    private long latestIteration = -1;
    private boolean latestPrinted = true;
    private long seen;

    /** A table with every row. */
    public IterationTable(PrintStream out) {
        this(out, TableRows.ALL);
    }

    public IterationTable(PrintStream out, TableRows rows) {
        this.out = out;
        this.rows = rows;
    }

    @Override
    public void started(TrainableModel model, Trainer.Plan plan) {
        ModelSignature s = model.signature();
        int scalars = (int) s.params().stream().filter(p -> p.shape().isEmpty()).count();
        latest = new double[scalars + 1 + s.metrics().size()];
        if (!rows.any()) {
            return;
        }
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%6s", "iter"));
        for (ModelSignature.Param p : s.params()) {
            if (p.shape().isEmpty()) {
                header.append(pad(p.name()));
            }
        }
        header.append(pad(s.loss()));
        s.metrics().forEach(m -> header.append(pad(m)));
        out.println(header);
    }

    @Override
    public void step(TrainableModel model, long iteration, long epoch, double loss) {
        remember(iteration, loss, model);
        if (rows.shows(seen++, iteration)) {
            printLatest();
        }
    }

    private void remember(long iteration, double loss, TrainableModel model) {
        ModelSignature s = model.signature();
        int column = 0;
        for (int i = 0; i < s.params().size(); i++) {
            if (s.params().get(i).shape().isEmpty()) {
                latest[column++] = model.param(i, 0);
            }
        }
        latest[column++] = loss;
        for (int i = 0; i < s.metrics().size(); i++) {
            latest[column++] = model.metric(i);
        }
        latestIteration = iteration;
        latestPrinted = false;
    }

    private void printLatest() {
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%6d", latestIteration));
        for (double value : latest) {
            row.append(number(value));
        }
        out.println(row);
        latestPrinted = true;
    }

    @Override
    public void finished(TrainableModel model, Trainer.Result result) {
        if (rows.any() && !latestPrinted) {
            printLatest();
        }
        ModelSignature s = model.signature();
        String loss = s.loss() + " = " + TableNumbers.format(result.loss());
        String updates = result.steps() + (result.steps() == 1 ? " update" : " updates");
        switch (result.reason()) {
            case CONDITION -> out.println("stopped: " + s.stopCondition() + " after " + updates + " (" + loss + ")");
            case MAX_STEPS -> out.println("stopped: max_steps reached after " + updates + " (" + loss + ")");
            case EPOCHS -> out.println("done: " + updates + " (" + loss + ")");
            case DIVERGED -> printDivergence(result, updates, loss);
            case REQUESTED -> out.println("stopped: stop requested after " + updates);
        }
    }

    private void printDivergence(Trainer.Result result, String updates, String loss) {
        if (result.nonFinite().inLoss()) {
            out.println("diverged: the loss is not finite after " + updates + " (" + loss + ")");
        } else {
            out.println("diverged: " + result.nonFinite().describe("update"));
        }
        if (result.nonFinite().origin() != null) {
            out.println("  first non-finite value: " + result.nonFinite().origin());
        }
    }

    private static String pad(String text) {
        return String.format(Locale.ROOT, " %" + WIDTH + "s", text);
    }

    private static String number(double value) {
        return pad(TableNumbers.format(value));
    }
}
