package dev.modelc.runtime;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints one row per iteration: the iteration, every scalar parameter, the loss and the
 * metrics, six decimals each, then a line saying why training stopped.
 */
public final class IterationTable implements Trainer.Listener {
    private static final int WIDTH = 12;
    private final PrintStream out;

    public IterationTable(PrintStream out) {
        this.out = out;
    }

    @Override
    public void started(TrainableModel model, long maxSteps) {
        ModelSignature s = model.signature();
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
    public void iteration(long iteration, double loss, TrainableModel model) {
        ModelSignature s = model.signature();
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%6d", iteration));
        for (int i = 0; i < s.params().size(); i++) {
            if (s.params().get(i).shape().isEmpty()) {
                row.append(number(model.param(i, 0)));
            }
        }
        row.append(number(loss));
        for (int i = 0; i < s.metrics().size(); i++) {
            row.append(number(model.metric(i)));
        }
        out.println(row);
    }

    @Override
    public void finished(TrainableModel model, Trainer.Result result) {
        ModelSignature s = model.signature();
        String loss = String.format(Locale.ROOT, "%s = %.6f", s.loss(), result.loss());
        String updates = result.updates() + (result.updates() == 1 ? " update" : " updates");
        switch (result.reason()) {
            case CONDITION -> out.println("stopped: " + s.stopCondition() + " after " + updates + " (" + loss + ")");
            case MAX_STEPS -> out.println("stopped: max_steps reached after " + updates + " (" + loss + ")");
            case DIVERGED -> printDivergence(result, updates, loss);
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
        return String.format(Locale.ROOT, " %" + WIDTH + ".6f", value);
    }
}
