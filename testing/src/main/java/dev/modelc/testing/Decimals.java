package dev.modelc.testing;

import java.util.Locale;

/** Short, locale-independent text for errors and tolerances: three significant digits, no trailing zeros. */
final class Decimals {
    private Decimals() {
    }

    /** Like {@code 1e-06}, {@code 0.001} or {@code 2.35}. */
    static String compact(double value) {
        String text = String.format(Locale.ROOT, "%.3g", value);
        return text.replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2").replaceFirst("\\.(e|$)", "$1");
    }
}
