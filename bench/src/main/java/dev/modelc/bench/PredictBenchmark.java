package dev.modelc.bench;

import dev.modelc.ModelCompiler.LoadedModel;
import dev.modelc.runtime.Matmul;
import dev.modelc.runtime.Predictor;
import dev.modelc.runtime.TrainableModel;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Times prediction with a trained classifier as an application serves it: W4's and W5's
 * models with {@value #OUTPUT} declared, their {@code predictor()} called on the first
 * {@code rows} rows of the workload's data. PyTorch's side times {@code softmax(model(x))}
 * under {@code torch.no_grad()} on the same rows and parameters ({@code workloads.py predict}).
 * A call is microseconds long, so JMH reports the average of each iteration, not samples.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
public class PredictBenchmark {
    /** The output line added to the workload's model, before its train block. */
    static final String OUTPUT = "output probs = softmax(logits)";

    @Param({"W4", "W5"})
    public String workload;

    @Param({"1", "256"})
    public int rows;

    @Param({"1"})
    public int threads;

    TrainableModel model;
    private Predictor predictor;
    private Object[] inputs;
    private Object[] outputs;
    float[] probs;

    @Setup(Level.Trial)
    public void compile() {
        Matmul.setThreads(threads);
        Workload w = Workload.valueOf(workload);
        model = withOutput(w).create(Workload.SEED, rows);
        WorkloadData data = WorkloadData.of(w);
        predictor = model.predictor();
        inputs = new Object[] {Arrays.copyOf(data.x(), rows * data.width())};
        probs = new float[rows * 10];
        outputs = new Object[] {probs};
    }

    /** The workload's model with {@link #OUTPUT} declared: what the prediction rows time. */
    static LoadedModel withOutput(Workload w) {
        String source = w.source();
        int train = source.indexOf("\ntrain {");
        if (train < 0) {
            throw new IllegalStateException(w + " has no train block to put the output before");
        }
        return w.compile(source.substring(0, train) + "\n" + OUTPUT + "\n" + source.substring(train));
    }

    @Benchmark
    public float predict() {
        predictor.predict(inputs, rows, outputs);
        return probs[0];
    }
}
