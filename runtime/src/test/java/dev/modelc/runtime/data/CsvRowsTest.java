package dev.modelc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Row by row, a file reads as {@link CsvReader} reads it whole, and fails where it fails. */
class CsvRowsTest {
    @TempDir
    Path temp;

    private static final String TEXT = "a,b,c\n1, 2.5 ,-3e2\r\n4,5,6\n\n";

    private static void assertSameRows(Path path) throws Exception {
        Table whole = new CsvReader().read(path, 1);
        try (CsvRows rows = CsvRows.open(path, 1)) {
            for (int r = 0; r < whole.rows(); r++) {
                assertEquals(true, rows.next());
                assertEquals(whole.line(r), rows.line());
                assertArrayEquals(new double[] {whole.get(r, 0), whole.get(r, 1), whole.get(r, 2)}, rows.row());
            }
            assertFalse(rows.next());
        }
    }

    @Test
    void plainAndCompressedFilesReadAsWhole() throws Exception {
        Path plain = Files.writeString(temp.resolve("r.csv"), TEXT);
        assertSameRows(plain);
        Path packed = temp.resolve("r.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(packed))) {
            out.write(TEXT.getBytes(StandardCharsets.UTF_8));
        }
        assertSameRows(packed);
    }

    @Test
    void badRowsAreNamedByLine() throws Exception {
        Path ragged = Files.writeString(temp.resolve("ragged.csv"), "1,2\n3,4\n5\n");
        DataException e = assertThrows(DataException.class, () -> {
            try (CsvRows rows = CsvRows.open(ragged, 0)) {
                while (rows.next()) {
                    rows.row();
                }
            }
        });
        assertEquals(ragged + ":3: row has 1 columns, the first row (line 1) had 2", e.getMessage());
        Path header = Files.writeString(temp.resolve("header.csv"), "x,y\n1,2\n");
        DataException word = assertThrows(DataException.class, () -> {
            try (CsvRows rows = CsvRows.open(header, 0)) {
                rows.next();
            }
        });
        assertEquals(header + ":1: the 1st cell is not a number: \"x\"; if line 1 is a header, skip it: skip = 1",
                word.getMessage());
        Path gap = Files.writeString(temp.resolve("gap.csv"), "1\n\n2\n");
        assertThrows(DataException.class, () -> {
            try (CsvRows rows = CsvRows.open(gap, 0)) {
                while (rows.next()) {
                    rows.row();
                }
            }
        });
        Path empty = Files.writeString(temp.resolve("empty.csv"), "");
        try (CsvRows rows = CsvRows.open(empty, 0)) {
            assertEquals(empty + ":1: the file is empty", assertThrows(DataException.class, rows::next).getMessage());
        }
    }
}
