package dev.modelc.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.codegen.Dtype;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.TrainingSettings;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real cluster of separate JVMs (a standalone master, a worker, two executors), an
 * executor killed in the middle of a step is replaced; Spark runs the lost partition's share of
 * the step again, reading its rows again from the file, and training ends with exactly the
 * parameters of a run nobody disturbed.
 */
class ExecutorFaultTest {
    private static final String MLP = """
            model FaultMlp
            input  x : [batch, 8]
            input  y : int[batch]
            param  W1 : [8, 16] = he_normal
            param  b1 : [16]    = 0
            param  W2 : [16, 3] = glorot_uniform
            param  b2 : [3]     = 0
            h      = relu(x @ W1 + b1)
            logits = h @ W2 + b2
            loss   L = mean(softmax_cross_entropy(logits, y))
            train {
              optimizer adam(lr = 0.01)
              batch 100 shuffle
              seed 9
            }
            """;
    private static final int STEPS = 20;
    private static final long KILL_IN_STEP = 7;

    @TempDir
    Path folder;

    @Test
    void anExecutorKilledInTheMiddleOfAStepChangesNothing() throws Exception {
        LocalSpark.stop();
        Path marker = folder.resolve("pause");
        Path file = TestData.csv(folder, "rows.csv", TestData.rows(1200, 8, 3, 4), null);
        try (StandaloneCluster cluster = StandaloneCluster.start(Files.createDirectories(folder.resolve("spark")), 2)) {
            SparkSession spark = cluster.session("modelc fault test", 2);
            try {
                Class<?> type = TestModels.compile(spark, MLP, Dtype.F64, marker);
                ModelSignature s = ModelClasses.signature(type);
                ModelSignature.Data source = new ModelSignature.Data(file.toString(), -1, 0, 0, false);
                TrainingSettings settings = new TrainingSettings(10, 100, true, STEPS, 9);
                Killer killer = new Killer(cluster, marker);
                spark.sparkContext().addSparkListener(killer);
                try (TrainingRows rows = TrainingRows.read(spark, s, file.toString(), source, 9)) {
                    assertEquals(2, rows.partitions());
                    TrainableModel undisturbed = ModelClasses.create(type, 9, 1);
                    SparkTrainer.train(undisturbed, rows, settings, Trainer.Listener.NONE);

                    TrainableModel disturbed = ModelClasses.create(type, 9, 1);
                    Trainer.Result result = SparkTrainer.train(disturbed, rows, settings,
                            killer.armedBefore(KILL_IN_STEP));
                    assertEquals(STEPS, result.steps());
                    assertTrue(killer.killed != null, "no executor was killed");
                    assertFalse(killer.lost.isEmpty(), "no task was lost with the executor");
                    assertArrayEquals(ModelClasses.params(undisturbed), ModelClasses.params(disturbed));
                    assertTrue(replaced(spark, killer.killed), "the killed executor " + killer.killed
                            + " was not replaced: the executors are " + executors(spark));
                }
            } finally {
                spark.stop();
            }
        }
    }

    /** Whether, within a minute, two executors run again, none of them the one killed. */
    private static boolean replaced(SparkSession spark, String killed) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<String> ids = executors(spark);
            if (ids.size() == 2 && !ids.contains(killed)) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    private static List<String> executors(SparkSession spark) {
        return scala.jdk.javaapi.CollectionConverters.asJava(spark.sparkContext().getExecutorIds());
    }

    /** Kills the executor of the first task that starts after a given step; notes what Spark did about it. */
    private static final class Killer extends SparkListener {
        private final StandaloneCluster cluster;
        private final Path marker;
        private volatile boolean armed;
        volatile String killed;
        final List<String> lost = new CopyOnWriteArrayList<>();

        Killer(StandaloneCluster cluster, Path marker) {
            this.cluster = cluster;
            this.marker = marker;
        }

        /** A training listener that makes the tasks of step {@code step} pause, and arms the killer. */
        Trainer.Listener armedBefore(long step) {
            return new Trainer.Listener() {
                @Override
                public void step(TrainableModel model, long done, long epoch, double loss) {
                    if (done == step - 1) {
                        try {
                            Files.createFile(marker);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        armed = true;
                    }
                }
            };
        }

        @Override
        public void onTaskStart(SparkListenerTaskStart start) {
            if (!armed) {
                return;
            }
            armed = false;
            String id = start.taskInfo().executorId();
            cluster.executor(id).ifPresent(ProcessHandle::destroyForcibly);
            killed = id;
            try {
                Files.deleteIfExists(marker);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.reason() instanceof ExecutorLostFailure failure) {
                lost.add(failure.execId());
            }
        }
    }
}
