package dev.modelc.runtime.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Tells CSV text from the files often given in its place by mistake, by their first bytes:
 * gzip data under a name without {@code .gz}, zip archives (spreadsheets among them), UTF-16
 * text, binary data. Each gets a message that says what the file is and what to do, instead
 * of a complaint about its first cell.
 */
final class FileKind {
    private static final int SNIFFED = 4;

    private FileKind() {
    }

    /**
     * The stream, buffered, after checking its first bytes.
     *
     * @param unpacked whether the stream is what a {@code .gz} file unpacked to
     */
    static InputStream requireText(String source, InputStream in, boolean unpacked)
            throws IOException, DataException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(SNIFFED);
        byte[] head = buffered.readNBytes(SNIFFED);
        buffered.reset();
        String problem = problem(head, unpacked);
        if (problem != null) {
            throw new DataException(source, 0, problem);
        }
        return buffered;
    }

    private static String problem(byte[] head, boolean unpacked) {
        if (startsWith(head, 0x1F, 0x8B)) {
            return unpacked ? "holds gzip data inside gzip data; unpack it once more"
                    : "is gzip-compressed, but its name does not end in .gz; rename it to end in .gz, or unpack it";
        }
        if (startsWith(head, 'P', 'K', 0x03, 0x04)) {
            return "is a zip archive (a spreadsheet such as .xlsx is one), not CSV text; export the data as CSV";
        }
        if (startsWith(head, 0xFF, 0xFE) || startsWith(head, 0xFE, 0xFF)) {
            return "is UTF-16 text; save it as UTF-8 (or ASCII) CSV";
        }
        for (byte b : head) {
            if (b == 0) {
                return "holds NUL bytes, so it is binary data or UTF-16 text, not CSV; save it as UTF-8 (or ASCII) CSV";
            }
        }
        return null;
    }

    private static boolean startsWith(byte[] head, int... prefix) {
        if (head.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((head[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
