package dev.modelc.runtime.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a CSV file of finite numbers into a {@link Table}: comma-separated cells, spaces
 * around a cell allowed, the first lines optionally skipped (for headers), gzip-compressed
 * when the name ends in {@code .gz}. Lines and tables beyond set sizes are refused, so a
 * hostile or compressed file cannot exhaust memory.
 */
public final class CsvReader {
    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;
    public static final long DEFAULT_MAX_CELLS = 50_000_000L;
    private static final int QUOTED_CELL_LIMIT = 40;

    private final int maxLineBytes;
    private final long maxCells;

    public CsvReader() {
        this(DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_CELLS);
    }

    public CsvReader(int maxLineBytes, long maxCells) {
        if (maxLineBytes < 1 || maxCells < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxLineBytes = maxLineBytes;
        this.maxCells = maxCells;
    }

    /** Reads the file, skipping its first {@code skipLines} lines. */
    public Table read(Path path, int skipLines) throws DataException {
        String source = path.toString();
        if (Files.isDirectory(path)) {
            throw new DataException(source, 0, "is a folder, not a file");
        }
        try (InputStream file = Files.newInputStream(path)) {
            boolean gzip = path.getFileName() != null && path.getFileName().toString().endsWith(".gz");
            return read(source, gzip ? gunzip(source, file) : file, skipLines);
        } catch (NoSuchFileException e) {
            throw new DataException(source, 0, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new DataException(source, 0, "cannot be read: permission denied", e);
        } catch (IOException e) {
            throw new DataException(source, 0, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Reads CSV text from a stream, which stays open; {@code source} names it in messages. */
    public Table read(String source, InputStream in, int skipLines) throws DataException {
        if (skipLines < 0) {
            throw new IllegalArgumentException("skipLines must be >= 0, got " + skipLines);
        }
        LineReader lines = new LineReader(source, in, maxLineBytes);
        try {
            return parse(source, lines, skipLines);
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

    private static InputStream gunzip(String source, InputStream file) throws IOException, DataException {
        BufferedInputStream buffered = new BufferedInputStream(file);
        try {
            return new GZIPInputStream(buffered, 1 << 16);
        } catch (ZipException | EOFException e) {
            throw new DataException(source, 0, "the name ends in .gz but the file is not gzip data", e);
        }
    }

    private Table parse(String source, LineReader lines, int skipLines) throws IOException, DataException {
        for (int i = 0; i < skipLines; i++) {
            if (!lines.next()) {
                throw noRows(source, lines.number(), skipLines);
            }
        }
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
            addCells(table, lines);
        }
        if (table == null) {
            throw noRows(source, lines.number(), skipLines);
        }
        return table.build();
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

    private static void addCells(Table.Builder table, LineReader lines) throws DataException {
        byte[] bytes = lines.bytes();
        int start = 0;
        int column = 0;
        for (int i = 0; i <= lines.length(); i++) {
            if (i == lines.length() || bytes[i] == ',') {
                table.add(cell(table.source(), lines.number(), column, bytes, start, i));
                start = i + 1;
                column++;
            }
        }
    }

    private static double cell(String source, int line, int column, byte[] bytes, int from, int to)
            throws DataException {
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
            String text = new String(bytes, from, to - from, StandardCharsets.UTF_8);
            throw new DataException(source, line, name + notANumber(text));
        }
        double value = Double.parseDouble(new String(bytes, from, to - from, StandardCharsets.ISO_8859_1));
        if (Double.isInfinite(value)) {
            throw new DataException(source, line, name + " is too large for a double: " + quote(
                    new String(bytes, from, to - from, StandardCharsets.ISO_8859_1)));
        }
        return value;
    }

    private static String notANumber(String text) {
        String word = text.toLowerCase(Locale.ROOT).replaceFirst("^[+-]", "");
        if (word.equals("nan")) {
            return " is NaN; cells must be finite numbers";
        }
        if (word.equals("inf") || word.equals("infinity")) {
            return " is infinite (" + quote(text) + "); cells must be finite numbers";
        }
        return " is not a number: " + quote(text);
    }

    private static String quote(String text) {
        return "\"" + (text.length() > QUOTED_CELL_LIMIT ? text.substring(0, QUOTED_CELL_LIMIT) + "..." : text) + "\"";
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

    private static int countCells(byte[] bytes, int length) {
        int cells = 1;
        for (int i = 0; i < length; i++) {
            cells += bytes[i] == ',' ? 1 : 0;
        }
        return cells;
    }

    private static boolean isBlank(byte[] bytes, int length) {
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
