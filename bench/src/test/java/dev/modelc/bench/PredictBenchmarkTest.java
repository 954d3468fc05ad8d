package dev.modelc.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelc.runtime.TrainableModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The prediction rows of bench/run.sh time what they say: each row's probabilities are the
 * softmax of the workload's MLP on that row, computed here in double from the model's
 * parameters, and the parameters are those the training workload starts from (and exports to
 * PyTorch's side).
 */
class PredictBenchmarkTest {

    @ParameterizedTest
    @CsvSource({"W4, 1", "W4, 3", "W5, 1", "W5, 3"})
    void theTimedCallPredictsTheMlpsSoftmax(String workload, int rows) {
        PredictBenchmark benchmark = new PredictBenchmark();
        benchmark.workload = workload;
        benchmark.rows = rows;
        benchmark.threads = 1;
        benchmark.compile();
        benchmark.predict();

        Workload w = Workload.valueOf(workload);
        WorkloadData data = WorkloadData.of(w);
        TrainableModel model = benchmark.model;
        int layers = w == Workload.W4 ? 2 : 3;
        for (int r = 0; r < rows; r++) {
            double[] h = new double[data.width()];
            for (int i = 0; i < h.length; i++) {
                h[i] = data.x()[r * data.width() + i];
            }
            for (int l = 1; l <= layers; l++) {
                h = dense(h, model.param("W" + l), model.param("b" + l), l < layers);
            }
            double[] expected = softmax(h);
            for (int c = 0; c < expected.length; c++) {
                assertEquals(expected[c], benchmark.probs[r * 10 + c], 1e-5 * Math.max(1, expected[c]),
                        workload + " row " + r + " class " + c);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"W4", "W5"})
    void theModelStartsFromTheTrainingWorkloadsParameters(String workload) {
        Workload w = Workload.valueOf(workload);
        TrainableModel withOutput = PredictBenchmark.withOutput(w).create(Workload.SEED, 1);
        TrainableModel training = w.compile().create(Workload.SEED, 1);
        for (var param : training.signature().params()) {
            assertArrayEquals(training.param(param.name()), withOutput.param(param.name()), 0.0, param.name());
        }
    }

    /** {@code x @ W + b} for one row, W of shape [in, out], then ReLU when {@code relu}. */
    private static double[] dense(double[] x, double[] w, double[] b, boolean relu) {
        int out = b.length;
        double[] y = new double[out];
        for (int j = 0; j < out; j++) {
            double sum = b[j];
            for (int i = 0; i < x.length; i++) {
                sum += x[i] * w[i * out + j];
            }
            y[j] = relu ? Math.max(0, sum) : sum;
        }
        return y;
    }

    private static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double total = 0;
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] - max);
            total += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= total;
        }
        return p;
    }
}
