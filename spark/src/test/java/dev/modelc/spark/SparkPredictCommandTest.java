package dev.modelc.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.cli.Main;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.runtime.training.Training;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modelc predict F --init CKPT --spark [MASTER] --data ROWS -o OUT.parquet}: every row
 * gets the output the trained parameters give it, with the features standardized as training
 * did; rows with or without their label; bad input exits 2 and writes nothing; with a master URL,
 * executors that have Spark alone get the model and modelc in the jars the command line ships.
 */
class SparkPredictCommandTest {
    private static final Path SAMPLES = Path.of(System.getProperty("modelc.samples"));
    private static final String MODEL = SAMPLES.resolve("logistic_regression.model").toString();

    @TempDir
    static Path trained;

    @TempDir
    Path folder;

    private static Path checkpoint;

    @BeforeAll
    static void train() {
        checkpoint = trained.resolve("lr.safetensors");
        int code = Main.run(new String[] {"train", MODEL, "--epochs", "3", "--save", checkpoint.toString()},
                new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true));
        assertEquals(0, code);
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void everyRowGetsTheProbabilityOfItsStandardizedFeatures() throws Exception {
        LocalSpark.session();
        Path out = folder.resolve("scored.parquet");
        String[] run = run("predict", MODEL, "--init", checkpoint.toString(), "--spark", "--data",
                SAMPLES.resolve("data/breast_cancer.csv").toString(), "-o", out.toString());
        assertEquals("0", run[0], run[2]);
        List<Row> rows = LocalSpark.session().read().parquet(out.toString()).collectAsList();
        assertEquals(569, rows.size());
        Expected expected = new Expected();
        for (Row row : rows) {
            assertEquals(32, row.size());
            double[] x = new double[30];
            for (int k = 0; k < 30; k++) {
                x[k] = row.getDouble(k);
            }
            double p = row.getDouble(row.fieldIndex("probability"));
            assertEquals(expected.probability(x), p, 1e-12 * p, "row " + row);
        }
        // Rows without the label, and no header line, get the same outputs.
        List<String> lines = Files.readAllLines(SAMPLES.resolve("data/breast_cancer.csv")).subList(1, 51);
        List<String> features = lines.stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
        Path bare = Files.write(folder.resolve("bare.csv"), features);
        Path bareOut = folder.resolve("bare.parquet");
        run = run("predict", MODEL, "--init", checkpoint.toString(), "--spark", "local[2]", "--data", bare.toString(),
                "-o", bareOut.toString());
        assertEquals("0", run[0], run[2]);
        List<Row> bareRows = LocalSpark.session().read().parquet(bareOut.toString()).collectAsList();
        assertEquals(50, bareRows.size());
        for (Row row : bareRows) {
            assertEquals(31, row.size());
            double[] x = new double[30];
            for (int k = 0; k < 30; k++) {
                x[k] = row.getDouble(k);
            }
            assertEquals(expected.probability(x), row.getDouble(30), 1e-12 * row.getDouble(30));
        }
    }

    @Test
    void withoutSparkTheSameCommandPredictsOnThisMachine() throws Exception {
        Path csv = folder.resolve("scored.csv");
        String[] run = run("predict", MODEL, "--init", checkpoint.toString(), "--data",
                SAMPLES.resolve("data/breast_cancer.csv").toString(), "-o", csv.toString());
        assertEquals("0", run[0], run[2]);
        List<String> lines = Files.readAllLines(csv);
        List<String> rows = Files.readAllLines(SAMPLES.resolve("data/breast_cancer.csv"));
        assertEquals("probability", lines.get(0));
        assertEquals(rows.size(), lines.size());
        Expected expected = new Expected();
        for (int r = 1; r < rows.size(); r++) {
            double[] x = features(rows.get(r));
            double p = Double.parseDouble(lines.get(r));
            assertEquals(expected.probability(x), p, 1e-12 * p, "row " + r);
        }
        String help = run("predict", "--help")[1];
        assertTrue(help.contains("--spark") && help.contains("standard output"), help);
    }

    private static double[] features(String line) {
        String[] cells = line.split(",");
        double[] x = new double[30];
        for (int k = 0; k < 30; k++) {
            x[k] = Double.parseDouble(cells[k]);
        }
        return x;
    }

