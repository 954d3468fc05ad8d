package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.modelc.codegen.Dtype;
import dev.modelc.codegen.InMemoryCompiler;
import dev.modelc.graph.IrPrinter;
import dev.modelc.report.GraphDot;
import dev.modelc.runtime.TrainableModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Golden files of every pipeline stage for every sample: the lowered IR, the simplified IR with
 * its gradients, the graph drawn in DOT (forward, and with the backward pass), and the generated
 * Java in f64 and f32. Each golden Java file is also compiled
 * with javac against the runtime alone, and the class it defines must run a forward pass.
 * {@code -Dmodelc.updateGoldens=true} rewrites them and fails (see {@link GoldenFile}).
 */
@ExtendWith(GoldenFile.UpdateRun.class)
class StageGoldensTest {

    @TestFactory
    Stream<DynamicNode> everyStageMatchesItsGolden() {
        return Sample.all().stream().map(sample -> DynamicContainer.dynamicContainer(sample.name(), Stream.of(
                dynamicTest("ir.txt", () -> GoldenFile.assertMatches(folder(sample).resolve("ir.txt"),
                        IrPrinter.forward(sample.compile(Dtype.F64).lowered()))),
                dynamicTest("grad.txt", () -> GoldenFile.assertMatches(folder(sample).resolve("grad.txt"),
                        IrPrinter.withGradients(sample.compile(Dtype.F64).simplified()))),
                dynamicTest("graph.dot", () -> GoldenFile.assertMatches(folder(sample).resolve("graph.dot"),
                        GraphDot.forward(sample.compile(Dtype.F64)))),
                dynamicTest("graph-backward.dot", () -> GoldenFile.assertMatches(folder(sample)
                        .resolve("graph-backward.dot"), GraphDot.withBackward(sample.compile(Dtype.F64)))),
                dynamicTest("java f64", () -> matchesJavaGolden(sample, Dtype.F64)),
                dynamicTest("java f32", () -> matchesJavaGolden(sample, Dtype.F32)))));
    }

    @TestFactory
    Stream<DynamicNode> everyGoldenJavaFileCompilesAgainstTheRuntime() {
        return Sample.all().stream().flatMap(sample -> Stream.of(Dtype.values()).map(dtype ->
                dynamicTest(sample.name() + " " + dtype.label(), () -> compilesAndRuns(sample, dtype))));
    }

    @TestFactory
    Stream<DynamicNode> compilingTwiceGivesByteIdenticalJava() {
        return Sample.all().stream().flatMap(sample -> Stream.of(Dtype.values()).map(dtype ->
                dynamicTest(sample.name() + " " + dtype.label(), () -> {
                    byte[] first = sample.compile(dtype).javaSource().getBytes(StandardCharsets.UTF_8);
                    // Another model in between, so that any state left behind by the first run shows.
                    Sample.all().forEach(other -> assertFalse(IrPrinter.forward(compileQuietly(other)).isEmpty()));
                    byte[] second = sample.compile(dtype).javaSource().getBytes(StandardCharsets.UTF_8);
                    assertArrayEquals(first, second);
                })));
    }

    @Test
    void everyGoldenFolderBelongsToASample() throws IOException {
        Set<String> folders = new TreeSet<>();
        try (Stream<Path> children = Files.list(GoldenFile.root())) {
            children.filter(Files::isDirectory).forEach(f -> folders.add(f.getFileName().toString()));
        }
        folders.removeAll(Sample.all().stream().map(Sample::name).toList());
        assertTrue(folders.isEmpty(), "golden folders without a sample (delete them): " + folders);
    }

    /** The golden Java file's name: {@code Quadratic.java} for f64, {@code QuadraticF32.java} for f32. */
    static String javaGoldenName(String className, Dtype dtype) {
        return className + (dtype == Dtype.F64 ? "" : dtype.label().toUpperCase(java.util.Locale.ROOT)) + ".java";
    }

    private static Path folder(Sample sample) {
        return GoldenFile.root().resolve(sample.name());
    }

    private static void matchesJavaGolden(Sample sample, Dtype dtype) throws Exception {
        ModelCompiler.Result result = sample.compile(dtype);
        Path golden = folder(sample).resolve(javaGoldenName(result.className(), dtype));
        GoldenFile.assertMatches(golden, result.javaSource());
    }

    private static void compilesAndRuns(Sample sample, Dtype dtype) throws Exception {
        ModelCompiler.Result result = sample.compile(dtype);
        String className = result.className();
        Path golden = folder(sample).resolve(javaGoldenName(className, dtype));
        // While goldens are rewritten, the file may not be there yet: compile what it will hold.
        assertTrue(GoldenFile.updating() || Files.exists(golden), golden + " is missing");
        String source = GoldenFile.updating() ? result.javaSource() : GoldenFile.read(golden);
        ClassLoader loader = InMemoryCompiler.compile(Map.of(className, source));
        TrainableModel model = (TrainableModel) loader.loadClass(className).getConstructor().newInstance();
        assertEquals(dtype.label(), model.signature().dtype());
        if (!model.signature().inputs().isEmpty()) {
            int rows = Math.min(4, model.batchCapacity());
            model.bind(TensorModels.randomInputs(model.signature(), rows, new dev.modelc.runtime.Rng(1), dtype), rows);
        }
        double loss = model.forward();
        assertTrue(Double.isFinite(loss), "loss " + loss);
        model.backward();
        for (int i = 0; i < model.signature().params().size(); i++) {
            assertTrue(Double.isFinite(model.gradient(i, 0)), "gradient " + i);
        }
    }

    private static dev.modelc.graph.ModelIr compileQuietly(Sample sample) {
        try {
            return sample.compile(Dtype.F64).lowered();
        } catch (dev.modelc.diagnostics.CompilationFailed e) {
            throw new AssertionError(e.diagnostics().render(), e);
        }
    }
}
