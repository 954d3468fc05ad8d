package dev.modelc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelc.runtime.Matmul;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Once its buffers and the products' workspaces exist, a training step allocates nothing, on
 * the calling thread or on the threads that share its products. The plain Java kernels are
 * used: the vector kernels' temporaries only vanish once the JIT has compiled them, which a
 * test cannot wait for reliably (JMH's gc profiler covers them, see bench/run.sh).
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

    /** Bytes allocated while {@code measured} units run, after {@code warmUp} units. */
    private static long allocatedByUnits(Workload workload, int warmUp, int measured) {
        TrainingRun run = TrainingRun.start(workload, workload.compile());
        for (int u = 0; u < warmUp; u++) {
            run.unit();
        }
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
