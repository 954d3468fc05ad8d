package dev.modelc.check;

import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.syntax.Ast;

/** Reads numeric literals, reporting those out of range. */
public final class Numbers {
    private Numbers() {
    }

    /** The literal's value, or NaN after reporting that it is out of range. */
    public static double value(Ast.Number number, Diagnostics diagnostics) {
        double value = Double.parseDouble(number.text());
        if (Double.isInfinite(value)) {
            diagnostics.error(number.span(), "number `" + number.text() + "` is too large for a double",
                    "the largest double is about 1.8e308");
            return Double.NaN;
        }
        if (value == 0 && hasNonZeroDigit(number.text())) {
            diagnostics.error(number.span(), "number `" + number.text() + "` is too small for a double: it would be 0");
            return Double.NaN;
        }
        return value;
    }

    /** The literal as a whole number, or null after reporting why it is not one. */
    public static Long integer(Ast.Number number, Diagnostics diagnostics) {
        String text = number.text();
        if (!text.chars().allMatch(Character::isDigit)) {
            double value = Double.parseDouble(text);
            boolean whole = value == Math.rint(value) && Math.abs(value) < 1e15;
            diagnostics.error(number.span(), "expected a whole number, got `" + text + "`",
                    whole ? "write it with digits only, as `" + (long) value + "`" : null);
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            diagnostics.error(number.span(), "number `" + text + "` is too large");
            return null;
        }
    }

    private static boolean hasNonZeroDigit(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 'e' || c == 'E') {
                return false;
            }
            if (c >= '1' && c <= '9') {
                return true;
            }
        }
        return false;
    }
}
