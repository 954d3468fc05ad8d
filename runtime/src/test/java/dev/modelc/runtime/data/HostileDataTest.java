package dev.modelc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data files nobody should have to write, but people do: a line of 100 MB, bytes that are not
 * UTF-8, spreadsheet byte order marks and line ends, files of another kind under a CSV name, a
 * compressed file that unpacks without end, a file nobody may read. Each reads, or is refused
 * with its file and line, having read no more than it needed.
 */
class HostileDataTest {
    @TempDir
    Path dir;

    /** 100 MB of digits without a line break, written a megabyte at a time. */
    static Path hundredMegabyteLine(Path file) throws IOException {
        byte[] block = new byte[1 << 20];
        Arrays.fill(block, (byte) '7');
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 100; i++) {
                out.write(block);
            }
        }
        return file;
    }

    @Test
    void aHundredMegabyteLineIsRefusedAfterItsFirstMegabyte() throws IOException {
        Path file = hundredMegabyteLine(dir.resolve("line.csv"));
        DataException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(DataException.class, () -> new CsvReader().read(file, 0)));
        assertEquals(file + ":1: the line is longer than 1048576 bytes; longer lines are refused to keep memory "
                + "bounded", e.getMessage());
        long[] consumed = new long[1];
        try (InputStream in = new FilterInputStream(Files.newInputStream(file)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int read = super.read(b, off, len);
                consumed[0] += Math.max(read, 0);
                return read;
            }
        }) {
            assertThrows(DataException.class, () -> new CsvReader().read("line.csv", in, 0));
        }
        assertTrue(consumed[0] <= (1 << 20) + 3 * (1 << 16), "read " + consumed[0] + " bytes of 100 MB");
    }

    @Test
    void spreadsheetByteOrderMarksAndLineEndsJustWork() throws Exception {
        Path file = Files.write(dir.resolve("excel.csv"), bytes("\uFEFFa,b\r\n1,2\r\n3,4.5\r\n\r\n"));
        Table table = new CsvReader().read(file, 1);
        assertEquals(2, table.rows());
        assertEquals(4.5, table.get(1, 1));
        assertEquals(3, table.line(1));
        Table noHeader = new CsvReader().read(Files.write(dir.resolve("bom.csv"), bytes("\uFEFF1,2\r\n")), 0);
        assertEquals(1.0, noHeader.get(0, 0));
    }

    @Test
    void bytesThatAreNotUtf8AreShownAsBytes() throws IOException {
        byte[] content = {'1', ',', '2', '\n', '3', ',', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, 'x', '\n'};
        Path file = Files.write(dir.resolve("latin.csv"), content);
        assertEquals(file + ":2: the 2nd cell is not a number: \"\\xC3(\\xFFx\"", refusal(new CsvReader(), file));
    }

    @Test
    void filesOfAnotherKindSayWhatTheyAre() throws IOException {
        byte[] csv = bytes("1,2\n3,4\n");
        assertEquals("is gzip-compressed, but its name does not end in .gz; rename it to end in .gz, or unpack it",
                problem("packed.csv", gzip(csv)));
        assertEquals("holds gzip data inside gzip data; unpack it once more", problem("twice.csv.gz", gzip(gzip(csv))));
        assertEquals("is a zip archive (a spreadsheet such as .xlsx is one), not CSV text; export the data as CSV",
                problem("sheet.xlsx", new byte[] {'P', 'K', 3, 4, 20, 0, 6, 0}));
        assertEquals("is UTF-16 text; save it as UTF-8 (or ASCII) CSV",
                problem("utf16.csv", "\uFEFF1,2\n".getBytes(StandardCharsets.UTF_16LE)));
        assertEquals("holds NUL bytes, so it is binary data or UTF-16 text, not CSV; save it as UTF-8 (or ASCII) CSV",
                problem("utf16be.csv", "1,2\n".getBytes(StandardCharsets.UTF_16BE)));
    }

    @Test
    void unpackedDataIsCutOffAtItsLimit() throws IOException {
        // 64 MiB of line breaks: blank lines, which no row limit stops.
        byte[] breaks = new byte[1 << 20];
        Arrays.fill(breaks, (byte) '\n');
        byte[] member = gzip(breaks);
        Path file = dir.resolve("breaks.csv.gz");
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 64; i++) {
                out.write(member);
            }
        }
        String message = refusal(new CsvReader(1 << 20, 1000, 10 << 20), file);
        assertTrue(message.matches("\\Q" + file + "\\E:\\d+: the file unpacks to more than 10485760 bytes; larger "
                + "compressed data is refused, as a zip bomb would be: unpack it yourself to read it"), message);
        assertEquals(CsvReader.DEFAULT_MAX_UNPACKED_BYTES, 1L << 30, "the limit README.md gives");
    }

    @Test
    void aPathThatCannotBeOpenedIsRefused() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("plain.csv"), "1,2\n");
        Path file = notAFolder.resolve("inside.csv");
        String message = refusal(new CsvReader(), file);
        assertTrue(message.startsWith(file + ": cannot be read: "), message);
    }

    private String problem(String name, byte[] content) throws IOException {
        Path file = Files.write(dir.resolve(name), content);
        String message = refusal(new CsvReader(), file);
        assertTrue(message.startsWith(file + ": "), message);
        return message.substring((file + ": ").length());
    }

    private static String refusal(CsvReader reader, Path file) {
        return assertThrows(DataException.class, () -> reader.read(file, 0)).getMessage();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }
}
