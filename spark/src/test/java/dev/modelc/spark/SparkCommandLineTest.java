package dev.modelc.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.cli.Main;
import dev.modelc.runtime.Preprocessing;
import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.runtime.checkpoint.Tensor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modelc train F --spark}: the same flags, lines and checkpoints as {@code modelc train F},
 * with the rows on a Spark session; Parquet as well as CSV; the same exit codes and messages for
 * bad input. Runs the command line's real entry point, which finds the Spark module on the class
 * path as {@code ./modelc --spark} puts it there.
 */
class SparkCommandLineTest {
    private static final Path SAMPLES = Path.of(System.getProperty("modelc.samples"));
    private static final String MODEL = SAMPLES.resolve("logistic_regression.model").toString();

    @TempDir
    Path folder;

    /** One run of the command line: its exit code and what it printed. */
    private record Run(int exitCode, String out, String err) {
        static Run of(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
            return new Run(code, out.toString(), err.toString());
        }

        /** The epoch lines without their times. */
        List<String> epochs() {
            return out.lines().filter(l -> l.startsWith("epoch ") || l.startsWith("training on ")
                    || l.startsWith("done")).map(l -> l.replaceAll("\\s+\\([0-9.]+ s\\)$", "")).toList();
        }
    }

    @Test
    void trainingOnSparkPrintsWhatTrainingAlonePrints() {
        LocalSpark.session();
        Run alone = Run.of("train", MODEL, "--epochs", "2");
        Run spread = Run.of("train", MODEL, "--epochs", "2", "--spark");
        assertEquals(0, spread.exitCode(), spread.err());
        assertTrue(spread.out().lines().findFirst().orElseThrow().contains(", on Spark local[*]"), spread.out());
        assertEquals(alone.epochs(), spread.epochs());
        assertEquals(4, spread.epochs().size(), spread.out());
    }

    @Test
    void checkpointsGoOnAcrossTheTwo() throws Exception {
        LocalSpark.session();
        Path half = folder.resolve("half.safetensors");
        Path spread = folder.resolve("spread.safetensors");
        Path alone = folder.resolve("alone.safetensors");
        Path log = folder.resolve("log.csv");
        Path aloneLog = folder.resolve("alone.csv");
        assertEquals(0, Run.of("train", MODEL, "--steps", "20", "--save", half.toString(), "--log", log.toString())
                .exitCode());
        Run resumed = Run.of("train", MODEL, "--steps", "40", "--resume", half.toString(), "--save", spread.toString(),
                "--spark", "local[2]", "--log", log.toString());
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("resumed at step 20 in epoch 2"), resumed.out());
        assertEquals(0, Run.of("train", MODEL, "--steps", "40", "--save", alone.toString(), "--log",
                aloneLog.toString()).exitCode());
        // The resumed run's log goes on with the rows of the run it resumes: the log of an unbroken run.
        assertEquals(stepsAndEpochs(aloneLog), stepsAndEpochs(log));
        assertEquals(41, Files.readAllLines(log).size());
        double[] expected = weights(alone);
        double[] actual = weights(spread);
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], 1e-12 * Math.abs(expected[k]) + 1e-15, "w[" + k + "]");
        }
        // How the rows were read goes into the checkpoint on Spark too: predict and eval read new rows so.
        Preprocessing one = Checkpoint.read(alone).preprocessing();
        Preprocessing other = Checkpoint.read(spread).preprocessing();
        assertEquals(List.of(31, 30, 1, 0), List.of(other.columns(), other.labelColumn(), other.skipLines(),
                other.classes()));
        for (int k = 0; k < 30; k++) {
            assertEquals(one.mean(k), other.mean(k), 1e-12 * Math.abs(one.mean(k)), "mean " + k);
            assertEquals(one.std(k), other.std(k), 1e-12 * one.std(k), "std " + k);
        }
    }

    @Test
    void parquetRowsTrainAsTheSameRowsInCsvDo() throws Exception {
        Path csv = folder.resolve("rows.csv");
        Files.copy(SAMPLES.resolve("data/breast_cancer.csv"), csv);
        // The model skips the file's first line, which is not a header of column names: Parquet has no such line.
        List<String> lines = Files.readAllLines(csv);
        Path body = Files.write(folder.resolve("body.csv"), lines.subList(1, lines.size()));
        Dataset<Row> rows = LocalSpark.session().read().option("inferSchema", "true").csv(body.toString());
        Path parquet = folder.resolve("rows.parquet");
        rows.coalesce(1).write().parquet(parquet.toString());
        Run fromCsv = Run.of("train", MODEL, "--epochs", "2", "--spark", "--data", csv.toString());
        Run fromParquet = Run.of("train", MODEL, "--epochs", "2", "--spark", "--data", parquet.toString());
        assertEquals(0, fromParquet.exitCode(), fromParquet.err());
        assertEquals(fromCsv.epochs(), fromParquet.epochs());
    }

    @Test
    void badInputIsExitCodeTwoWithAMessage() {
        LocalSpark.session();
        Run missing = Run.of("train", MODEL, "--spark", "--data", folder.resolve("none.parquet").toString());
        assertEquals(2, missing.exitCode());
        assertEquals("modelc: error: " + folder.resolve("none.parquet") + ": no such file\n", missing.err());
        Run noInputs = Run.of("train", SAMPLES.resolve("quadratic.model").toString(), "--spark");
        assertEquals(2, noInputs.exitCode());
        assertEquals("modelc: error: model `Quadratic` has no inputs, so it has no rows to spread over Spark; train it "
                + "without --spark\n", noInputs.err());
    }

    /** The header and the first two cells of every row of a log: step and epoch. */
    private static List<String> stepsAndEpochs(Path log) throws Exception {
        return Files.readAllLines(log).stream().map(l -> l.split(",")[0] + "," + l.split(",")[1]).toList();
    }

    private static double[] weights(Path checkpoint) throws Exception {
        Tensor w = Checkpoint.read(checkpoint).file().tensors().get("w");
        return w.values();
    }
}
