package dev.modelc.runtime.data;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines ({@code \n} or {@code \r\n}), refusing a line as soon as it
 * grows past a limit, so a file without line breaks cannot fill the memory, and refusing to
 * read more than a set number of bytes in all, so unpacked data cannot go on for ever.
 */
final class LineReader {
    private static final int CHUNK = 1 << 16;

    private final String source;
    private final InputStream in;
    private final int maxLength;
    private final long maxBytes;
    private long bytesRead;
    private final byte[] chunk = new byte[CHUNK];
    private int chunkPosition;
    private int chunkEnd;
    private byte[] line = new byte[256];
    private int length;
    private int number;

    /** @param maxBytes the most bytes to read from {@code in}, counted as what a compressed file unpacks to */
    LineReader(String source, InputStream in, int maxLength, long maxBytes) {
        this.source = source;
        this.in = in;
        this.maxLength = maxLength;
        this.maxBytes = maxBytes;
    }

    /** Reads the next line into {@link #bytes()}; false at the end of the input. */
    boolean next() throws IOException, DataException {
        length = 0;
        boolean started = false;
        while (true) {
            if (chunkPosition == chunkEnd) {
                int read = in.read(chunk, 0, CHUNK);
                if (read < 0) {
                    return started && finishLine();
                }
                bytesRead += read;
                if (bytesRead > maxBytes) {
                    throw new DataException(source, number + 1, "the file unpacks to more than " + maxBytes
                            + " bytes; larger compressed data is refused, as a zip bomb would be: unpack it yourself "
                            + "to read it");
                }
                chunkPosition = 0;
                chunkEnd = read;
            }
            started = true;
            int end = chunkPosition;
            while (end < chunkEnd && chunk[end] != '\n') {
                end++;
            }
            append(end - chunkPosition);
            if (end < chunkEnd) {
                chunkPosition = end + 1;
                return finishLine();
            }
            chunkPosition = chunkEnd;
        }
    }

    /** The current line's bytes, valid up to {@link #length()}, without the line break. */
    byte[] bytes() {
        return line;
    }

    int length() {
        return length;
    }

    /** The 1-based number of the current line; after the end, the number of lines. */
    int number() {
        return number;
    }

    private void append(int count) throws DataException {
        if (length + count > maxLength) {
            throw new DataException(source, number + 1, "the line is longer than " + maxLength
                    + " bytes; longer lines are refused to keep memory bounded");
        }
        if (length + count > line.length) {
            byte[] grown = new byte[Math.min(maxLength, Math.max(line.length * 2, length + count))];
            System.arraycopy(line, 0, grown, 0, length);
            line = grown;
        }
        System.arraycopy(chunk, chunkPosition, line, length, count);
        length += count;
    }

    private boolean finishLine() throws DataException {
        if (number == Integer.MAX_VALUE) {
            throw new DataException(source, 0, "has more than " + Integer.MAX_VALUE + " lines, more than a line "
                    + "number can count");
        }
        number++;
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        if (number == 1 && length >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF) {
            // A byte order mark, as spreadsheet programs write, is not part of the first cell.
            System.arraycopy(line, 3, line, 0, length - 3);
            length -= 3;
        }
        return true;
    }
}
