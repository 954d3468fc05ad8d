package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code data idx(...)} from the command line: IDX files written here, of 4x4 images in three
 * classes that a linear classifier tells apart (pixels k with k mod 3 equal to the class are
 * bright), train, evaluate on the test files and predict; bad files exit 2 naming the file.
 */
class IdxDataTest {
    private static final String MODEL = """
            model Shapes

            input  x : [batch, 1, 4, 4]
            input  y : int[batch]
            param  W : [16, 3] = 0
            param  b : [3]     = 0

            logits = flatten(x / 255) @ W + b
            output probs = softmax(logits)
            loss   L = mean(softmax_cross_entropy(logits, y))
            metric accuracy = mean(argmax(logits, axis = 1) == y)

            train {
              data      idx("train-images.gz", "train-labels.gz", test = idx("test-images", "test-labels"))
              batch     10 shuffle
              optimizer sgd(lr = 0.5, momentum = 0.9)
              epochs    20
              seed      3
            }
            """;

    private static final String CLAUSE = MODEL.lines().filter(l -> l.contains("data ")).findFirst().orElseThrow();

    @TempDir
    Path dir;
    Path model;

    @BeforeEach
    void files() throws Exception {
        model = dir.resolve("shapes.model");
        Files.writeString(model, MODEL);
        write("train-images.gz", "train-labels.gz", 60, 0);
        write("test-images", "test-labels", 12, 1000);
    }

    /** Images whose class (i mod 3) lights the pixels k with k mod 3 equal to it, and the rest dimly. */
    private void write(String images, String labels, int count, int salt) throws Exception {
        byte[] pixels = new byte[count * 16];
        int[] classes = new int[count];
        for (int i = 0; i < count; i++) {
            classes[i] = i % 3;
            for (int k = 0; k < 16; k++) {
                pixels[i * 16 + k] = (byte) (k % 3 == classes[i] ? 180 + (i + salt) % 70 : (7 * (i + salt) + k) % 40);
            }
        }
        writeIdx(dir.resolve(images), new int[] {count, 4, 4}, pixels);
        byte[] labelBytes = new byte[count];
        for (int i = 0; i < count; i++) {
            labelBytes[i] = (byte) classes[i];
        }
        writeIdx(dir.resolve(labels), new int[] {count}, labelBytes);
    }