    @Test
    void badInputIsExitCodeTwoAndWritesNothing() throws Exception {
        LocalSpark.session();
        Path out = folder.resolve("out.parquet");
        String[] noOutput = run("predict", MODEL, "--init", checkpoint.toString(), "--spark", "--data",
                SAMPLES.resolve("data/breast_cancer.csv").toString());
        assertEquals("2", noOutput[0]);
        assertEquals("modelc: error: predict --spark writes Parquet: give -o OUT.parquet\n", noOutput[2]);
        Path bad = Files.writeString(folder.resolve("bad.csv"), "1,2,3\n4,five,6\n");
        List<String> lines = new ArrayList<>(Files.readAllLines(SAMPLES.resolve("data/breast_cancer.csv")));
        lines.set(3, lines.get(3).replaceFirst("^[^,]*,", "oops,"));
        Path malformed = Files.write(folder.resolve("malformed.csv"), lines);
        for (Path data : List.of(bad, malformed)) {
            String[] run = run("predict", MODEL, "--init", checkpoint.toString(), "--spark", "--data", data.toString(),
                    "-o", out.toString());
            assertEquals("2", run[0], run[2]);
            assertTrue(run[2].startsWith("modelc: error: "), run[2]);
            assertFalse(run[2].contains("\tat "), run[2]);
            assertFalse(Files.exists(out), data + " left " + out);
            try (var left = Files.list(folder)) {
                assertTrue(left.noneMatch(p -> p.getFileName().toString().contains("partial")), data.toString());
            }
        }
        Path older = olderCheckpointTrainedOnFewerRows();
        String[] otherRows = run("predict", MODEL, "--init", older.toString(), "--spark", "--data",
                SAMPLES.resolve("data/breast_cancer.csv").toString(), "-o", out.toString());
        assertEquals("2", otherRows[0]);
        assertEquals("modelc: error: " + older + ": was trained on 240 rows, but the train block's data "
                + "data/breast_cancer.csv gives 455; the model standardizes its features with the mean and deviation "
                + "of the rows it was trained on, which only those rows give\n", otherRows[2]);
        assertFalse(Files.exists(out));
        Files.createDirectory(out);
        String[] exists = run("predict", MODEL, "--init", checkpoint.toString(), "--spark", "--data",
                bad.toString(), "-o", out.toString());
        assertEquals("2", exists[0]);
        assertEquals("modelc: error: " + out + ": exists already; give a new name (nothing is overwritten)\n",
                exists[2]);
    }

    /**
     * A checkpoint trained on other rows than the train block's keeps their mean and deviation:
     * Spark scores with those, as the single-machine predict does.
     */
    @Test
    void rowsAreStandardizedAsTheCheckpointKeeps() throws Exception {
        LocalSpark.session();
        Path other = trainedOnFewerRows();
        Path data = SAMPLES.resolve("data/breast_cancer.csv");
        Path out = folder.resolve("other.parquet");
        String[] run = run("predict", MODEL, "--init", other.toString(), "--spark", "--data", data.toString(), "-o",
                out.toString());
        assertEquals("0", run[0], run[2]);
        assertTrue(run[1].contains("with the mean and deviation the checkpoint keeps"), run[1]);
        Path csv = folder.resolve("other.csv");
        assertEquals("0", run("predict", MODEL, "--init", other.toString(), "--data", data.toString(), "-o",
                csv.toString())[0]);
        List<String> single = Files.readAllLines(csv);
        List<Row> rows = LocalSpark.session().read().parquet(out.toString()).collectAsList();
        assertEquals(single.size() - 1, rows.size());
        java.util.Map<String, Double> byFeatures = new java.util.HashMap<>();
        List<String> lines = Files.readAllLines(data);
        for (int r = 1; r < lines.size(); r++) {
            byFeatures.put(java.util.Arrays.toString(features(lines.get(r))), Double.parseDouble(single.get(r)));
        }
        Expected fromTrainBlock = new Expected();
        int differ = 0;
        for (Row row : rows) {
            double[] x = new double[30];
            for (int k = 0; k < 30; k++) {
                x[k] = row.getDouble(k);
            }
            double p = row.getDouble(row.fieldIndex("probability"));
            double expected = byFeatures.get(java.util.Arrays.toString(x));
            assertEquals(expected, p, 1e-12 * expected, "row " + row);
            differ += Math.abs(fromTrainBlock.probability(x, other) - p) > 1e-9 ? 1 : 0;
        }
        assertTrue(differ > 100, "the train block's standardization would give the same outputs");
    }

    /** A checkpoint trained for an epoch on the first 300 rows of the data: 240 training rows. */
    private Path trainedOnFewerRows() throws Exception {
        List<String> original = Files.readAllLines(SAMPLES.resolve("data/breast_cancer.csv"));
        Path fewer = Files.write(folder.resolve("fewer.csv"), original.subList(0, 301));
        Path other = folder.resolve("other.safetensors");
        String[] train = run("train", MODEL, "--data", fewer.toString(), "--epochs", "1", "--save", other.toString());
        assertEquals("0", train[0], train[2]);
        return other;
    }

