package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.plan.BatchCapacity;
import dev.modelc.runtime.TrainableModel;
import org.junit.jupiter.api.Test;

/**
 * The largest batch capacity a generated class accepts is set by its widest per-row buffer
 * (input or intermediate), so that {@code capacity x row} fits a Java array; weights and their
 * gradients, which do not grow with the batch, do not limit it. A train block's batch beyond it
 * is a compile error; a capacity beyond it is refused before anything is allocated.
 */
class BatchCapacityTest {
    // h is 1024 wide per row; W2 and its gradient hold 1024 x 1024 elements whatever the batch.
    private static final String WIDE = String.join("\n",
            "model Wide",
            "input x : [batch, 8]",
            "input y : [batch, 1]",
            "param W1 : [8, 1024] = zeros",
            "param W2 : [1024, 1024] = zeros",
            "param W3 : [1024, 1] = zeros",
            "loss L = mse(x @ W1 @ W2 @ W3, y)",
            "");

    @Test
    void weightsDoNotLimitTheBatch() throws Exception {
        ModelCompiler.LoadedModel loaded = TensorModels.compile(WIDE).load();
        // 3000 rows: more than 2^31 / (1024 x 1024), the limit if weights counted.
        TrainableModel model = loaded.create(1, 3000);
        assertEquals(3000, model.batchCapacity());
    }

    @Test
    void theWidestRowDoes() throws Exception {
        ModelCompiler.LoadedModel loaded = TensorModels.compile(WIDE).load();
        // The longest Java array is a few header words short of 2^31 - 1; x @ W1 is the widest row.
        int limit = (Integer.MAX_VALUE - 8) / 1024;
        for (int capacity : new int[] {limit + 1, Integer.MAX_VALUE, 0, -1, Integer.MIN_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loaded.create(1, capacity));
            assertEquals("batch capacity must be from 1 to " + limit + " (a value in `L` [batch, 1024] is one array), "
                    + "got " + capacity, e.getMessage());
        }
    }

    /** A capacity out of range is refused before the constructor allocates anything, params included. */
    @Test
    void aCapacityOutOfRangeAllocatesNothing() throws Exception {
        // W alone is 4096 x 4096 doubles, 128 MiB, and its gradient as much again.
        ModelCompiler.LoadedModel loaded = TensorModels.compile("model Big\ninput x : [batch, 4096]\n"
                + "param W : [4096, 4096] = zeros\nloss L = mean(x @ W)\n").load();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        loaded.create(1, 1); // reflection's first use allocates; measure the refusal alone
        long before = threads.getThreadAllocatedBytes(thread);
        assertThrows(IllegalArgumentException.class, () -> loaded.create(1, Integer.MAX_VALUE));
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(allocated < 1 << 20, allocated + " bytes allocated");
    }

    /** A train block's batch that would overflow an array is a compile error at the batch size. */
    @Test
    void aBatchTooLargeForTheWidestRowIsACompileError() {
        String text = "model Wide\ninput x : [batch, 16777216]\nparam w : [16777216] = 0\nloss L = mean(x @ w)\n"
                + "train {\n  batch 128\n}\n";
        CompilationFailed failed = assertThrows(CompilationFailed.class,
                () -> ModelCompiler.compile(new SourceFile("wide.model", text), ModelCompiler.Options.DEFAULT));
        // (2^31 - 9) / 2^24 = 127.99...: 127 rows of 2^24 elements fit one array, 128 do not.
        assertEquals("wide.model:6:9: error: a batch of 128 rows makes `x` [batch, 16777216] hold 2,147,483,648 "
                + "elements, more than a Java array can (2,147,483,639)\n"
                + "    batch 128\n"
                + "          ^^^\n"
                + "  help: use a batch of at most 127 rows\n"
                + "1 error\n", failed.diagnostics().render());
    }

    /** Without a batch size the class is made for 1024 rows, or as many as fit when fewer do. */
    @Test
    void theDefaultCapacityShrinksToWhatFits() throws CompilationFailed {
        String text = "model Wide\ninput x : [batch, 16777216]\nparam w : [16777216] = 0\nloss L = mean(x @ w)\n";
        ModelCompiler.Result result = ModelCompiler.compile(new SourceFile("wide.model", text),
                ModelCompiler.Options.DEFAULT);
        assertEquals(127, BatchCapacity.defaultRows(result.plan()));
        assertTrue(result.javaSource().contains("this(seed, 127);"), result.javaSource());
        assertEquals(1024, BatchCapacity.defaultRows(TensorModels.compile(WIDE).plan()));
    }
}
