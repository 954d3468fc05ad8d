package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.runtime.Matmul;
import dev.modelc.runtime.Rng;
import dev.modelc.runtime.TrainableModel;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Once the first steps have grown the convolutions' scratch, a training step of a CNN (two
 * convolutions with padding and a stride, max and mean pooling, a dense layer) allocates
 * nothing on its thread, in f64 and f32, its products on one thread or shared by two. The plain
 * Java product kernels are used: the vector kernels' temporaries vanish only once the JIT has
 * compiled them, which a test cannot wait for.
 */
class ConvAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final String CNN = """
            model Cnn
            input  x : [batch, 64]
            input  y : int[batch]
            param  K1 : [8, 1, 3, 3] = he_normal
            param  b1 : [8, 1, 1] = 0
            param  K2 : [16, 8, 3, 3] = he_normal
            param  W : [64, 10] = glorot_uniform
            h1 = relu(conv2d(reshape(x, [batch, 1, 8, 8]), K1, padding = 1) + b1)
            h2 = relu(conv2d(max_pool2d(h1, 2), K2, stride = 2, padding = 1))
            logits = flatten(avg_pool2d(h2, 1)) @ W
            loss L = mean(softmax_cross_entropy(logits, y))
            train {
              optimizer sgd(lr = 0.01, momentum = 0.9)
            }
            """;
    private final boolean vectorBefore = Matmul.vectorized();
    private final int threadsBefore = Matmul.threads();

    @AfterEach
    void restore() {
        Matmul.setVectorized(vectorBefore);
        Matmul.setThreads(threadsBefore);
    }

    @ParameterizedTest
    @EnumSource(Dtype.class)
    void aStepAllocatesNothing(Dtype dtype) throws Exception {
        assertTrue(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled());
        Matmul.setVectorized(false);
        ModelCompiler.Result result = ModelCompiler.compile(new SourceFile("cnn.model", CNN), new ModelCompiler.Options("", dtype));
        TrainableModel model = result.instantiate(64);
        model.bind(TensorModels.randomInputs(model.signature(), 64, new Rng(3), dtype), 64);
        for (int threads = 1; threads <= 2; threads++) {
            Matmul.setThreads(threads);
            for (int i = 0; i < 3; i++) {
                model.trainStep();
            }
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 5; i++) {
                model.trainStep();
            }
            assertEquals(0, THREADS.getCurrentThreadAllocatedBytes() - before, dtype + " on " + threads + " thread(s)");
        }
    }
}
