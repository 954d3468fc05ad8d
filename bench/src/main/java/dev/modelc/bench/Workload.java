package dev.modelc.bench;

import dev.modelc.ModelCompiler;
import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The seven reference workloads: each a {@code .model} file under {@code bench/models}, the
 * element type it is compiled for, and the unit of work that is timed.
 */
public enum Workload {
    W1("w1_quadratic.model", Dtype.F64, "whole 17-update loop"),
    W2("w2_linear_regression.model", Dtype.F32, "1000 full-batch steps"),
    W3("w3_logistic_regression.model", Dtype.F32, "one epoch, 32 steps"),
    W4("w4_digits_mlp.model", Dtype.F32, "one epoch, 57 steps"),
    W5("w5_mnist_mlp.model", Dtype.F32, "one step"),
    W6("w6_wide_mlp.model", Dtype.F32, "one step"),
    W7("w7_fashion_lenet.model", Dtype.F32, "one step");

    /** The seed every workload's parameters are initialized from. */
    public static final long SEED = 42;
    /** W6's work per step as the workload table counts it: 3 x the forward pass's FLOPs. */
    public static final double W6_FLOPS_PER_STEP = 3.0 * 2 * 256 * (1024.0 * 4096 + 4096.0 * 4096 + 4096.0 * 1024);

    private final String file;
    private final Dtype dtype;
    private final String unit;

    Workload(String file, Dtype dtype, String unit) {
        this.file = file;
        this.dtype = dtype;
        this.unit = unit;
    }

    public String unit() {
        return unit;
    }

    public Dtype dtype() {
        return dtype;
    }

    /** Compiles the model file for the workload's element type. */
    public ModelCompiler.LoadedModel compile() {
        return compile(source());
    }

    /** Compiles {@code source}, a variant of the model file, for the workload's element type. */
    public ModelCompiler.LoadedModel compile(String source) {
        ModelCompiler.Options options = new ModelCompiler.Options("dev.modelc.bench.generated", dtype);
        try {
            return ModelCompiler.compile(new SourceFile(file, source), options).load();
        } catch (CompilationFailed e) {
            throw new IllegalStateException(file + " does not compile:\n" + e.diagnostics().render(), e);
        }
    }

    /** The text of the model file. */
    public String source() {
        try (InputStream in = Workload.class.getResourceAsStream("/models/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /models/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
