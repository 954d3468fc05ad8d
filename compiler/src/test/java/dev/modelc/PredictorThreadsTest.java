package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelc.codegen.Dtype;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Predictor;
import dev.modelc.runtime.Rng;
import dev.modelc.runtime.TrainableModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * One predictor called by two threads at once gives, call for call, the bits it gives one thread:
 * the threads share the snapshot of the parameters and nothing else. Some calls have more rows
 * than the predictor computes in one pass, so that the parts are shared out too.
 */
class PredictorThreadsTest {
    private static final int CALLS = 100_000;
    private static final int DISTINCT = 500;

    @Test
    void twoThreadsPredictExactlyWhatOneThreadPredicts() throws Exception {
        TrainableModel model = Sample.named("digits_mlp").compile(Dtype.F64).instantiate(4);
        Predictor predictor = model.predictor();
        Predictor small = predictorOf(model, 3);
        List<Object[]> inputs = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        Rng rng = new Rng(9);
        for (int i = 0; i < DISTINCT; i++) {
            int r = 1 + i % 5;
            rows.add(r);
            inputs.add(PredictTest.randomInputs(model.signature().predictInputs(), r, rng, Dtype.F64));
        }
        for (Predictor p : List.of(predictor, small)) {
            List<double[]> sequential = new ArrayList<>();
            for (int i = 0; i < DISTINCT; i++) {
                sequential.add(predict(p, inputs.get(i), rows.get(i)));
            }
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<Integer>> done = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    int stride = t == 0 ? 1 : DISTINCT - 1;
                    done.add(threads.submit(calls(p, inputs, rows, sequential, stride)));
                }
                for (Future<Integer> d : done) {
                    assertEquals(CALLS, d.get());
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    private static Predictor predictorOf(TrainableModel model, int rowsPerPass) throws Exception {
        return (Predictor) model.getClass().getMethod("predictor", int.class).invoke(model, rowsPerPass);
    }

    /** {@code CALLS} predictions, input {@code i * stride} modulo the inputs for call i, each checked. */
    private static Callable<Integer> calls(Predictor predictor, List<Object[]> inputs, List<Integer> rows,
                                           List<double[]> expected, int stride) {
        return () -> {
            double[][] outputs = new double[6][];
            for (int r = 1; r <= 5; r++) {
                outputs[r] = new double[r * 10];
            }
            for (int c = 0; c < CALLS; c++) {
                int i = (int) ((long) c * stride % inputs.size());
                int r = rows.get(i);
                predictor.predict(inputs.get(i), r, new Object[] {outputs[r]});
                assertArrayEquals(expected.get(i), outputs[r], "call " + c + ", input " + i);
            }
            return CALLS;
        };
    }

    private static double[] predict(Predictor predictor, Object[] inputs, int rows) {
        ModelSignature.Output probs = predictor.signature().outputs().get(0);
        double[] out = new double[rows * probs.rowSize()];
        predictor.predict(inputs, rows, new Object[] {out});
        return out;
    }
}
