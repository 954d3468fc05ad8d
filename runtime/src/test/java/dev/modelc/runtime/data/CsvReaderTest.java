package dev.modelc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CsvReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsCellsWithSpacesAndEitherLineBreak() throws Exception {
        Table table = read("1, 2 ,3\r\n\t4,-5.5e1 , +.25 \n7.,1E-2,0\n\n \n", 0);
        assertEquals(3, table.rows());
        assertEquals(3, table.columns());
        double[][] expected = {{1, 2, 3}, {4, -55, 0.25}, {7, 0.01, 0}};
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(expected[r][c], table.get(r, c), "row " + r + " column " + c);
            }
            assertEquals(r + 1, table.line(r));
        }
    }

    @Test
    void skippedLinesCountInLineNumbers() throws Exception {
        Table table = read("x,y\n# units: m\n1,2\n3,4", 2);
        assertEquals(2, table.rows());
        assertEquals(3, table.line(0));
        assertEquals(4, table.line(1));
        assertEquals(4.0, table.get(1, 1));
    }

    @Test
    void ignoresByteOrderMark() throws Exception {
        Table table = read("\uFEFF1.5,2\n", 0);
        assertEquals(1.5, table.get(0, 0));
    }

    @Test
    void readsGzippedFiles() throws Exception {
        Path file = dir.resolve("data.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("a,b\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8));
        }
        Table table = new CsvReader().read(file, 1);
        assertEquals(2, table.rows());
        assertEquals(3.0, table.get(1, 0));
        assertEquals(3, table.line(1));
    }

    @Test
    void keepsRowsAcrossStorageBlocks() throws Exception {
        // 70000 rows of 3 cells cross the 65536-cell blocks the table is stored in.
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < 70_000; r++) {
            text.append(r).append(',').append(-r).append(',').append(r * 0.5).append('\n');
        }
        Table table = read(text.toString(), 0);
        assertEquals(70_000, table.rows());
        for (int r : new int[] {0, 21_845, 21_846, 43_690, 69_999}) {
            assertEquals(r, table.get(r, 0));
            assertEquals(-r, table.get(r, 1));
            assertEquals(r * 0.5, table.get(r, 2));
        }
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("1,2,3\n4,5\n", 0, ":2: row has 2 columns, the first row (line 1) had 3"),
                Arguments.of("1,2,3\n4,5,6,7\n", 0, ":2: row has 4 columns, the first row (line 1) had 3"),
                Arguments.of("1,2\n3,abc\n", 0, ":2: the 2nd cell is not a number: \"abc\""),
                Arguments.of("h\n1,2\n3,x\n", 1, ":3: the 2nd cell is not a number: \"x\""),
                Arguments.of("1,2\n3,\n", 0, ":2: the 2nd cell is empty"),
                Arguments.of("1,2,\n", 0, ":1: the 3rd cell is empty"),
                Arguments.of("1,NaN\n", 0, ":1: the 2nd cell is NaN; cells must be finite numbers"),
                Arguments.of("-inf,1\n", 0, ":1: the 1st cell is infinite (\"-inf\"); cells must be finite numbers"),
                Arguments.of("1,Infinity\n", 0,
                        ":1: the 2nd cell is infinite (\"Infinity\"); cells must be finite numbers"),
                Arguments.of("1e999,1\n", 0, ":1: the 1st cell is too large for a double: \"1e999\""),
                Arguments.of("1f,2\n", 0, ":1: the 1st cell is not a number: \"1f\""),
                Arguments.of("0x10,2\n", 0, ":1: the 1st cell is not a number: \"0x10\""),
                Arguments.of("1,\"2\"\n", 0, ":1: the 2nd cell is not a number: \"\"2\"\"; if line 1 is a header, skip "
                        + "it: skip = 1"),
                Arguments.of("x,y\n1,2\n", 0, ":1: the 1st cell is not a number: \"x\"; if line 1 is a header, skip "
                        + "it: skip = 1"),
                Arguments.of("# data\nx,y\n1,2\n", 1, ":2: the 1st cell is not a number: \"x\"; if line 2 is a header, "
                        + "skip it: skip = 2"),
                Arguments.of("1,2\n3,\u00e9t\u00e9\n", 0, ":2: the 2nd cell is not a number: \"\u00e9t\u00e9\""),
                Arguments.of("1,2\n3,\u001b[2J\t\u0007\n", 0,
                        ":2: the 2nd cell is not a number: \"\\x1B[2J\\x09\\x07\""),
                Arguments.of("1,2\n3," + "9".repeat(50) + "x\n", 0, ":2: the 2nd cell is not a number: \""
                        + "9".repeat(24) + "...\""),
                Arguments.of("1.2.3\n", 0, ":1: the 1st cell is not a number: \"1.2.3\""),
                Arguments.of("1e\n", 0, ":1: the 1st cell is not a number: \"1e\""),
                Arguments.of("", 0, ":1: the file is empty"),
                Arguments.of("x,y\n", 1, ":1: no rows: the file has 1 line and skip is 1"),
                Arguments.of("x,y\nz\n", 5, ":2: no rows: the file has 2 lines and skip is 5"),
                Arguments.of("x,y\n\n  \n", 1, ":3: no rows after the 1 line skipped; the rest is blank"),
                Arguments.of("\n\n", 0, ":2: no rows: every line is blank"),
                Arguments.of("1,2\n\n3,4\n", 0, ":2: empty line between rows; remove it"));
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void badFilesAreRefusedWithFileAndLine(String content, int skip, String expected) throws IOException {
        Path file = write("bad.csv", content);
        DataException e = assertThrows(DataException.class, () -> new CsvReader().read(file, skip));
        assertEquals(file + expected, e.getMessage());
    }

    @Test
    void longLinesAreRefused() throws IOException {
        Path file = write("wide.csv", "1,2,3,4,5,6,7,8\n1,2,3,4,5,6,7,8,9\n");
        DataException e = assertThrows(DataException.class, () -> new CsvReader(16, 100).read(file, 0));
        assertEquals(file + ":2: the line is longer than 16 bytes; longer lines are refused to keep memory bounded",
                e.getMessage());
    }

    @Test
    void tablesBeyondTheCellLimitAreRefused() throws IOException {
        Path file = write("many.csv", "1,2\n3,4\n5,6\n");
        DataException e = assertThrows(DataException.class, () -> new CsvReader(100, 5).read(file, 0));
        assertEquals(file + ":3: more than 5 cells; larger tables are refused to keep memory bounded",
                e.getMessage());
    }

    @Test
    void gzipBombWithoutLineBreaksHitsTheLineLimit() throws IOException {
        // 4 GiB of the digit 0 once unpacked: more than any Java array can hold.
        byte[] zeros = new byte[1 << 20];
        Arrays.fill(zeros, (byte) '0');
        Path file = bomb("bomb.csv.gz", zeros, 4096);
        DataException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(DataException.class, () -> new CsvReader().read(file, 0)));
        assertEquals(file + ":1: the line is longer than 1048576 bytes; longer lines are refused to keep memory "
                + "bounded", e.getMessage());
    }

    @Test
    void gzipBombOfShortRowsHitsTheCellLimit() throws IOException {
        byte[] rows = "0,0,0,0,0,0,0,0\n".repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
        Path file = bomb("rows.csv.gz", rows, 4096);
        DataException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(DataException.class, () -> new CsvReader(1 << 20, 200_000).read(file, 0)));
        // 25000 rows of 8 cells fill the limit exactly; the next row is refused.
        assertEquals(file + ":25001: more than 200000 cells; larger tables are refused to keep memory bounded",
                e.getMessage());
    }

    @Test
    void problemsOutsideTheRowsNameTheFile() throws IOException {
        Path missing = dir.resolve("missing.csv");
        assertEquals(missing + ": no such file",
                assertThrows(DataException.class, () -> new CsvReader().read(missing, 0)).getMessage());
        Path plain = write("plain.csv.gz", "1,2\n");
        assertEquals(plain + ": the name ends in .gz but the file is not gzip data",
                assertThrows(DataException.class, () -> new CsvReader().read(plain, 0)).getMessage());
        assertEquals(dir + ": is a folder, not a file",
                assertThrows(DataException.class, () -> new CsvReader().read(dir, 0)).getMessage());
    }

    @Test
    void truncatedGzipIsReportedWithTheLineReached() throws IOException {
        byte[] whole = gzip("1,2\n3,4\n5,6\n".repeat(1000).getBytes(StandardCharsets.US_ASCII));
        Path file = dir.resolve("cut.csv.gz");
        Files.write(file, Arrays.copyOf(whole, whole.length - 20));
        DataException e = assertThrows(DataException.class, () -> new CsvReader().read(file, 0));
        assertTrue(e.getMessage().startsWith(file + ":"), e.getMessage());
        assertTrue(e.getMessage().endsWith(": the compressed data ends too early; is the file complete?"),
                e.getMessage());
        assertTrue(e.line() > 0, "line " + e.line());
    }

    @Test
    void cellsAreNamedCountingFromOne() {
        assertEquals("the 1st cell", Table.cellName(0));
        assertEquals("the 2nd cell", Table.cellName(1));
        assertEquals("the 3rd cell", Table.cellName(2));
        assertEquals("the 4th cell", Table.cellName(3));
        assertEquals("the 11th cell", Table.cellName(10));
        assertEquals("the 12th cell", Table.cellName(11));
        assertEquals("the 13th cell", Table.cellName(12));
        assertEquals("the 21st cell", Table.cellName(20));
        assertEquals("the 102nd cell", Table.cellName(101));
        assertEquals("the 111th cell", Table.cellName(110));
    }

    private Table read(String content, int skip) throws IOException, DataException {
        return new CsvReader().read(write("data.csv", content), skip);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    /** A file of {@code copies} gzip members, each {@code block} compressed: tiny on disk, huge unpacked. */
    private Path bomb(String name, byte[] block, int copies) throws IOException {
        byte[] member = gzip(block);
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < copies; i++) {
                out.write(member);
            }
        }
        return file;
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }
}
