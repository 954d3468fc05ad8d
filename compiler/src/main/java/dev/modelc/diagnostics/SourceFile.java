package dev.modelc.diagnostics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
        return decode(path.toString(), Files.readAllBytes(path));
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
            throw new NotUtf8(displayName, new SourceFile(displayName, out.flip().toString()));
        }
        return new SourceFile(displayName, out.flip().toString());
    }

    /** A file that is not UTF-8: where its first bad byte is, counted as its text before that byte shows it. */
    public static final class NotUtf8 extends IOException {
        private static final long serialVersionUID = 1L;
        private final int line;
        private final int column;

        NotUtf8(String displayName, SourceFile validPart) {
            this(displayName, validPart.lineCount(), lastLineWidth(validPart) + 1);
        }

        private NotUtf8(String displayName, int line, int column) {
            super(displayName + ": not valid UTF-8 text (line " + line + ", column " + column
                    + "); save the file as UTF-8");
            this.line = line;
            this.column = column;
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
