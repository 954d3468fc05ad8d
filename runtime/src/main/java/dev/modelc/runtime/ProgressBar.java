package dev.modelc.runtime;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar for a terminal, redrawn in place with a carriage return: the epoch,
 * a bar for the steps done of those planned, the speed, the last loss and the time left. It
 * appears only once training has run for a moment, is redrawn a few times a second at most,
 * and is wiped before anything else prints a line, so it never mixes with the epoch lines.
 */
public final class ProgressBar implements Trainer.Listener {
    private static final long QUIET_NANOS = 500_000_000L;
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR = 24;
    private final PrintStream out;
    private final LongSupplier clock;
    private long startNanos;
    private long lastDraw;
    private long firstStep;
    private long plannedSteps;
    private long epochs;
    private int drawnWidth;

    /**
     * Whether this process talks to a person at a terminal, who wants a bar redrawn in place:
     * its standard input and output are a terminal. Before JDK 22 the JVM has a {@link
     * System#console()} only then; from JDK 22 on it has one whatever the streams are, and
     * {@code Console.isTerminal()} tells, so that output piped into a file or another program
     * gets no carriage returns.
     */
    public static boolean onTerminal() {
        return isTerminal(System.console());
    }

    /** Whether {@code console} (a {@link java.io.Console}, or null for none) stands for a terminal. */
    static boolean isTerminal(Object console) {
        if (console == null) {
            return false;
        }
        java.lang.reflect.Method isTerminal;
        try {
            // Looked up on the public class: the console itself may be of a class no other module may call.
            isTerminal = (console instanceof java.io.Console ? java.io.Console.class : console.getClass())
                    .getMethod("isTerminal");
        } catch (NoSuchMethodException e) {
            return true;
        }
        try {
            return Boolean.TRUE.equals(isTerminal.invoke(console));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** {@code clock} gives nanoseconds, as {@link System#nanoTime()} does. */
    public ProgressBar(PrintStream out, LongSupplier clock) {
        this.out = out;
        this.clock = clock;
    }

    @Override
    public void started(TrainableModel model, Trainer.Plan plan) {
        startNanos = clock.getAsLong();
        lastDraw = startNanos;
        firstStep = -1;
        plannedSteps = plan.plannedSteps();
        epochs = plan.settings().epochs();
    }

    @Override
    public void step(TrainableModel model, long step, long epoch, double loss) {
        if (firstStep < 0) {
            firstStep = step;
        }
        long now = clock.getAsLong();
        if (now - startNanos < QUIET_NANOS || now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        draw(line(step, epoch, loss, (now - startNanos) / 1e9));
    }

    /** The bar's text after {@code step} steps, {@code seconds} into training. */
    String line(long step, long epoch, double loss, double seconds) {
        double rate = seconds > 0 ? (step - firstStep) / seconds : 0;
        double done = plannedSteps > 0 ? Math.min(1, (double) step / plannedSteps) : 0;
        int filled = (int) Math.round(done * BAR);
        String left = rate > 0 ? clockTime((plannedSteps - step) / rate) : "?";
        return String.format(Locale.ROOT, "epoch %d/%d [%s%s] %3.0f%%  %.0f steps/s  loss %s  %s left", epoch, epochs,
                "#".repeat(filled), ".".repeat(BAR - filled), 100 * done, rate, EpochLog.number(loss), left);
    }

    @Override
    public void epoch(TrainableModel model, Trainer.EpochStats stats) {
        wipe();
    }

    @Override
    public void finished(TrainableModel model, Trainer.Result result) {
        wipe();
    }

    private void draw(String line) {
        String padded = line.length() < drawnWidth ? line + " ".repeat(drawnWidth - line.length()) : line;
        out.print("\r" + padded);
        out.flush();
        drawnWidth = line.length();
    }

    private void wipe() {
        if (drawnWidth > 0) {
            out.print("\r" + " ".repeat(drawnWidth) + "\r");
            out.flush();
            drawnWidth = 0;
        }
    }

    /** {@code 1:02:03}, or {@code 2:03} under an hour. */
    static String clockTime(double seconds) {
        long total = Math.round(Math.max(0, Math.min(seconds, 360_000_000)));
        long hours = total / 3600;
        long minutes = total / 60 % 60;
        long secs = total % 60;
        return hours > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", hours, minutes, secs)
                : String.format(Locale.ROOT, "%d:%02d", minutes, secs);
    }
}
