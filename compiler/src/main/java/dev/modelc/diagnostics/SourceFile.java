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

    /** A leading byte-order mark, which some editors write, is not part of the text. */
    public SourceFile(String displayName, String text) {
        this.displayName = displayName;
        this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
        this.lines = splitLines(this.text);
    }

    /**
     * Reads a file as strict UTF-8.
     *
     * @throws IOException when the file cannot be read or is not UTF-8; the message says which
     */
    public static SourceFile read(Path path) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
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
            throw new IOException(path + ": not valid UTF-8 text (line " + lineAt(bytes, in.position())
                    + "); save the file as UTF-8");
        }
        return new SourceFile(path.toString(), out.flip().toString());
    }

    /** The 1-based line of a byte offset, for pointing at the first byte that is not UTF-8. */
    private static int lineAt(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < bytes.length; i++) {
            line += bytes[i] == '\n' ? 1 : 0;
        }
        return line;
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
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                result.add(text.substring(start, i));
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        result.add(text.substring(start));
        return result;
    }
}
