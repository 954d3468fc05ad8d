package dev.modelc.runtime;

import java.util.Locale;

/**
 * Text that came from a file or a flag, as a message shows it. Every character that could act
 * on a terminal instead of showing (escape sequences, carriage returns, line breaks) or hide or
 * reorder what is shown (bidirectional overrides such as U+202E, zero-width characters, other
 * formatting characters, unassigned code points) is written as an escape, {@code \x1B} or
 * {@code \u202E}; excerpts are cut short, so a file named as data cannot be printed whole.
 * Every message that echoes such text goes through here.
 */
public final class Printable {
    /** The most characters of text from a file a message shows: enough to recognize a word, little of a secret. */
    public static final int EXCERPT = 24;

    private Printable() {
    }

    /** The whole text, escaped. */
    public static String escape(String text) {
        return excerpt(text, Integer.MAX_VALUE);
    }

    /** At most {@code limit} characters of the text, escaped, and {@code ...} when it was cut. */
    public static String excerpt(String text, int limit) {
        StringBuilder shown = new StringBuilder();
        int count = 0;
        for (int i = 0; i < text.length(); ) {
            if (count == limit) {
                return shown.append("...").toString();
            }
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            count++;
            if (isShown(c)) {
                shown.appendCodePoint(c);
            } else if (c < 0x100) {
                shown.append(String.format(Locale.ROOT, "\\x%02X", c));
            } else {
                shown.append(String.format(Locale.ROOT, c > 0xFFFF ? "\\U%08X" : "\\u%04X", c));
            }
        }
        return shown.toString();
    }

    /** The text quoted: {@code "..."}, escaped and cut to {@link #EXCERPT} characters. */
    public static String quote(String text) {
        return "\"" + excerpt(text, EXCERPT) + "\"";
    }

    /** Whether a code point shows as itself on a terminal and moves nothing else. */
    public static boolean isShown(int c) {
        int type = Character.getType(c);
        return !Character.isISOControl(c) && type != Character.FORMAT && type != Character.SURROGATE
                && type != Character.UNASSIGNED && type != Character.PRIVATE_USE
                && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR;
    }
}
