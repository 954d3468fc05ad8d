package dev.modelc.runtime.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Maps the values of one axis to pixels, linearly or, for values spanning decades,
 * logarithmically, and chooses round ticks for it: 1, 2 or 5 times a power of ten, or the
 * powers of ten themselves.
 */
final class Scale {
    private final double low;
    private final double high;
    private final boolean log;
    private final double from;
    private final double to;

    /** Values from {@code low} to {@code high} onto pixels from {@code from} to {@code to}, which may run backwards. */
    Scale(double low, double high, boolean log, double from, double to) {
        if (!(low < high) || (log && low <= 0)) {
            throw new IllegalArgumentException("bad range " + low + " to " + high + (log ? " (log)" : ""));
        }
        this.low = low;
        this.high = high;
        this.log = log;
        this.from = from;
        this.to = to;
    }

    /** A range around the values given, widened a little, and to a unit when they are all equal. */
    static double[] range(double min, double max, boolean log) {
        if (log) {
            double a = Math.log10(min);
            double b = Math.log10(max);
            double pad = Math.max(0.05 * (b - a), 0.1);
            return new double[] {Math.pow(10, a - pad), Math.pow(10, b + pad)};
        }
        if (min == max) {
            double half = min == 0 ? 1 : Math.abs(min) * 0.5;
            return new double[] {min - half, max + half};
        }
        double pad = 0.05 * (max - min);
        return new double[] {min - pad, max + pad};
    }

    double low() {
        return low;
    }

    double high() {
        return high;
    }

    boolean log() {
        return log;
    }

    double pixel(double value) {
        double t = log ? (Math.log10(value) - Math.log10(low)) / (Math.log10(high) - Math.log10(low))
                : (value - low) / (high - low);
        return from + t * (to - from);
    }

    List<Double> ticks() {
        return log ? logTicks() : linearTicks();
    }

    private List<Double> linearTicks() {
        double step = niceStep((high - low) / 6);
        List<Double> ticks = new ArrayList<>();
        for (long k = (long) Math.ceil(low / step); k * step <= high + 1e-9 * step; k++) {
            ticks.add(k * step);
        }
        return ticks;
    }

    private List<Double> logTicks() {
        int first = (int) Math.ceil(Math.log10(low) - 1e-9);
        int last = (int) Math.floor(Math.log10(high) + 1e-9);
        int every = Math.max(1, (last - first + 8) / 8);
        List<Double> ticks = new ArrayList<>();
        for (int k = first; k <= last; k++) {
            if (Math.floorMod(k, every) == 0) {
                ticks.add(Math.pow(10, k));
            }
        }
        return ticks;
    }

    /** 1, 2 or 5 times a power of ten, the first at least {@code raw}. */
    static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * magnitude >= raw * (1 - 1e-9)) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /** A tick's label: as few digits as tell the ticks apart, scientific for very large or small values. */
    String label(double tick) {
        double size = Math.abs(tick);
        if (tick == 0) {
            return "0";
        }
        if (size >= 1e5 || size < 1e-3) {
            String text = String.format(Locale.ROOT, "%.0e", tick);
            return text.replace("e+0", "e").replace("e-0", "e-").replace("e+", "e");
        }
        if (log) {
            return trim(String.format(Locale.ROOT, "%.3f", tick));
        }
        double step = ticks().size() > 1 ? ticks().get(1) - ticks().get(0) : size;
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        return trim(String.format(Locale.ROOT, "%." + decimals + "f", tick));
    }

    private static String trim(String text) {
        if (!text.contains(".")) {
            return text;
        }
        String trimmed = text.replaceAll("0+$", "");
        return trimmed.endsWith(".") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
