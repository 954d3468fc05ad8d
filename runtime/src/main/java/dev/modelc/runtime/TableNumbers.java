package dev.modelc.runtime;

import java.util.Locale;

/**
 * Numbers as training output shows them: six decimals where six decimals show the value
 * ({@code 0.004564}, {@code -3.000000}), and three significant digits in scientific notation
 * where they would not: {@code 7.9e-09} rather than {@code 0.000000}, {@code 5.11e+18} rather
 * than nineteen digits.
 */
public final class TableNumbers {
    /** Below this, six decimals would keep two significant digits or fewer. */
    private static final double SMALLEST_PLAIN = 1e-4;
    /** From this on, six decimals would make a number too wide for its column. */
    private static final double LARGEST_PLAIN = 1e7;

    private TableNumbers() {
    }

    public static String format(double value) {
        double size = Math.abs(value);
        if (value == 0 || !Double.isFinite(value) || (size >= SMALLEST_PLAIN && size < LARGEST_PLAIN)) {
            return String.format(Locale.ROOT, "%.6f", value);
        }
        String scientific = String.format(Locale.ROOT, "%.2e", value);
        int exponent = scientific.indexOf('e');
        String mantissa = scientific.substring(0, exponent);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return mantissa + scientific.substring(exponent);
    }
}
