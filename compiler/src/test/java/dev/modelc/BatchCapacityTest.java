package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelc.runtime.TrainableModel;
import org.junit.jupiter.api.Test;

/**
 * The largest batch capacity a generated class accepts is set by its widest per-row buffer
 * (input or intermediate), so that {@code capacity x row} fits an int; weights and their
 * gradients, which do not grow with the batch, do not limit it.
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
    void weightsDoNotLimitTheBatch() {
        ModelCompiler.LoadedModel loaded = TensorModels.compile(WIDE).load();
        // 3000 rows: more than 2^31 / (1024 x 1024), the limit if weights counted.
        TrainableModel model = loaded.create(1, 3000);
        assertEquals(3000, model.batchCapacity());
    }

    @Test
    void theWidestRowDoes() {
        ModelCompiler.LoadedModel loaded = TensorModels.compile(WIDE).load();
        int limit = Integer.MAX_VALUE / 1024;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loaded.create(1, limit + 1));
        assertEquals("batch capacity must be from 1 to " + limit + ", got " + (limit + 1), e.getMessage());
    }
}
