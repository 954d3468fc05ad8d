package dev.modelc.runtime.data;

import dev.modelc.runtime.Printable;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A cell's bytes as a message shows them: quoted, cut after {@link Printable#EXCERPT} bytes (a
 * model may name any file as its data, so a message shows little of it), printable UTF-8 as it
 * is, and everything else (control characters, bytes that are not UTF-8) as {@code \xNN}, so
 * that no data file can garble a terminal or hide what is wrong with it.
 */
final class CellText {
    static final int LIMIT = Printable.EXCERPT;

    private CellText() {
    }

    static String quote(byte[] bytes, int from, int to) {
        StringBuilder text = new StringBuilder("\"");
        int end = Math.min(to, from + LIMIT);
        int i = from;
        while (i < end) {
            int length = sequenceLength(bytes, i, to);
            String decoded = length == 0 ? null : new String(bytes, i, length, StandardCharsets.UTF_8);
            if (decoded != null && printable(decoded)) {
                text.append(decoded);
                i += length;
            } else {
                text.append(String.format(Locale.ROOT, "\\x%02X", bytes[i] & 0xff));
                i++;
            }
        }
        return text.append(i < to ? "...\"" : "\"").toString();
    }

    /** The length of the UTF-8 sequence starting at {@code at}, or 0 when the bytes there are not one. */
    private static int sequenceLength(byte[] bytes, int at, int to) {
        int lead = bytes[at] & 0xff;
        int length = lead < 0x80 ? 1 : lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3
                : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
        if (length == 0 || at + length > to) {
            return 0;
        }
        for (int k = at + 1; k < at + length; k++) {
            if ((bytes[k] & 0xC0) != 0x80) {
                return 0;
            }
        }
        return length;
    }

    private static boolean printable(String decoded) {
        int c = decoded.codePointAt(0);
        // The decoder turns overlong forms and surrogates into U+FFFD: those bytes are shown as they are.
        return c != 0xFFFD && Printable.isShown(c);
    }
}
