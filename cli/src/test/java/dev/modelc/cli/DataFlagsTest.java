package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code train --data FILE} with data files that cannot be trained on: each is refused with
 * exit code 2 and one line naming the file and line, no stack trace, nothing trained.
 */
class DataFlagsTest {
    @TempDir
    static Path temp;

    private static Path model;

    /** Two features and a class label of three classes, after a header line. */
    @BeforeAll
    static void writeModel() throws IOException {
        model = Files.writeString(temp.resolve("classes.model"), "model Classes\ninput x : [batch, 2]\n"
                + "input y : int[batch]\nparam W : [2, 3] = 0\nloss L = mean(softmax_cross_entropy(x @ W, y))\n"
                + "train {\n  data csv(\"train.csv\", label = last, skip = 1)\n  optimizer sgd(lr = 0.1)\n"
                + "  epochs 2\n}\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        ragged.csv | a,b,y\\n1,2,0\\n3,4\\n | :3: row has 2 columns, the first row (line 2) had 3
        words.csv | a,b,y\\n1,2,0\\n3,abc,1\\n | :3: the 2nd cell is not a number: "abc"
        nan.csv | a,b,y\\n1,NaN,0\\n | :2: the 2nd cell is NaN; cells must be finite numbers
        inf.csv | a,b,y\\n1,2,0\\n-inf,1,1\\n | :3: the 1st cell is infinite ("-inf"); cells must be finite numbers
        empty.csv |  | :1: the file is empty
        header.csv | a,b,y\\n | :1: no rows: the file has 1 line and skip is 1
        negative.csv | a,b,y\\n1,2,0\\n1,2,-1\\n | :3: the 3rd cell is -1, but input y takes whole numbers from 0 to 2
        toolarge.csv | a,b,y\\n1,2,3\\n | :2: the 3rd cell is 3, but input y takes whole numbers from 0 to 2
        fraction.csv | a,b,y\\n1,2,0.5\\n | :2: the 3rd cell is 0.5, but input y takes whole numbers from 0 to 2
        blank.csv | a,b,y\\n1,2,0\\n\\n3,4,1\\n | :3: empty line between rows; remove it
        notgzip.csv.gz | a,b,y\\n1,2,0\\n | : the name ends in .gz but the file is not gzip data
        """)
    void badTextIsRefusedWithFileAndLine(String name, String content, String expected) throws IOException {
        Path file = Files.writeString(temp.resolve(name), content == null ? "" : content.replace("\\n", "\n"));
        assertRefused(file, file + expected);
    }

    @Test
    void aHundredMegabyteLineIsRefusedQuickly() throws IOException {
        Path file = temp.resolve("line.csv");
        byte[] block = new byte[1 << 20];
        Arrays.fill(block, (byte) '7');
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 100; i++) {
                out.write(block);
            }
        }
        long start = System.nanoTime();
        assertRefused(file, file + ":1: the line is longer than 1048576 bytes; longer lines are refused to keep "
                + "memory bounded");
        assertTrue(System.nanoTime() - start < 20e9, "refused after its first megabyte, not after reading it all");
    }

    @Test
    void gzipBombsAndMislabelledFilesAreRefused() throws IOException {
        byte[] digits = new byte[1 << 20];
        Arrays.fill(digits, (byte) '7');
        byte[] member = gzip(digits);
        Path bomb = temp.resolve("bomb.csv.gz");
        try (OutputStream out = Files.newOutputStream(bomb)) {
            for (int i = 0; i < 4096; i++) {
                out.write(member);
            }
        }
        assertRefused(bomb, bomb + ":1: the line is longer than 1048576 bytes; longer lines are refused to keep "
                + "memory bounded");
        Path packed = Files.write(temp.resolve("packed.csv"), gzip("a,b,y\n1,2,0\n".getBytes(StandardCharsets.UTF_8)));
        assertRefused(packed, packed + ": is gzip-compressed, but its name does not end in .gz; rename it to end in "
                + ".gz, or unpack it");
        byte[] latin = {'a', ',', 'b', ',', 'y', '\n', '1', ',', (byte) 0xE9, 0x1B, ',', '0', '\n'};
        Path notUtf8 = Files.write(temp.resolve("latin.csv"), latin);
        assertRefused(notUtf8, notUtf8 + ":2: the 2nd cell is not a number: \"\\xE9\\x1B\"");
        assertRefused(temp, temp + ": is a folder, not a file");
        assertRefused(temp.resolve("missing.csv"), temp.resolve("missing.csv") + ": no such file");
    }

    @Test
    void spreadsheetTextWithByteOrderMarkAndCrLfTrains() throws IOException {
        Path file = Files.write(temp.resolve("excel.csv"), "\uFEFFa,b,y\r\n1,2,0\r\n3,1,1\r\n0,0,2\r\n"
                .getBytes(StandardCharsets.UTF_8));
        CommandLineRun run = CommandLineRun.of("train", model.toString(), "--data", file.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().contains("training on 3 rows"), run.out());
    }

    @Test
    void aDataPathThatCannotNameAFileIsRefused() throws IOException {
        Path nul = Files.writeString(temp.resolve("nul.model"), Files.readString(model).replace("train.csv",
                "a\u0000b.csv"));
        CommandLineRun run = CommandLineRun.of("train", nul.toString());
        assertEquals(2, run.exitCode(), run.transcript());
        assertTrue(run.errLines().get(0).startsWith("modelc: error: a\\0b.csv: not a possible file name"),
                run.transcript());
    }

    private static void assertRefused(Path data, String message) {
        CommandLineRun run = CommandLineRun.of("train", model.toString(), "--data", data.toString());
        assertEquals(2, run.exitCode(), run.transcript());
        assertEquals("modelc: error: " + message, run.errLines().get(0), run.transcript());
        assertEquals(1, run.errLines().size(), run.transcript());
        assertFalse(run.err().contains("\tat "), "no stack trace");
        assertEquals("", run.out(), "nothing trained");
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }
}
