package dev.modelc.bench;

import dev.modelc.ModelCompiler;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.runtime.Dataset;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.TrainingSettings;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Predictor;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.data.Table;
import dev.modelc.spark.ModelJar;
import dev.modelc.spark.ModelcSpark;
import dev.modelc.spark.SparkSessions;
import dev.modelc.spark.SparkTrainer;
import dev.modelc.spark.TrainingRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark figures of {@code bench/spark.sh}: for W3 or W4, on one machine's JVM alone or on an
 * embedded Spark session ({@code local[1]}, {@code local[2]}), the steps per second of training
 * at the workload's batch of 32 rows and at a large batch, the time of a step of 2 rows (Spark's
 * fixed cost per synchronous step), and the rows per second of scoring. Prints one line of
 * tab-separated values. Medians of per-step times after warm-up steps.
 *
 * <pre>java ... dev.modelc.bench.SparkFigures MODE WORKLOAD ROWS DATA_FOLDER</pre>
 */
public final class SparkFigures {
    /** Rows the JVM alone trains on: its steps cost the same on any number of rows, and the rows must fit its heap. */
    static final int SINGLE_ROWS = 1_000_000;
    static final int LARGE_BATCH = 16384;

    private SparkFigures() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Workload workload = Workload.valueOf(args[1]);
        long rows = Long.parseLong(args[2]);
        Path data = Path.of(args[3]);
        ModelJar jar = compile(workload, Files.createTempDirectory("modelc-spark-bench"));
        Class<?> type = jar.load();
        String line = mode.equals("single") ? single(workload, type, rows) : spark(mode, workload, jar, rows, data);
        System.out.println(line);
    }

    /** The workload's model with an output to score with, compiled into a jar. */
    private static ModelJar compile(Workload workload, Path folder) throws Exception {
        String output = workload == Workload.W3 ? "\noutput p = sigmoid(x @ W + b)\n"
                : "\noutput probs = softmax(logits)\n";
        ModelCompiler.Result result = ModelCompiler.compile(new SourceFile(workload.name() + ".model",
                workload.source() + output), new ModelCompiler.Options("dev.modelc.bench.spark", workload.dtype()));
        return ModelJar.compile(result.className(), result.javaSource(), folder);
    }

    private static String single(Workload workload, Class<?> type, long rows) throws Exception {
        int n = (int) Math.min(rows, SINGLE_ROWS);
        Table table = table(workload, n);
        ModelSignature s = (ModelSignature) type.getField("SIGNATURE").get(null);
        Dataset data = Dataset.of(table, s.inputs(), -1, 0, false, Workload.SEED);
        double small = 1e9 / singleStepNanos(type, data, 32, 2000, 20000);
        double large = 1e9 / singleStepNanos(type, data, LARGE_BATCH, 3, 20);
        double tiny = singleStepNanos(type, data, 2, 2000, 20000) / 1e6;
        double scoring = singleScoring(workload, type, rows);
        return format("single", workload, rows, n, 1, small, large, tiny, scoring);
    }

    private static double singleStepNanos(Class<?> type, Dataset data, int batch, int warmup, int measured)
            throws Exception {
        TrainableModel model = create(type, TrainingSettings.capacityFor(batch, data.trainSize(), 0));
        StepClock clock = new StepClock(warmup);
        Trainer.train(model, data, new TrainingSettings(1000, batch, true, warmup + measured, Workload.SEED), clock);
        return clock.median();
    }

    /** Rows per second of the predictor over {@code rows} rows, taken a chunk of 1024 at a time from a million made first. */
    private static double singleScoring(Workload workload, Class<?> type, long rows) throws Exception {
        int width = SparkBenchData.features(workload);
        int held = (int) Math.min(rows, SINGLE_ROWS);
        float[] x = new float[held * width];
        float[] row = new float[width];
        for (int r = 0; r < held; r++) {
            SparkBenchData.row(workload, r, row);
            System.arraycopy(row, 0, x, r * width, width);
        }
        Predictor predictor = create(type, 1024).predictor();
        int outputWidth = predictor.signature().outputs().get(0).rowSize();
        float[] chunk = new float[1024 * width];
        float[] out = new float[1024 * outputWidth];
        long start = System.nanoTime();
        for (long done = 0; done < rows; done += 1024) {
            int count = (int) Math.min(1024, rows - done);
            int from = (int) (done % held);
            count = Math.min(count, held - from);
            System.arraycopy(x, from * width, chunk, 0, count * width);
            predictor.predict(new Object[] {chunk}, count, new Object[] {out});
        }
        return rows / ((System.nanoTime() - start) / 1e9);
    }

    private static String spark(String master, Workload workload, ModelJar jar, long rows, Path folder)
            throws Exception {
        Class<?> type = jar.load();
        SparkSession spark = SparkSessions.start(master, "modelc bench", List.of(jar.jar()));
        try {
            Path parquet = SparkBenchData.parquet(spark, workload, rows, folder);
            ModelSignature s = (ModelSignature) type.getField("SIGNATURE").get(null);
            ModelSignature.Data source = new ModelSignature.Data(parquet.toString(), -1, 0, 0, false);
            try (TrainingRows data = TrainingRows.read(spark, s, parquet.toString(), source, Workload.SEED)) {
                // Spark's own code warms up over the first hundreds of jobs: the first figure waits longer.
                double small = 1e9 / sparkStepNanos(type, data, 32, 300, 200);
                double large = 1e9 / sparkStepNanos(type, data, LARGE_BATCH, 5, 20);
                double tiny = sparkStepNanos(type, data, 2, 50, 200) / 1e6;
                double scoring = sparkScoring(spark, type, parquet, rows);
                return format(master, workload, rows, data.trainSize(), data.partitions(), small, large, tiny, scoring);
            }
        } finally {
            spark.stop();
        }
    }

    private static double sparkStepNanos(Class<?> type, TrainingRows data, int batch, int warmup, int measured) {
        TrainableModel model = create(type, 1);
        StepClock clock = new StepClock(warmup);
        SparkTrainer.train(model, data, new TrainingSettings(1000, batch, true, warmup + measured, Workload.SEED),
                clock);
        return clock.median();
    }

    /** Rows per second of reading the Parquet rows, scoring them and passing them on to a sink that keeps nothing. */
    private static double sparkScoring(SparkSession spark, Class<?> type, Path parquet, long rows) throws Exception {
        TrainableModel model = create(type, 1);
        double[] seconds = new double[3];
        for (int round = 0; round < seconds.length; round++) {
            long start = System.nanoTime();
            ModelcSpark.predict(spark.read().parquet(parquet.toString()), model).write().format("noop")
                    .mode("overwrite").save();
            seconds[round] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        return rows / seconds[1];
    }

    private static TrainableModel create(Class<?> type, int capacity) {
        try {
            return (TrainableModel) type.getConstructor(long.class, int.class).newInstance(Workload.SEED, capacity);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Table table(Workload workload, int rows) {
        int width = SparkBenchData.features(workload);
        double[][] cells = new double[rows][width + 1];
        float[] x = new float[width];
        for (int r = 0; r < rows; r++) {
            int label = SparkBenchData.row(workload, r, x);
            for (int k = 0; k < width; k++) {
                cells[r][k] = x[k];
            }
            cells[r][width] = label;
        }
        return Table.of(workload.name(), 1, cells);
    }

    private static String format(String mode, Workload workload, long rows, long trainRows, int partitions,
                                 double small, double large, double tinyMs, double scoring) {
        return String.format(Locale.ROOT, "%s\t%s\t%d\t%d\t%d\t%.1f\t%.2f\t%.3f\t%.0f", mode, workload, rows,
                trainRows, partitions, small, large, tinyMs, scoring);
    }

    /** The time between successive steps' forward passes, after the first {@code warmup} steps. */
    private static final class StepClock implements Trainer.Listener {
        private final int warmup;
        private final List<Long> times = new ArrayList<>();

        StepClock(int warmup) {
            this.warmup = warmup;
        }

        @Override
        public void step(TrainableModel model, long step, long epoch, double loss) {
            times.add(System.nanoTime());
        }

        double median() {
            long[] steps = new long[times.size() - warmup - 1];
            for (int i = 0; i < steps.length; i++) {
                steps[i] = times.get(warmup + i + 1) - times.get(warmup + i);
            }
            Arrays.sort(steps);
            return steps[steps.length / 2];
        }
    }
}
