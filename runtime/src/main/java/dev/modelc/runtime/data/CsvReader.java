package dev.modelc.runtime.data;

import dev.modelc.runtime.HeapSize;
import dev.modelc.runtime.InputFile;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a CSV file of finite numbers into a {@link Table}: comma-separated cells, spaces
 * around a cell allowed, the first lines optionally skipped (for headers), gzip-compressed
 * when the name ends in {@code .gz}. Lines, tables and unpacked data beyond set sizes are
 * refused, so a hostile or compressed file can neither exhaust memory nor keep it busy for long.
 */
public final class CsvReader {
    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;
    public static final long DEFAULT_MAX_CELLS = 50_000_000L;
    /** What a {@code .gz} file may unpack to: about what the cell limit allows of long numbers. */
    public static final long DEFAULT_MAX_UNPACKED_BYTES = 1L << 30;

    private final int maxLineBytes;
    private final long maxCells;
    private final long maxUnpackedBytes;

    public CsvReader() {
        this(DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_CELLS);
    }

    public CsvReader(int maxLineBytes, long maxCells) {
        this(maxLineBytes, maxCells, DEFAULT_MAX_UNPACKED_BYTES);
    }

    public CsvReader(int maxLineBytes, long maxCells, long maxUnpackedBytes) {
        if (maxLineBytes < 1 || maxCells < 1 || maxUnpackedBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxLineBytes = maxLineBytes;
        this.maxCells = maxCells;
        this.maxUnpackedBytes = maxUnpackedBytes;
    }

    /** Reads the file, skipping its first {@code skipLines} lines. */
    public Table read(Path path, int skipLines) throws DataException {
        return read(path, skipLines, false);
    }

    /**
     * Reads the file, skipping its first {@code skipLines} lines; with {@code header}, the line
     * after them names the columns ({@link Table#header()}) and the rows follow it.
     */
    public Table read(Path path, int skipLines, boolean header) throws DataException {
        String source = path.toString();
        if (Files.isDirectory(path)) {
            throw new DataException(source, 0, "is a folder, not a file");
        }
        try (InputStream file = InputFile.open(path)) {
            boolean gzip = path.getFileName() != null && path.getFileName().toString().endsWith(".gz");
            return gzip ? read(source, gunzip(source, file), skipLines, header, maxUnpackedBytes, true)
                    : read(source, file, skipLines, header, Long.MAX_VALUE, false);
        } catch (NoSuchFileException e) {
            throw new DataException(source, 0, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new DataException(source, 0, "cannot be read: permission denied", e);
        } catch (FileSystemException e) {
            throw new DataException(source, 0, "cannot be read" + (e.getReason() != null ? ": " + e.getReason() : ""), e);
        } catch (IOException e) {
            throw new DataException(source, 0, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Reads CSV text from a stream, which stays open; {@code source} names it in messages. */
    public Table read(String source, InputStream in, int skipLines) throws DataException {
        try {
            return read(source, in, skipLines, false, Long.MAX_VALUE, false);
        } catch (IOException e) {
            throw new DataException(source, 0, "cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * @param maxBytes the most bytes to read, for unpacked data
     * @param unpacked whether {@code in} is what a {@code .gz} file unpacks to
     */
    private Table read(String source, InputStream in, int skipLines, boolean header, long maxBytes, boolean unpacked)
            throws IOException, DataException {
        if (skipLines < 0) {
            throw new IllegalArgumentException("skipLines must be >= 0, got " + skipLines);
        }
        LineReader lines;
        try {
            lines = new LineReader(source, FileKind.requireText(source, in, unpacked), maxLineBytes, maxBytes);
        } catch (EOFException | ZipException e) {
            throw new DataException(source, 1, "the compressed data is corrupt or incomplete (" + e.getMessage() + ")",
                    e);
        }
        try {
            return parse(source, lines, skipLines, header);
        } catch (OutOfMemoryError e) {
            // The table being built is garbage now, so there is room to say so.
            throw new DataException(source, lines.number(), "the data does not fit in memory: "
                    + HeapSize.advice(), null);
        } catch (EOFException e) {
            throw new DataException(source, lines.number() + 1, "the compressed data ends too early; "
                    + "is the file complete?", e);
        } catch (ZipException e) {
            throw new DataException(source, lines.number() + 1, "the compressed data is corrupt ("
                    + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DataException(source, lines.number() + 1, "reading failed: " + e.getMessage(), e);
        }
    }

    static InputStream gunzip(String source, InputStream file) throws IOException, DataException {
        BufferedInputStream buffered = new BufferedInputStream(file);
        try {
            return new GZIPInputStream(buffered, 1 << 16);
        } catch (ZipException | EOFException e) {
            throw new DataException(source, 0, "the name ends in .gz but the file is not gzip data", e);
        }
    }

    private Table parse(String source, LineReader lines, int skipLines, boolean header)
            throws IOException, DataException {
        for (int i = 0; i < skipLines; i++) {
            if (!lines.next()) {
                throw noRows(source, lines.number(), skipLines);
            }
        }
        Header names = header ? header(source, lines) : null;
        Table.Builder table = null;
        int firstRowLine = 0;
        int blankLine = 0;
        while (lines.next()) {
            if (isBlank(lines.bytes(), lines.length())) {
                blankLine = blankLine == 0 ? lines.number() : blankLine;
                continue;
            }
            if (blankLine != 0) {
                // Rows must sit on consecutive lines: that is how a row finds its line again.
                throw new DataException(source, blankLine, "empty line between rows; remove it");
            }
            int columns = countCells(lines.bytes(), lines.length());
            if (table == null) {
                table = new Table.Builder(source, columns, lines.number());
                firstRowLine = lines.number();
            } else if (columns != table.columns()) {
                throw new DataException(source, lines.number(), "row has " + columns + " columns, the first row (line "
                        + firstRowLine + ") had " + table.columns());
            }
            if (table.cells() + columns > maxCells) {
                throw new DataException(source, lines.number(), "more than " + maxCells
                        + " cells; larger tables are refused to keep memory bounded");
            }
            addCells(table, lines, table.cells() == 0 ? skipLines : -1);
        }
        if (table == null) {
            throw noRows(source, lines.number(), skipLines + (header ? 1 : 0));
        }
        if (names != null && names.names().size() != table.columns()) {
            throw new DataException(source, firstRowLine, "row has " + table.columns() + " columns, but the header "
                    + "(line " + names.line() + ") names " + names.names().size());
        }
        return names == null ? table.build() : table.build().withHeader(names);
    }

    /** The line that names the columns, after the skipped ones. */
    static Header header(String source, LineReader lines) throws IOException, DataException {
        if (!lines.next()) {
            throw new DataException(source, Math.max(1, lines.number()), lines.number() == 0 ? "the file is empty"
                    : "no header: the file ends after the " + lines(lines.number()) + " skipped");
        }
        return Header.parse(lines.bytes(), lines.length(), lines.number());
    }

    private static DataException noRows(String source, int lineCount, int skipLines) {
        if (lineCount == 0) {
            return new DataException(source, 1, "the file is empty");
        }
        String problem = skipLines >= lineCount
                ? "no rows: the file has " + lines(lineCount) + " and skip is " + skipLines
                : skipLines == 0 ? "no rows: every line is blank"
                : "no rows after the " + lines(skipLines) + " skipped; the rest is blank";
        return new DataException(source, lineCount, problem);
    }

    private static String lines(int count) {
        return count + (count == 1 ? " line" : " lines");
    }

    /** @param skipped the lines skipped before this row when it is the first, else -1 */
    private static void addCells(Table.Builder table, LineReader lines, int skipped) throws DataException {
        byte[] bytes = lines.bytes();
        int start = 0;
        int column = 0;
        for (int i = 0; i <= lines.length(); i++) {
            if (i == lines.length() || bytes[i] == ',') {
                table.add(cellOf(table.source(), lines.number(), column, bytes, start, i, skipped));
                start = i + 1;
                column++;
            }
        }
    }

    /**
     * A cell's number, or the problem with it naming file and line.
     *
     * @param skipped the lines skipped before the cell's row when it is the first row, else -1
     */
    static double cellOf(String source, int line, int column, byte[] bytes, int from, int to, int skipped)
            throws DataException {
        try {
            return cell(source, line, column, bytes, from, to);
        } catch (NotANumber e) {
            // A word in the first row is most often a header the model does not skip.
            String hint = skipped < 0 || !e.word ? "" : "; if line " + line + " is a header, skip it: skip = " + line;
            throw new DataException(source, line, e.getMessage() + hint);
        }
    }

    /** A cell that holds text, before the row it is in adds what may explain it. */
    private static final class NotANumber extends Exception {
        /** Whether the text starts as a column's name does: with a letter, an underscore or a quote. */
        final boolean word;

        NotANumber(String message, boolean word) {
            super(message, null, false, false);
            this.word = word;
        }
    }

    private static double cell(String source, int line, int column, byte[] bytes, int from, int to)
            throws DataException, NotANumber {
        while (from < to && isSpace(bytes[from])) {
            from++;
        }
        while (to > from && isSpace(bytes[to - 1])) {
            to--;
        }
        String name = Table.cellName(column);
        if (from == to) {
            throw new DataException(source, line, name + " is empty");
        }
        if (!isDecimal(bytes, from, to)) {
            String word = new String(bytes, from, to - from, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT)
                    .replaceFirst("^[+-]", "");
            if (word.equals("nan")) {
                throw new DataException(source, line, name + " is NaN; cells must be finite numbers");
            }
            if (word.equals("inf") || word.equals("infinity")) {
                throw new DataException(source, line, name + " is infinite (" + CellText.quote(bytes, from, to)
                        + "); cells must be finite numbers");
            }
            byte first = bytes[from];
            boolean named = first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z' || first == '_'
                    || first == '"';
            throw new NotANumber(name + " is not a number: " + CellText.quote(bytes, from, to), named);
        }
        double value = Double.parseDouble(new String(bytes, from, to - from, StandardCharsets.ISO_8859_1));
        if (Double.isInfinite(value)) {
            throw new DataException(source, line, name + " is too large for a double: "
                    + CellText.quote(bytes, from, to));
        }
        return value;
    }

    /** Whether the bytes are a decimal number: sign, digits with at most one point, exponent. */
    static boolean isDecimal(byte[] b, int from, int to) {
        int i = from < to && (b[from] == '+' || b[from] == '-') ? from + 1 : from;
        int digitsStart = i;
        i = skipDigits(b, i, to);
        int digits = i - digitsStart;
        if (i < to && b[i] == '.') {
            int fractionStart = i + 1;
            i = skipDigits(b, fractionStart, to);
            digits += i - fractionStart;
        }
        if (digits == 0) {
            return false;
        }
        if (i < to && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            i = i < to && (b[i] == '+' || b[i] == '-') ? i + 1 : i;
            int exponentStart = i;
            i = skipDigits(b, i, to);
            if (i == exponentStart) {
                return false;
            }
        }
        return i == to;
    }

    private static int skipDigits(byte[] b, int i, int to) {
        while (i < to && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        return i;
    }

    static int countCells(byte[] bytes, int length) {
        int cells = 1;
        for (int i = 0; i < length; i++) {
            cells += bytes[i] == ',' ? 1 : 0;
        }
        return cells;
    }

    static boolean isBlank(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (!isSpace(bytes[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r';
    }
}
