package dev.modelc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.Matmul;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Once its buffers and the products' workspaces exist, a training step allocates nothing, on
 * the calling thread or on the threads that share its products, with the plain Java kernels
 * and with the Vector API's. The vector kernels' temporaries only vanish once the JIT has
 * compiled them, so those are measured window after window until one allocates nothing: a
 * kernel that allocates on every step never gets there. (JMH's gc profiler covers them too,
 * see bench/run.sh.) {@code TrainerAllocationTest} covers the runtime's own training loop.
 */
class StepAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final boolean vectorBefore = Matmul.vectorized();
    private final int threadsBefore = Matmul.threads();

    @AfterEach
    void restore() {
        Matmul.setVectorized(vectorBefore);
        Matmul.setThreads(threadsBefore);
    }

    @Test
    void theDigitsEpochAllocatesNothing() {
        Matmul.setVectorized(false);
        for (int threads = 1; threads <= 2; threads++) {
            Matmul.setThreads(threads);
            assertEquals(0, allocatedByUnits(Workload.W4, 3, 3), "bytes on " + threads + " thread(s)");
        }
    }

    @Test
    void theMnistStepAllocatesNothingOnOneThreadOrTwo() {
        Matmul.setVectorized(false);
        for (int threads = 1; threads <= 2; threads++) {
            Matmul.setThreads(threads);
            assertEquals(0, allocatedByUnits(Workload.W5, 4, 4), "bytes on " + threads + " thread(s)");
        }
    }

    @Test
    void theVectorKernelsAllocateNothingOnceCompiled() {
        assertTrue(Matmul.vectorAvailable(), "the bench's tests run with --add-modules jdk.incubator.vector");
        Matmul.setVectorized(true);
        for (Workload workload : new Workload[] {Workload.W4, Workload.W5}) {
            // W4's unit is an epoch of 57 steps, W5's a single step.
            int window = workload == Workload.W4 ? 4 : 32;
            for (int threads = 1; threads <= 2; threads++) {
                Matmul.setThreads(threads);
                assertEquals(0, steadyBytes(workload, window, 40 * window),
                        workload + ", bytes on " + threads + " thread(s)");
            }
        }
    }

    /**
     * Runs windows of {@code window} units until one allocates nothing, up to {@code maxUnits}
     * units; returns 0 then, or what the last window allocated.
     */
    private static long steadyBytes(Workload workload, int window, int maxUnits) {
        TrainingRun run = TrainingRun.start(workload, workload.compile());
        long bytes = -1;
        for (int units = 0; units + window <= maxUnits; units += window) {
            bytes = allocatedByUnits(run, window);
            if (bytes == 0) {
                System.out.printf("%s, vector kernels, %d thread(s): a window of %d units allocated nothing "
                        + "after %d units%n", workload, Matmul.threads(), window, units);
                return 0;
            }
        }
        return bytes;
    }

    /** Bytes allocated while {@code measured} units run, after {@code warmUp} units. */
    private static long allocatedByUnits(Workload workload, int warmUp, int measured) {
        TrainingRun run = TrainingRun.start(workload, workload.compile());
        for (int u = 0; u < warmUp; u++) {
            run.unit();
        }
        return allocatedByUnits(run, measured);
    }

    /** Bytes allocated, on this thread and the products' threads, while {@code measured} units run. */
    private static long allocatedByUnits(TrainingRun run, int measured) {
        long[] ids = threadIds();
        long[] before = new long[ids.length];
        long[] after = new long[ids.length];
        // Reading the counters can allocate itself: the same reading with nothing between sets the zero.
        THREADS.getThreadAllocatedBytes(ids);
        long[] empty0 = THREADS.getThreadAllocatedBytes(ids);
        long[] empty1 = THREADS.getThreadAllocatedBytes(ids);
        System.arraycopy(THREADS.getThreadAllocatedBytes(ids), 0, before, 0, ids.length);
        for (int u = 0; u < measured; u++) {
            run.unit();
        }
        System.arraycopy(THREADS.getThreadAllocatedBytes(ids), 0, after, 0, ids.length);
        long total = 0;
        for (int t = 0; t < ids.length; t++) {
            total += after[t] - before[t] - (empty1[t] - empty0[t]);
        }
        return total;
    }

    /** This thread and the threads products are shared with. */
    private static long[] threadIds() {
        List<Long> ids = new ArrayList<>();
        ids.add(Thread.currentThread().getId());
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("modelc-matmul-")) {
                ids.add(thread.getId());
            }
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }
}
