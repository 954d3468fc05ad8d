package dev.modelc.runtime.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.ZipException;

/**
 * Reads a CSV file one row at a time, as {@link CsvReader} reads it whole (the same cells,
 * line limits, gzip and checks), keeping only the current row: a file of any length is read
 * in bounded memory. Every row must have the first row's width.
 *
 * <pre>{@code
 * try (CsvRows rows = CsvRows.open(path, 1)) {
 *     while (rows.next()) {
 *         double[] cells = rows.row();   // reused for the next row
 *     }
 * }
 * }</pre>
 */
public final class CsvRows implements AutoCloseable {
    private final String source;
    private final InputStream file;
    private final LineReader lines;
    private final int skipLines;
    private final boolean hasHeader;
    private Header header;
    private boolean skipped;
    private int blankLine;
    private int firstLine;
    private double[] row;

    private CsvRows(String source, InputStream file, LineReader lines, int skipLines, boolean hasHeader) {
        this.hasHeader = hasHeader;
        this.source = source;
        this.file = file;
        this.lines = lines;
        this.skipLines = skipLines;
    }

    /** Opens {@code path} (gzip-compressed when its name ends in {@code .gz}), to skip its first {@code skipLines} lines. */
    public static CsvRows open(Path path, int skipLines) throws DataException {
        return open(path, skipLines, false);
    }

    /** The same; with {@code header}, the line after the skipped ones names the columns ({@link #header()}). */
    public static CsvRows open(Path path, int skipLines, boolean header) throws DataException {
        if (skipLines < 0) {
            throw new IllegalArgumentException("skipLines must be >= 0, got " + skipLines);
        }
        String source = path.toString();
        if (Files.isDirectory(path)) {
            throw new DataException(source, 0, "is a folder, not a file");
        }
        InputStream file = null;
        try {
            file = Files.newInputStream(path);
            boolean gzip = path.getFileName() != null && path.getFileName().toString().endsWith(".gz");
            InputStream in = gzip ? CsvReader.gunzip(source, file) : file;
            long maxBytes = gzip ? CsvReader.DEFAULT_MAX_UNPACKED_BYTES : Long.MAX_VALUE;
            LineReader lines = new LineReader(source, FileKind.requireText(source, in, gzip),
                    CsvReader.DEFAULT_MAX_LINE_BYTES, maxBytes);
            return new CsvRows(source, file, lines, skipLines, header);
        } catch (NoSuchFileException e) {
            throw new DataException(source, 0, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new DataException(source, 0, "cannot be read: permission denied", e);
        } catch (EOFException | ZipException e) {
            close(file);
            throw new DataException(source, 1, "the compressed data is corrupt or incomplete (" + e.getMessage() + ")",
                    e);
        } catch (IOException e) {
            close(file);
            throw new DataException(source, 0, "cannot be read: " + e.getMessage(), e);
        } catch (DataException | RuntimeException e) {
            close(file);
            throw e;
        }
    }

    /** The header that names the columns, read on the first call; null when the file was opened without one. */
    public Header header() throws DataException {
        try {
            skip();
        } catch (IOException e) {
            throw new DataException(source, lines.number() + 1, "reading failed: " + e.getMessage(), e);
        }
        return header;
    }

    /** The file as it was named. */
    public String source() {
        return source;
    }

    /**
     * Reads the next row; false at the end of the file.
     *
     * @throws DataException for a cell that is not a finite number, a row of another width, an
     *                       empty line between rows, or a file without rows
     */
    public boolean next() throws DataException {
        try {
            skip();
            while (lines.next()) {
                if (CsvReader.isBlank(lines.bytes(), lines.length())) {
                    blankLine = blankLine == 0 ? lines.number() : blankLine;
                    continue;
                }
                if (blankLine != 0) {
                    throw new DataException(source, blankLine, "empty line between rows; remove it");
                }
                parse();
                return true;
            }
        } catch (EOFException e) {
            throw new DataException(source, lines.number() + 1, "the compressed data ends too early; "
                    + "is the file complete?", e);
        } catch (ZipException e) {
            throw new DataException(source, lines.number() + 1, "the compressed data is corrupt (" + e.getMessage()
                    + ")", e);
        } catch (IOException e) {
            throw new DataException(source, lines.number() + 1, "reading failed: " + e.getMessage(), e);
        }
        if (row == null) {
            throw new DataException(source, Math.max(1, lines.number()), lines.number() == 0 ? "the file is empty"
                    : "no rows after the " + skipLines + " lines skipped");
        }
        return false;
    }

    private void skip() throws IOException, DataException {
        if (skipped) {
            return;
        }
        skipped = true;
        for (int i = 0; i < skipLines; i++) {
            if (!lines.next()) {
                throw new DataException(source, Math.max(1, lines.number()), "no rows: the file has "
                        + lines.number() + " lines and skip is " + skipLines);
            }
        }
        if (hasHeader) {
            header = CsvReader.header(source, lines);
        }
    }

    private void parse() throws DataException {
        byte[] bytes = lines.bytes();
        int width = CsvReader.countCells(bytes, lines.length());
        if (row == null) {
            row = new double[width];
            firstLine = lines.number();
            if (header != null && header.names().size() != width) {
                throw new DataException(source, lines.number(), "row has " + width + " columns, but the header (line "
                        + header.line() + ") names " + header.names().size());
            }
        } else if (width != row.length) {
            throw new DataException(source, lines.number(), "row has " + width + " columns, the first row (line "
                    + firstLine + ") had " + row.length);
        }
        int start = 0;
        int column = 0;
        for (int i = 0; i <= lines.length(); i++) {
            if (i == lines.length() || bytes[i] == ',') {
                row[column] = CsvReader.cellOf(source, lines.number(), column, bytes, start, i,
                        lines.number() == firstLine ? skipLines : -1);
                start = i + 1;
                column++;
            }
        }
    }

    /** The current row's cells; the array is refilled by the next call of {@link #next()}. */
    public double[] row() {
        return row;
    }

    /** Cells per row, known once the first row is read. */
    public int columns() {
        return row == null ? 0 : row.length;
    }

    /** The 1-based line of the current row. */
    public int line() {
        return lines.number();
    }

    @Override
    public void close() {
        close(file);
    }

    private static void close(InputStream file) {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // Only read from: nothing is lost.
            }
        }
    }
}