    /** The same, saved as modelc saved checkpoints before they kept how training read its rows. */
    private Path olderCheckpointTrainedOnFewerRows() throws Exception {
        Checkpoint saved = Checkpoint.read(trainedOnFewerRows());
        assertTrue(saved.preprocessing() != null);
        dev.modelc.runtime.TrainableModel model = ModelClasses.create(Expected.modelClass(), 0, 1);
        saved.resume(model);
        Checkpoint.Run run = saved.run();
        Path older = folder.resolve("older.safetensors");
        Checkpoint.of(model, saved.position(), new Checkpoint.Run(run.seed(), run.batchSize(), run.shuffle(),
                run.trainRows())).write(older);
        assertEquals(null, Checkpoint.read(older).preprocessing());
        return older;
    }

    @Test
    void aMasterUrlShipsTheModelAndModelcInJars() throws Exception {
        LocalSpark.stop();
        Path local = folder.resolve("local.parquet");
        Path remote = folder.resolve("remote.parquet");
        String data = SAMPLES.resolve("data/breast_cancer.csv").toString();
        try (StandaloneCluster cluster = StandaloneCluster.start(Files.createDirectories(folder.resolve("spark")), 2)) {
            Map<String, String> settings = Map.of("spark.executor.extraClassPath", sparkAlone(),
                    "spark.executor.cores", "1", "spark.cores.max", "2", "spark.executor.memory", "512m",
                    "spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1",
                    "spark.ui.enabled", "false");
            settings.forEach(System::setProperty);
            try {
                String[] run = run("predict", MODEL, "--init", checkpoint.toString(), "--spark", cluster.masterUrl(),
                        "--data", data, "-o", remote.toString());
                assertEquals("0", run[0], run[2]);
            } finally {
                settings.keySet().forEach(System::clearProperty);
            }
        }
        String[] run = run("predict", MODEL, "--init", checkpoint.toString(), "--spark", "--data", data, "-o",
                local.toString());
        assertEquals("0", run[0], run[2]);
        assertEquals(LocalSpark.session().read().parquet(local.toString()).collectAsList(),
                LocalSpark.session().read().parquet(remote.toString()).collectAsList());
    }

    /** The tests' class path without modelc's own classes: what a cluster's executors have, Spark alone. */
    private static String sparkAlone() {
        Path project = Path.of(System.getProperty("modelc.spark.module")).toAbsolutePath().getParent();
        List<String> kept = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!Path.of(entry).toAbsolutePath().startsWith(project)) {
                kept.add(entry);
            }
        }
        return String.join(File.pathSeparator, kept);
    }

    /** The probability computed here in double from the checkpoint and the one-machine standardization. */
    private static final class Expected {
        private final double[] w;
        private final double b;
        private final dev.modelc.runtime.Dataset rows;

        Expected() throws Exception {
            Checkpoint saved = Checkpoint.read(checkpoint);
            w = saved.file().tensors().get("w").values();
            b = saved.file().tensors().get("b").values()[0];
            ModelSignature s = signature();
            rows = Training.of(s).modelFolder(SAMPLES).seed(saved.run().seed()).dataset();
        }

        double probability(double[] x) {
            return probability(x, w, b);
        }

        /** With the params of {@code params}, but the train block's standardization. */
        double probability(double[] x, Path params) throws Exception {
            Checkpoint saved = Checkpoint.read(params);
            return probability(x, saved.file().tensors().get("w").values(),
                    saved.file().tensors().get("b").values()[0]);
        }

        private double probability(double[] x, double[] w, double b) {
            double z = b;
            for (int k = 0; k < x.length; k++) {
                z += (x[k] - rows.mean(k)) / rows.std(k) * w[k];
            }
            return 1 / (1 + Math.exp(-z));
        }

        private static ModelSignature signature() throws Exception {
            return ModelClasses.signature(modelClass());
        }

        static Class<?> modelClass() throws Exception {
            dev.modelc.ModelCompiler.Result result = dev.modelc.ModelCompiler.compile(
                    dev.modelc.diagnostics.SourceFile.read(Path.of(MODEL)), new dev.modelc.ModelCompiler.Options("",
                            dev.modelc.codegen.Dtype.F64));
            Path jarFolder = Files.createTempDirectory("modelc-predict-test");
            return ModelJar.compile(result.className(), result.javaSource(), jarFolder).load();
        }
    }
}
