package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.codegen.ClassCache;
import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.runtime.TrainableModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model kept ready to run by its text and options: a second run loads it whole, and any change compiles again. */
class PreparedModelTest {
    private static final String QUADRATIC = """
            model Quadratic
            param x = -3.0
            param y = -3.0
            loss J = x^2 + 2 * y^2
            train {
              optimizer gd(lr = 0.1)
              stop when J < 0.005
            }
            """;

    private static final String WIDE = """
            model Wide
            input x : [batch, 4096]
            input y : [batch]
            param w : [4096] = zeros
            loss L = mean((x @ w - y)^2)
            """;

    @TempDir
    Path folder;

    private ClassCache cache(String build) {
        return ClassCache.in(folder, build, ClassCache.DEFAULT_MAX_BYTES);
    }

    private List<Path> entries(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static PreparedModel prepare(String text, String name, ModelCompiler.Options options, ClassCache cache)
            throws CompilationFailed {
        return ModelCompiler.prepare(new SourceFile(name, text), options, cache);
    }

    private static double lossAfterOneStep(PreparedModel prepared) {
        TrainableModel model = prepared.loaded().create(0);
        model.forward();
        model.backward();
        model.step();
        return model.forward();
    }

    @Test
    void aHitIsTheSameModelWithoutGeneratingOrCompilingAnything() throws Exception {
        PreparedModel compiled = prepare(QUADRATIC, "q.model", ModelCompiler.Options.DEFAULT, ClassCache.NONE);
        PreparedModel first = prepare(QUADRATIC, "q.model", ModelCompiler.Options.DEFAULT, cache("a"));
        assertEquals(1, entries(".prepared").size());
        assertEquals(1, entries(".classes").size());
        Files.delete(entries(".classes").get(0));
        PreparedModel second = prepare(QUADRATIC, "q.model", ModelCompiler.Options.DEFAULT, cache("a"));
        assertEquals(List.of(), entries(".classes"), "a hit looks up no generated source");
        for (PreparedModel p : List.of(first, second)) {
            assertEquals(compiled.signature(), p.signature());
            assertEquals(compiled.warnings(), p.warnings());
            assertEquals(compiled.widest(), p.widest());
            assertEquals(lossAfterOneStep(compiled), lossAfterOneStep(p));
        }
    }

    @Test
    void theBatchLimitIsTheCompiledOnesOnAHit() throws Exception {
        ModelCompiler.Result result = ModelCompiler.compile(new SourceFile("w.model", WIDE), ModelCompiler.Options.DEFAULT);
        prepare(WIDE, "w.model", ModelCompiler.Options.DEFAULT, cache("a"));
        PreparedModel hit = prepare(WIDE, "w.model", ModelCompiler.Options.DEFAULT, cache("a"));
        int tooMany = Integer.MAX_VALUE / 4096 + 1;
        assertTrue(result.capacityProblem(tooMany).isPresent());
        assertEquals(result.capacityProblem(tooMany), hit.capacityProblem(tooMany));
        assertEquals(result.capacityProblem(tooMany - 1), hit.capacityProblem(tooMany - 1));
    }

    @Test
    void anyChangeToTheTextTheNameTheOptionsOrTheBuildCompilesAgain() throws Exception {
        ModelCompiler.Options f64 = ModelCompiler.Options.DEFAULT;
        double base = lossAfterOneStep(prepare(QUADRATIC, "q.model", f64, cache("a")));
        double edited = lossAfterOneStep(prepare(QUADRATIC.replace("2 * y^2", "3 * y^2"), "q.model", f64, cache("a")));
        assertTrue(base != edited, "the edited model trains as edited");
        prepare(QUADRATIC, "other/q.model", f64, cache("a"));
        prepare(QUADRATIC, "q.model", new ModelCompiler.Options("", Dtype.F32), cache("a"));
        prepare(QUADRATIC, "q.model", new ModelCompiler.Options("com.acme", Dtype.F64), cache("a"));
        prepare(QUADRATIC, "q.model", f64.withMemoryBudget(1 << 20), cache("a"));
        prepare(QUADRATIC, "q.model", f64, cache("b"));
        assertEquals(7, entries(".prepared").size());
        assertEquals(base, lossAfterOneStep(prepare(QUADRATIC, "q.model", f64, cache("a"))));
        assertEquals(7, entries(".prepared").size(), "the first again is a hit");
    }

    @Test
    void theKeyHasEveryOption() {
        ModelCompiler.Options options = ModelCompiler.Options.DEFAULT;
        assertEquals(ModelCompiler.Options.class.getRecordComponents().length,
                PreparedModel.optionParts(options).size(), "an option the key leaves out would serve stale classes");
        List<ModelCompiler.Options> changed = List.of(new ModelCompiler.Options("p", Dtype.F64),
                new ModelCompiler.Options("", Dtype.F32), options.withPlanBuffers(false), options.withRecompute(false),
                options.withMemoryBudget(1));
        for (ModelCompiler.Options other : changed) {
            assertTrue(!PreparedModel.optionParts(other).equals(PreparedModel.optionParts(options)), other.toString());
        }
    }

    @Test
    void errorsAreNeverKeptAndADamagedEntryIsCompiledAgain() throws Exception {
        String broken = QUADRATIC.replace("x^2 +", "z^2 +");
        for (int run = 0; run < 2; run++) {
            CompilationFailed failed = assertThrows(CompilationFailed.class,
                    () -> prepare(broken, "q.model", ModelCompiler.Options.DEFAULT, cache("a")));
            assertTrue(failed.diagnostics().render().contains("unknown name `z`"), failed.diagnostics().render());
        }
        assertEquals(List.of(), entries(".prepared"));
        double fresh = lossAfterOneStep(prepare(QUADRATIC, "q.model", ModelCompiler.Options.DEFAULT, cache("a")));
        Path entry = entries(".prepared").get(0);
        byte[] good = Files.readAllBytes(entry);
        byte[] damaged = good.clone();
        damaged[damaged.length / 2] ^= 0x10;
        Files.write(entry, damaged);
        assertEquals(fresh, lossAfterOneStep(prepare(QUADRATIC, "q.model", ModelCompiler.Options.DEFAULT, cache("a"))));
        assertTrue(java.util.Arrays.equals(good, Files.readAllBytes(entry)), "rewritten whole");
    }

    @Test
    void runsPreparingAtOnceAgree() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Double> losses = new ArrayList<>();
        try {
            List<Future<Double>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String text = QUADRATIC.replace("2 * y^2", (i % 2 + 2) + " * y^2");
                runs.add(pool.submit(() -> lossAfterOneStep(
                        prepare(text, "q.model", ModelCompiler.Options.DEFAULT, cache("a")))));
            }
            for (Future<Double> run : runs) {
                losses.add(run.get());
            }
        } finally {
            pool.shutdown();
        }
        for (int i = 2; i < losses.size(); i++) {
            assertEquals(losses.get(i % 2), losses.get(i));
        }
        assertEquals(2, entries(".prepared").size());
        assertEquals(List.of(), entries(".tmp"));
    }
}
