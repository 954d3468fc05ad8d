package dev.modelc.spark;

import dev.modelc.ModelCompiler;
import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Models for the tests: compiled from .model text into a jar that the session ships to its
 * executors. The executors load every shipped class with one class loader, so each model gets a
 * name of its own: its declared name and a number.
 */
final class TestModels {
    private static final java.util.concurrent.atomic.AtomicInteger NEXT = new java.util.concurrent.atomic.AtomicInteger();

    private TestModels() {
    }

    /** The generated class of {@code modelText}, in f64, loaded on the driver and known to the executors. */
    static Class<?> compile(SparkSession spark, String modelText) {
        return compile(spark, modelText, Dtype.F64);
    }

    static Class<?> compile(SparkSession spark, String modelText, Dtype dtype) {
        return compile(spark, modelText, dtype, null);
    }

    /**
     * The same, with a pause of three seconds at the start of every forward pass made while the
     * file {@code pauseWhile} exists: time for a test to kill an executor in the middle of a step.
     */
    static Class<?> compile(SparkSession spark, String modelText, Dtype dtype, Path pauseWhile) {
        try {
            String named = modelText.replaceFirst("model (\\w+)", "model $1" + NEXT.incrementAndGet());
            ModelCompiler.Result result = ModelCompiler.compile(new SourceFile("test.model", named),
                    new ModelCompiler.Options("", dtype));
            Path folder = Files.createTempDirectory("modelc-spark-test");
            String source = result.javaSource();
            if (pauseWhile != null) {
                source = source.replace("public double forward() {", "public double forward() {\n"
                        + "if (java.nio.file.Files.exists(java.nio.file.Path.of(\"" + pauseWhile + "\"))) {\n"
                        + "try { Thread.sleep(3000); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }\n"
                        + "}\n");
            }
            ModelJar jar = ModelJar.compile(result.className(), source, folder);
            spark.sparkContext().addJar(jar.jar().toUri().toString());
            return jar.load();
        } catch (CompilationFailed e) {
            throw new IllegalArgumentException(e.diagnostics().render(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
