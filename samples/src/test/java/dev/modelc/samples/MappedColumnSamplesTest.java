package dev.modelc.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The samples fed by named columns train to the accuracy their files state, on rows their
 * generators make by a known rule; a trained model predicts new rows, in another column order
 * and without their labels, as the rule says.
 */
class MappedColumnSamplesTest {
    @TempDir
    Path temp;

    @Test
    void embeddingReachesNinetyNinePercentOnHeldOutRows() throws Exception {
        Path saved = temp.resolve("embedding.safetensors");
        CommandLineRun run = CommandLineRun.of("train", sample("embedding.model"), "--save", saved.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(TensorSamplesTest.lastAccuracy(run) >= 0.99, run.transcript());
        assertTrue(run.out().contains("training on 3200 rows"), run.transcript());

        // 500 new rows by the same rule, another seed; columns reordered, the id and the label left out.
        Path fresh = generate("ShopRows.java", "500", "99");
        List<String[]> rows = rows(fresh);
        List<String> header = List.of(rows.get(0));
        int[] picked = {header.indexOf("age"), header.indexOf("product"), header.indexOf("price"),
            header.indexOf("city")};
        StringBuilder text = new StringBuilder("age,product,price,city\n");
        for (String[] row : rows.subList(1, rows.size())) {
            text.append(row[picked[0]]).append(',').append(row[picked[1]]).append(',').append(row[picked[2]])
                    .append(',').append(row[picked[3]]).append('\n');
        }
        Path unlabelled = temp.resolve("unlabelled.csv");
        Files.writeString(unlabelled, text);
        Path predictions = temp.resolve("predictions.csv");
        CommandLineRun predict = CommandLineRun.of("predict", sample("embedding.model"), "--init", saved.toString(),
                "--data", unlabelled.toString(), "-o", predictions.toString());
        assertEquals(0, predict.exitCode(), predict.transcript());
        List<String[]> predicted = rows(predictions);
        assertEquals(List.of("probs[0]", "probs[1]", "argmax"), List.of(predicted.get(0)));
        int buys = header.indexOf("buys");
        int agree = 0;
        for (int r = 1; r < rows.size(); r++) {
            agree += rows.get(r)[buys].equals(predicted.get(r)[2]) ? 1 : 0;
        }
        assertTrue(agree >= 495, agree + " of 500 predictions agree with the rule");

        CommandLineRun eval = CommandLineRun.of("eval", sample("embedding.model"), "--init", saved.toString(),
                "--data", fresh.toString());
        assertEquals(0, eval.exitCode(), eval.transcript());
        Matcher accuracy = Pattern.compile("on 500 rows of .*accuracy (\\d\\.\\d+)").matcher(eval.out());
        assertTrue(accuracy.find(), eval.transcript());
        assertEquals(agree / 500.0, Double.parseDouble(accuracy.group(1)), 1e-4, eval.transcript());
    }

    @Test
    void rnnReachesNinetyFivePercentOnHeldOutRows() {
        CommandLineRun run = CommandLineRun.of("train", sample("rnn.model"));
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(TensorSamplesTest.lastAccuracy(run) >= 0.95, run.transcript());
    }

    @Test
    void theCommittedRowsAreWhatTheGeneratorsMake() throws Exception {
        Path data = CommandLineRun.samples().resolve("data");
        assertArrayEquals(Files.readAllBytes(data.resolve("shop.csv")),
                Files.readAllBytes(generate("ShopRows.java", "4000", "7")));
        assertArrayEquals(Files.readAllBytes(data.resolve("rises.csv")),
                Files.readAllBytes(generate("RiseRows.java", "4000", "11")));
    }

    @Test
    void aFileWithoutAColumnTheModelReadsIsRefusedWithItsLine() throws Exception {
        Path saved = temp.resolve("rnn.safetensors");
        CommandLineRun run = CommandLineRun.of("train", sample("rnn.model"), "--epochs", "1", "--save",
                saved.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        Path missing = temp.resolve("missing.csv");
        Files.writeString(missing, "t0,t1,t2,t3,t5\n0.1,0.2,0.3,0.4,0.5\n");
        CommandLineRun predict = CommandLineRun.of("predict", sample("rnn.model"), "--init", saved.toString(),
                "--data", missing.toString());
        assertEquals(2, predict.exitCode(), predict.transcript());
        assertTrue(predict.err().contains(missing + ":1: the header has no column named \"t4\""),
                predict.transcript());
    }

    private static String sample(String name) {
        return CommandLineRun.samples().resolve(name).toString();
    }

    /** Rows a generator of samples/data writes, run as the README says: {@code java G.java ROWS SEED OUT}. */
    private Path generate(String generator, String rows, String seed) throws IOException, InterruptedException {
        Path out = temp.resolve(generator + "-" + rows + "-" + seed + ".csv");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, CommandLineRun.samples().resolve("data").resolve(generator)
                .toString(), rows, seed, out.toString()).redirectErrorStream(true).start();
        String printed = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the generator did not finish");
        assertEquals(0, process.exitValue(), printed);
        return out;
    }

    private static List<String[]> rows(Path csv) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            rows.add(line.split(","));
        }
        return rows;
    }
}
