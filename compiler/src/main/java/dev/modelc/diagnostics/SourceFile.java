package dev.modelc.diagnostics;

import dev.modelc.runtime.InputFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The text of one .model file and the name used for it in diagnostics. */
public final class SourceFile {
    private final String displayName;
    private final String text;
    private final List<String> lines;

    /**
     * A leading byte-order mark, which some editors write, is not part of the text. Lines may end
     * in {@code \n}, {@code \r\n} or a lone {@code \r}; the text has each as {@code \n}, so that the
     * lexer counts lines as the diagnostics quote them.
     */
    public SourceFile(String displayName, String text) {
        this.displayName = displayName;
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        this.text = body.indexOf('\r') < 0 ? body : body.replace("\r\n", "\n").replace('\r', '\n');
        this.lines = splitLines(this.text);
    }

    /**
     * Reads a file as strict UTF-8.
     *
     * @throws IOException when the file cannot be read or is not UTF-8; the message says which
     */
    public static SourceFile read(Path path) throws IOException {
        try (InputStream in = InputFile.open(path)) {
            return decode(path.toString(), in.readAllBytes());
        }
    }

    /**
     * The text of a file's bytes, decoded as strict UTF-8, as {@link #read} does.
     *
     * @throws NotUtf8 at the first byte that is not UTF-8
     */
    public static SourceFile decode(String displayName, byte[] bytes) throws NotUtf8 {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new NotUtf8(new SourceFile(displayName, out.flip().toString()));
        }
        return new SourceFile(displayName, out.flip().toString());
    }

    /**
     * A file that is not UTF-8: where its first bad byte is, counted as its text before that byte
     * shows it, told as every other diagnostic is ({@code file:line:col: error: ...}).
     */
    public static final class NotUtf8 extends IOException {
        private static final long serialVersionUID = 1L;
        static final String MESSAGE = "not valid UTF-8 text";
        static final String HELP = "save the file as UTF-8";
        private final transient SourceFile validPart;
        private final int line;
        private final int column;

        NotUtf8(SourceFile validPart) {
            this(validPart, validPart.lineCount(), lastLineWidth(validPart) + 1);
        }

        private NotUtf8(SourceFile validPart, int line, int column) {
            super(validPart.displayName() + ":" + line + ":" + column + ": error: " + MESSAGE + "; " + HELP);
            this.validPart = validPart;
            this.line = line;
            this.column = column;
        }

        /** The error as a diagnostic at the bad byte, with the text before it on its line and a caret. */
        public Diagnostics diagnostics() {
            Diagnostics diagnostics = new Diagnostics(validPart);
            diagnostics.error(Span.of(line, column, 1), MESSAGE, HELP);
            return diagnostics;
        }

        private static int lastLineWidth(SourceFile text) {
            String last = text.line(text.lineCount());
            return last.codePointCount(0, last.length());
        }

        /** The 1-based line of the first byte that is not UTF-8. */
        public int line() {
            return line;
        }

        /** Its 1-based column, counted in characters. */
        public int column() {
            return column;
        }
    }

    public String displayName() {
        return displayName;
    }

    /** The file name without folders, for generated comments. */
    public String fileName() {
        int slash = Math.max(displayName.lastIndexOf('/'), displayName.lastIndexOf('\\'));
        return displayName.substring(slash + 1);
    }

    public String text() {
        return text;
    }

    public int lineCount() {
        return lines.size();
    }

    /** The 1-based line without its terminator, or "" when out of range. */
    public String line(int number) {
        return number >= 1 && number <= lines.size() ? lines.get(number - 1) : "";
    }

    private static List<String> splitLines(String text) {
        List<String> result = new ArrayList<>();
        int start = 0;
        for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
            result.add(text.substring(start, end));
            start = end + 1;
        }
        result.add(text.substring(start));
        return result;
    }
}