    /** An IDX file of unsigned bytes: 0, 0, type 08, the number of dimensions, each as 4 bytes, then the bytes. */
    private static void writeIdx(Path file, int[] dims, byte[] values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {0, 0, 0x08, (byte) dims.length});
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(values);
        try (OutputStream stream = file.toString().endsWith(".gz")
                ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            stream.write(bytes.toByteArray());
        }
    }

    /** The 1-based column of {@code text} in the data clause's line. */
    private static int column(String text) {
        return CLAUSE.indexOf(text) + 1;
    }

    @Test
    void trainsOnTheTrainingFilesAndTestsOnTheTestFiles() throws Exception {
        Path checkpoint = dir.resolve("s.safetensors");
        CommandLineRun train = CommandLineRun.of("train", model.toString(), "--save", checkpoint.toString());
        assertEquals(0, train.exitCode(), train.transcript());
        assertTrue(train.out().contains("training on 60 rows in batches of 10 (6 steps an epoch, shuffled), testing "
                + "on 12 rows"), train.transcript());
        List<String> epochs = train.outLines().stream().filter(l -> l.startsWith("epoch ")).toList();
        assertTrue(epochs.get(epochs.size() - 1).contains("test accuracy 1.0000"), train.transcript());

        CommandLineRun eval = CommandLineRun.of("eval", model.toString(), "--init", checkpoint.toString());
        assertEquals(0, eval.exitCode(), eval.transcript());
        assertTrue(eval.out().startsWith("Shapes on 12 test images of test-images: loss "), eval.transcript());
        assertTrue(eval.out().contains("accuracy 1.0000"), eval.transcript());

        // predict reads CSV rows of an image's values, here the test images without their labels.
        List<String> rows = new ArrayList<>();
        byte[] test = Files.readAllBytes(dir.resolve("test-images"));
        for (int i = 0; i < 12; i++) {
            int[] values = new int[16];
            for (int k = 0; k < 16; k++) {
                values[k] = test[16 + i * 16 + k] & 0xff;
            }
            rows.add(String.join(",", Arrays.stream(values).mapToObj(String::valueOf).toList()));
        }
        Path csv = Files.write(dir.resolve("rows.csv"), rows);
        CommandLineRun predict = CommandLineRun.of("predict", model.toString(), "--init", checkpoint.toString(),
                "--data", csv.toString());
        assertEquals(0, predict.exitCode(), predict.transcript());
        List<String> lines = predict.outLines();
        assertEquals(13, lines.size(), predict.transcript());
        for (int i = 0; i < 12; i++) {
            String[] cells = lines.get(i + 1).split(",");
            assertEquals(String.valueOf(i % 3), cells[cells.length - 1], "image " + i);
        }
    }

    @Test
    void anOutputOverAnyOfTheIdxFilesIsRefusedAndTheFileKept() throws Exception {
        String[][] cases = {{"train-images.gz", "the IDX images file"}, {"train-labels.gz", "the IDX labels file"},
                {"test-images", "the IDX test images file"}, {"test-labels", "the IDX test labels file"}};
        for (String[] c : cases) {
            Path file = dir.resolve(c[0]);
            byte[] before = Files.readAllBytes(file);
            CommandLineRun train = CommandLineRun.of("train", model.toString(), "--save", file.toString());
            assertEquals(2, train.exitCode(), train.transcript());
            assertTrue(train.err().contains("--save " + file + " is " + c[1] + ", which this run reads"),
                    train.transcript());
            assertFalse(train.err().contains("\tat "), train.transcript());
            assertArrayEquals(before, Files.readAllBytes(file), c[0] + " changed");
        }
    }

    @Test
    void imagesThatDoNotFitTheInputAreAnErrorAtTheClause() throws Exception {
        Files.writeString(model, MODEL.replace("x : [batch, 1, 4, 4]", "x : [batch, 1, 2, 8]"));
        CommandLineRun check = CommandLineRun.of("check", model.toString());
        assertEquals(2, check.exitCode(), check.transcript());
        String images = dir.resolve("train-images.gz").toString();
        List<String> err = check.errLines();
        assertEquals(model + ":14:" + column("\"train-images.gz\"") + ": error: " + images
                + ": holds items of 4x4 (16 values), which do not fit input "
                + "x : [batch, 1, 2, 8]; declare it as [batch, 16] or [batch, 1, 4, 4]", err.get(0));
        assertEquals("  " + CLAUSE, err.get(1));
        assertEquals(" ".repeat(2 + column("\"train-images.gz\"") - 1) + "^".repeat("\"train-images.gz\"".length()),
                err.get(2).stripTrailing());
        assertFalse(check.err().contains("Exception"), check.transcript());
    }

    @Test
    void filesMissingWhenCompilingAreReportedWhenTraining() throws Exception {
        Files.delete(dir.resolve("test-labels"));
        CommandLineRun check = CommandLineRun.of("check", model.toString());
        assertEquals(0, check.exitCode(), check.transcript());
        CommandLineRun train = CommandLineRun.of("train", model.toString());
        assertEquals(2, train.exitCode(), train.transcript());
        assertTrue(train.err().contains(dir.resolve("test-labels") + ": no such file"), train.transcript());
        assertFalse(train.err().contains("Exception"), train.transcript());
    }

    @Test
    void aTruncatedFileExitsTwoNamingIt() throws Exception {
        Path images = dir.resolve("test-images");
        byte[] whole = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(whole, whole.length - 5));
        Path checkpoint = dir.resolve("never.safetensors");
        CommandLineRun train = CommandLineRun.of("train", model.toString(), "--save", checkpoint.toString());
        assertEquals(2, train.exitCode(), train.transcript());
        assertTrue(train.err().contains(images + ": ends inside item 12 of the 12 its header announces (4x4 each); "
                + "is the file complete?"), train.transcript());
        assertFalse(Files.exists(checkpoint), "nothing is written");
    }

    @Test
    void aFileThatIsNotIdxIsAnErrorAtItsName() throws Exception {
        Files.writeString(dir.resolve("test-labels"), "0\n1\n2\n");
        CommandLineRun check = CommandLineRun.of("check", model.toString());
        assertEquals(2, check.exitCode(), check.transcript());
        assertTrue(check.errLines().get(0).startsWith(model + ":14:" + column("\"test-labels\"") + ": error: "
                + dir.resolve("test-labels")
                + ": is not an IDX file: its magic number is 30 0A 31 0A"), check.transcript());
    }

    @Test
    void labelsThatDoNotCountTheImagesAreAnErrorAtTheLabels() throws Exception {
        writeIdx(dir.resolve("train-labels.gz"), new int[] {3}, new byte[] {0, 1, 2});
        CommandLineRun check = CommandLineRun.of("check", model.toString());
        assertEquals(2, check.exitCode(), check.transcript());
        assertEquals(model + ":14:" + column("\"train-labels.gz\"") + ": error: " + dir.resolve("train-labels.gz")
                + ": holds 3 labels, but "
                + dir.resolve("train-images.gz") + " holds 60 images; each image needs one label",
                check.errLines().get(0));
    }
}
