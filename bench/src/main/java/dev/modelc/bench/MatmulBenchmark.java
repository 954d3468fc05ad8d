package dev.modelc.bench;

import dev.modelc.runtime.Matmul;
import dev.modelc.runtime.Rng;
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
 * The float products the workloads' steps make, one at a time, to see where a step's time
 * goes: {@code shape} is {@code m x k x n} and the form, {@code NN} for A@B, {@code TN} for
 * Aᵀ@B, {@code NT} for A@Bᵀ. GFLOP/s = 2 m k n / time. Not part of the table.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
public class MatmulBenchmark {
    /** W6's forward and backward products, then W5's, then W4's. */
    @Param({"256x1024x4096NN", "256x4096x4096NN", "4096x256x4096TN", "256x4096x4096NT",
        "128x784x256NN", "128x256x256NN", "784x128x256TN", "256x128x256TN", "128x256x256NT",
        "32x64x128NN", "32x128x10NN", "128x32x10TN", "32x10x128NT", "64x32x128TN"})
    public String shape;

    @Param({"1"})
    public int threads;

    private float[] a;
    private float[] b;
    private float[] c;
    private boolean ta;
    private boolean tb;
    private int m;
    private int k;
    private int n;

    @Setup(Level.Trial)
    public void operands() {
        Matmul.setThreads(threads);
        String[] sizes = shape.substring(0, shape.length() - 2).split("x");
        m = Integer.parseInt(sizes[0]);
        k = Integer.parseInt(sizes[1]);
        n = Integer.parseInt(sizes[2]);
        ta = shape.charAt(shape.length() - 2) == 'T';
        tb = shape.charAt(shape.length() - 1) == 'T';
        Rng rng = new Rng(7);
        a = random(rng, m * k);
        b = random(rng, k * n);
        c = new float[m * n];
    }

    @Benchmark
    public float[] product() {
        Matmul.multiply(a, ta, b, tb, c, m, k, n);
        return c;
    }

    private static float[] random(Rng rng, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) rng.normal(0, 1);
        }
        return values;
    }
}
