package dev.modelc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.ModelCompiler;
import dev.modelc.runtime.Dataset;
import dev.modelc.runtime.Matmul;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.TrainingSettings;
import dev.modelc.runtime.data.Table;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runtime's own training loop allocates nothing from one step to the next once it runs
 * compiled: gathering the batch, the forward and backward passes, the schedule, the update and
 * the checks after it, on the training thread and on the threads that share its products.
 * Steps are measured from inside the loop, by a listener that only reads counters into arrays
 * made beforehand; only an epoch's end (its statistics, the test rows' evaluation) may allocate.
 */
class TrainerAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** W5's batches; 1,100 rows hold 990 for training, so each epoch ends with a partial batch of 94. */
    private static final int BATCH = 128;
    private static final int ROWS = 1100;
    private static final int EPOCHS = 8;
    /** Runs of {@link #EPOCHS} epochs at most. */
    private static final int MAX_RUNS = 8;
    /** Epochs in a row that must allocate nothing between their steps. */
    private static final int CLEAN_EPOCHS = 3;
    private final boolean vectorBefore = Matmul.vectorized();
    private final int threadsBefore = Matmul.threads();

    @AfterEach
    void restore() {
        Matmul.setVectorized(vectorBefore);
        Matmul.setThreads(threadsBefore);
    }

    @Test
    void stepsAllocateNothingOnOneThreadOrTwo() throws Exception {
        ModelCompiler.LoadedModel loaded = Workload.W5.compile();
        Dataset data = mnistSized(loaded);
        for (int threads = 1; threads <= 2; threads++) {
            Matmul.setThreads(threads);
            String what = (Matmul.vectorized() ? "vector" : "plain Java") + " kernels, " + threads + " thread(s)";
            TrainableModel model = loaded.create(Workload.SEED,
                    TrainingSettings.capacityFor(BATCH, data.trainSize(), data.testSize()));
            List<String> runs = new ArrayList<>();
            // The JIT may take a while to compile the step: train on, a run of epochs at a time, until it has.
            for (int run = 0; run < MAX_RUNS; run++) {
                StepCounters counters = train(model, data);
                assertEquals(threads > 1, counters.productThreads.length > 0, what + ": threads sharing products");
                runs.add(Arrays.toString(counters.perEpoch()));
                if (cleanRun(counters.perEpoch()) >= CLEAN_EPOCHS) {
                    System.out.println("trainer, " + what + ": bytes between steps, per epoch: " + runs);
                    break;
                }
                assertTrue(run + 1 < MAX_RUNS, what + ": no " + CLEAN_EPOCHS
                        + " epochs in a row allocated nothing between steps: " + runs);
            }
        }
    }

    /**
     * W5's first rows as a dataset, a tenth held out for testing so every epoch evaluates too.
     * Its products are large enough to be shared between two threads.
     */
    private static Dataset mnistSized(ModelCompiler.LoadedModel loaded) throws Exception {
        WorkloadData w5 = WorkloadData.of(Workload.W5);
        double[][] rows = new double[ROWS][w5.width() + 1];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < w5.width(); c++) {
                rows[r][c] = w5.x()[r * w5.width() + c];
            }
            rows[r][w5.width()] = w5.labels()[r];
        }
        TrainableModel probe = loaded.create(Workload.SEED, 1);
        return Dataset.of(Table.of("mnist-sized", 1, rows), probe.signature().inputs(), -1, 0.1, false, Workload.SEED);
    }

    /** Trains W5 for {@link #EPOCHS} epochs more, reading the counters at every step. */
    private static StepCounters train(TrainableModel model, Dataset data) {
        TrainingSettings settings = new TrainingSettings(EPOCHS, BATCH, true, TrainingSettings.NO_STEP_LIMIT,
                Workload.SEED);
        StepCounters counters = new StepCounters(EPOCHS, (int) settings.batchesPerEpoch(data.trainSize()));
        Trainer.train(model, data, settings, counters);
        return counters;
    }

    /** The most epochs in a row that allocated nothing. */
    private static int cleanRun(long[] perEpoch) {
        int best = 0;
        int run = 0;
        for (long bytes : perEpoch) {
            run = bytes == 0 ? run + 1 : 0;
            best = Math.max(best, run);
        }
        return best;
    }

    /** Reads the allocation counters at every step into arrays made beforehand. */
    private static final class StepCounters implements Trainer.Listener {
        private final long[] ownAtStart;
        private final long[] ownAtEnd;
        private final long[] products;
        private final long[] epochOf;
        private long[] productThreads = new long[0];
        private int steps;

        StepCounters(int epochs, int stepsPerEpoch) {
            int capacity = epochs * stepsPerEpoch;
            ownAtStart = new long[capacity];
            ownAtEnd = new long[capacity];
            products = new long[capacity];
            epochOf = new long[capacity];
        }

        @Override
        public void step(TrainableModel model, long step, long epoch, double loss) {
            ownAtStart[steps] = THREADS.getCurrentThreadAllocatedBytes();
            if (productThreads.length == 0 && Matmul.threads() > 1) {
                productThreads = productThreadIds();
            }
            long sum = 0;
            // Reading other threads' counters allocates on this thread: ownAtEnd leaves that out.
            for (long bytes : THREADS.getThreadAllocatedBytes(productThreads)) {
                sum += bytes;
            }
            products[steps] = sum;
            epochOf[steps] = epoch;
            steps++;
            ownAtEnd[steps - 1] = THREADS.getCurrentThreadAllocatedBytes();
        }

        @Override
        public void epoch(TrainableModel model, Trainer.EpochStats stats) {
        }

        /** Per epoch, the bytes allocated from each step's counters to the next step's in the same epoch. */
        long[] perEpoch() {
            long[] bytes = new long[(int) epochOf[steps - 1]];
            for (int s = 1; s < steps; s++) {
                if (epochOf[s] == epochOf[s - 1]) {
                    bytes[(int) epochOf[s] - 1] += ownAtStart[s] - ownAtEnd[s - 1] + products[s] - products[s - 1];
                }
            }
            return bytes;
        }
    }

    /** The threads products are shared with; none while products stay on the calling thread. */
    private static long[] productThreadIds() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("modelc-matmul-"))
                .mapToLong(Thread::getId).toArray();
    }
}
