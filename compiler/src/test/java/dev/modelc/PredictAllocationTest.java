package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelc.codegen.Dtype;
import dev.modelc.runtime.Matmul;
import dev.modelc.runtime.Predictor;
import dev.modelc.runtime.Rng;
import dev.modelc.runtime.TrainableModel;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Once a thread has predicted once, predicting allocates nothing: with the model's own arrays,
 * and with a predictor, on the thread that made it and on another, one row or many, in one pass
 * or in parts. Measured as {@code StepAllocationTest} measures a training step, with the plain
 * Java kernels (the vector kernels' temporaries vanish only once the JIT has compiled them).
 */
class PredictAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int CALLS = 200;
    private final boolean vectorBefore = Matmul.vectorized();

    @AfterEach
    void restore() {
        Matmul.setVectorized(vectorBefore);
    }

    @Test
    void predictingAllocatesNothingAfterTheFirstCall() throws Exception {
        Matmul.setVectorized(false);
        for (Dtype dtype : Dtype.values()) {
            TrainableModel model = Sample.named("digits_mlp").compile(dtype).instantiate(1);
            Predictor predictor = model.predictor();
            Predictor inParts = (Predictor) model.getClass().getMethod("predictor", int.class).invoke(model, 7);
            for (int rows : new int[] {1, 32}) {
                Object[] inputs = PredictTest.randomInputs(model.signature().predictInputs(), rows, new Rng(3), dtype);
                Object[] outputs = PredictTest.outputs(model.signature(), rows, dtype);
                String what = dtype.label() + ", " + rows + " rows";
                assertEquals(0, allocated(() -> model.predict(inputs, rows, outputs)), what + ", the model");
                assertEquals(0, allocated(() -> predictor.predict(inputs, rows, outputs)), what + ", a predictor");
                assertEquals(0, allocated(() -> inParts.predict(inputs, rows, outputs)), what + ", in parts of 7");
                AtomicLong other = new AtomicLong(-1);
                Thread thread = new Thread(() -> other.set(allocated(() -> predictor.predict(inputs, rows, outputs))));
                thread.start();
                thread.join();
                assertEquals(0, other.get(), what + ", a predictor on another thread");
            }
        }
    }

    /** Bytes this thread allocates in {@code CALLS} calls of {@code call}, after as many to warm up. */
    private static long allocated(Runnable call) {
        for (int i = 0; i < CALLS; i++) {
            call.run();
        }
        long id = Thread.currentThread().getId();
        // Reading the counter can allocate itself: the same reading with nothing between sets the zero.
        THREADS.getThreadAllocatedBytes(id);
        long empty0 = THREADS.getThreadAllocatedBytes(id);
        long empty1 = THREADS.getThreadAllocatedBytes(id);
        long before = THREADS.getThreadAllocatedBytes(id);
        for (int i = 0; i < CALLS; i++) {
            call.run();
        }
        long after = THREADS.getThreadAllocatedBytes(id);
        return after - before - (empty1 - empty0);
    }
}
