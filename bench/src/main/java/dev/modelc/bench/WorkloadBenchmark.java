package dev.modelc.bench;

import dev.modelc.runtime.Matmul;
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
 * Times each workload's unit (see {@link Workload#unit()}) as JMH samples, whose median is the
 * figure compared with PyTorch. The model is compiled by modelc in the benchmark's JVM, with
 * the Vector API module present; {@code threads} caps the threads a matrix product may use.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
public class WorkloadBenchmark {
    @Param({"W1", "W2", "W3", "W4", "W5", "W6", "W7"})
    public String workload;

    @Param({"1"})
    public int threads;

    private TrainingRun run;

    @Setup(Level.Trial)
    public void compile() {
        Matmul.setThreads(threads);
        Workload w = Workload.valueOf(workload);
        run = TrainingRun.start(w, w.compile());
    }

    @Benchmark
    public double unit() {
        return run.unit();
    }
}
