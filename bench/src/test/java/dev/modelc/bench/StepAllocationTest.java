package dev.modelc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.Matmul;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Once its buffers and the products' workspaces exist, a training step allocates nothing, on
 * the calling thread or on the threads that share its products, with the plain Java kernels
 * and with the Vector API's. The JIT allocates on the way to the steady state: the vector
 * kernels' temporaries until it has compiled them, and once, for any kernel, a class loaded
 * when compiled code first reaches it (the thread pool's, when a one-thread run compiles the
 * product that would share it), at a moment that depends on what the JVM ran before. So each
 * run is measured window after window until two windows in a row allocate nothing: a kernel
 * that allocates on every step never gets there. (JMH's gc profiler covers the vector kernels
 * too, see bench/run.sh.) {@code TrainerAllocationTest} covers the runtime's own training loop.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StepAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** The least time given to the JIT before a kernel that still allocates fails the test. */
    private static final long PATIENCE_NANOS = 30_000_000_000L;
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
            assertEquals(0, steadyBytes(Workload.W4, 3, 30), "bytes on " + threads + " thread(s)");
        }
    }

    @Test
    void theMnistStepAllocatesNothingOnOneThreadOrTwo() {
        Matmul.setVectorized(false);
        for (int threads = 1; threads <= 2; threads++) {
            Matmul.setThreads(threads);
            assertEquals(0, steadyBytes(Workload.W5, 4, 40), "bytes on " + threads + " thread(s)");
        }
    }

    /** W7's convolutions, poolings and their gradients run through per-row scratch made once. */
    @Test
    void theConvolutionalStepAllocatesNothingOnOneThreadOrTwo() {
        Matmul.setVectorized(false);
        for (int threads = 1; threads <= 2; threads++) {
            Matmul.setThreads(threads);
            assertEquals(0, steadyBytes(Workload.W7, 2, 40), "bytes on " + threads + " thread(s)");
        }
    }

    @Test
    void theRegressionsAllocateNothing() {
        Matmul.setVectorized(false);
        Matmul.setThreads(1);
        // W2's unit is 1000 full-batch steps, W3's an epoch of 32.
        assertEquals(0, steadyBytes(Workload.W2, 2, 40), "W2, bytes");
        assertEquals(0, steadyBytes(Workload.W3, 4, 80), "W3, bytes");
    }

    /**
     * First, so that the JIT compiles the vector kernels before the plain ones have run: W2's
     * thin product allocated its vectors on every step when compiled that way.
     */
    @Test
    @Order(1)
    void theVectorKernelsAllocateNothingOnceCompiled() {
        assertTrue(Matmul.vectorAvailable(), "the bench's tests run with --add-modules jdk.incubator.vector");
        Matmul.setVectorized(true);
        for (Workload workload : new Workload[] {Workload.W2, Workload.W3, Workload.W4, Workload.W5, Workload.W7}) {
            // W2's unit is 1000 full-batch steps, W3's an epoch of 32, W4's an epoch of 57, W5's and
            // W7's a single step. W3's steps are so short that C2 compiles its products' vector loops
            // only after thousands of them; until then they run as C1 code, which boxes every vector.
            int window = switch (workload) {
                case W3, W5 -> 32;
                case W7 -> 16;
                case W2 -> 2;
                default -> 4;
            };
            for (int threads = 1; threads <= 2; threads++) {
                Matmul.setThreads(threads);
                assertEquals(0, steadyBytes(workload, window, 40 * window),
                        workload + ", bytes on " + threads + " thread(s)");
            }
        }
    }

    /**
     * Runs windows of {@code window} units until two in a row allocate nothing, up to
     * {@code maxUnits} units and at least {@link #PATIENCE_NANOS} of wall clock; returns 0 then,
     * or what the last window allocated. The JIT compiles on threads of its own, which a loaded
     * machine slows, while the short steps of W3 run on: there, the units alone would end
     * before C2 has compiled the kernels.
     */
    private static long steadyBytes(Workload workload, int window, int maxUnits) {
        TrainingRun run = TrainingRun.start(workload, workload.compile());
        long previous = -1;
        long bytes = -1;
        long patience = System.nanoTime() + PATIENCE_NANOS;
        for (int units = 0; units + window <= maxUnits || System.nanoTime() - patience < 0; units += window) {
            bytes = allocatedByUnits(run, window);
            if (bytes == 0 && previous == 0) {
                System.out.printf("%s, %s kernels, %d thread(s): two windows of %d units allocated nothing "
                        + "after %d units%n", workload, Matmul.vectorized() ? "vector" : "plain Java",
                        Matmul.threads(), window, units - window);
                return 0;
            }
            previous = bytes;
        }
        return bytes;
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
