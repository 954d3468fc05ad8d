package dev.modelc.cli;

import dev.modelc.runtime.Printable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * What the command prints, on its way to the terminal: any character that would act on the
 * terminal rather than show (an escape sequence, a backspace, a bidirectional override) is
 * written as an escape ({@code \x1B}, {@code \u202E}) by {@link Printable}, whatever printed it,
 * so that no file, flag or name echoed in a message can garble or disguise the output. Line
 * breaks and tabs pass, and on standard output carriage returns too, which the progress bar draws with.
 */
final class ShownText extends Writer {
    private final Writer out;
    private final boolean carriageReturns;
    private char pendingHigh;

    private ShownText(Writer out, boolean carriageReturns) {
        this.out = out;
        this.carriageReturns = carriageReturns;
    }

    /** Standard output: carriage returns pass. */
    static PrintWriter out(PrintWriter out) {
        return new PrintWriter(new ShownText(out, true), true);
    }

    /** Standard error. */
    static PrintWriter err(PrintWriter err) {
        return new PrintWriter(new ShownText(err, false), true);
    }

    @Override
    public void write(char[] text, int offset, int length) throws IOException {
        StringBuilder shown = new StringBuilder(length + 8);
        for (int i = offset; i < offset + length; i++) {
            char c = text[i];
            if (pendingHigh != 0) {
                char high = pendingHigh;
                pendingHigh = 0;
                if (Character.isLowSurrogate(c)) {
                    append(shown, Character.toCodePoint(high, c));
                    continue;
                }
                append(shown, high);
            }
            if (Character.isHighSurrogate(c)) {
                pendingHigh = c;
            } else {
                append(shown, c);
            }
        }
        out.write(shown.toString());
    }

    private void append(StringBuilder shown, int c) {
        if (c == '\n' || c == '\t' || (c == '\r' && carriageReturns) || Printable.isShown(c)) {
            shown.appendCodePoint(c);
        } else {
            shown.append(Printable.escape(new String(Character.toChars(c))));
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (pendingHigh != 0) {
            out.write(Printable.escape(String.valueOf(pendingHigh)));
            pendingHigh = 0;
        }
        out.close();
    }
}
