package dev.modelc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.ModelCompiler;
import dev.modelc.diagnostics.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassCacheTest {
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

    @TempDir
    Path folder;

    private static ModelCompiler.Result compile(String text, String fileName, ModelCompiler.Options options)
            throws Exception {
        return ModelCompiler.compile(new SourceFile(fileName, text), options);
    }

    private ClassCache cache(String build) {
        return ClassCache.in(folder, build, ClassCache.DEFAULT_MAX_BYTES);
    }

    private List<Path> entries() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".classes")).sorted().toList();
        }
    }

    private List<Path> everything() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }

    private static double lossAfterOneStep(ModelCompiler.LoadedModel loaded) {
        var model = loaded.create(0);
        model.forward();
        model.backward();
        model.step();
        return model.forward();
    }

    @Test
    void theSecondLoadTakesTheStoredClassAndComputesTheSame() throws Exception {
        ModelCompiler.Result result = compile(QUADRATIC, "quadratic.model", ModelCompiler.Options.DEFAULT);
        double fresh = lossAfterOneStep(result.load());
        ModelCompiler.LoadedModel first = result.load(cache("a"));
        assertEquals(1, entries().size());
        byte[] stored = Files.readAllBytes(entries().get(0));
        ModelCompiler.LoadedModel second = result.load(cache("a"));
        assertEquals(1, entries().size(), "a hit writes nothing new");
        assertTrue(java.util.Arrays.equals(stored, Files.readAllBytes(entries().get(0))));
        assertEquals(fresh, lossAfterOneStep(first));
        assertEquals(fresh, lossAfterOneStep(second));
    }

    @Test
    void aHitServesTheStoredBytesWithoutCompiling() throws Exception {
        // Store the classes of one source under the key of another: a hit must return them as stored.
        ClassCache cache = cache("a");
        Map<String, String> real = Map.of("Probe", "public class Probe { public static int value() { return 1; } }");
        Map<String, String> planted = Map.of("Probe", "public class Probe { public static int value() { return 2; } }");
        ClassLoader compiled = InMemoryCompiler.compile(planted, cache);
        Path plantedEntry = entries().get(0);
        String realKey = cache.key(real, List.of("-g", "-proc:none", "-Xlint:none", "-nowarn"));
        Files.move(plantedEntry, folder.resolve(realKey + ".classes"));
        assertEquals(2, value(compiled));
        // The entry names its key inside, so a renamed file is not taken for another key's.
        assertEquals(1, value(InMemoryCompiler.compile(real, cache)));
    }

    private static int value(ClassLoader loader) throws Exception {
        return (int) loader.loadClass("Probe").getMethod("value").invoke(null);
    }

    @Test
    void editingTheModelOrAFlagOrTheCompilerCompilesAgain() throws Exception {
        compile(QUADRATIC, "quadratic.model", ModelCompiler.Options.DEFAULT).load(cache("a"));
        assertEquals(1, entries().size());
        compile(QUADRATIC.replace("2 * y^2", "3 * y^2"), "quadratic.model", ModelCompiler.Options.DEFAULT)
                .load(cache("a"));
        assertEquals(2, entries().size(), "an edited model");
        compile(QUADRATIC, "other.model", ModelCompiler.Options.DEFAULT).load(cache("a"));
        assertEquals(3, entries().size(), "another file name, which the class's comments and signature name");
        compile(QUADRATIC, "quadratic.model", new ModelCompiler.Options("", Dtype.F32)).load(cache("a"));
        assertEquals(4, entries().size(), "--dtype f32");
        compile(QUADRATIC, "quadratic.model", new ModelCompiler.Options("com.acme", Dtype.F64)).load(cache("a"));
        assertEquals(5, entries().size(), "--package");
        compile(QUADRATIC, "quadratic.model", ModelCompiler.Options.DEFAULT).load(cache("b"));
        assertEquals(6, entries().size(), "another build of the compiler");
        compile(QUADRATIC, "quadratic.model", ModelCompiler.Options.DEFAULT).load(cache("a"));
        assertEquals(6, entries().size(), "the first again is a hit");
    }

    @Test
    void aDamagedEntryIsCompiledAgainAndReplaced() throws Exception {
        ModelCompiler.Result result = compile(QUADRATIC, "quadratic.model", ModelCompiler.Options.DEFAULT);
        double fresh = lossAfterOneStep(result.load());
        result.load(cache("a"));
        Path entry = entries().get(0);
        byte[] good = Files.readAllBytes(entry);
        byte[] damaged = good.clone();
        damaged[damaged.length / 2] ^= 0x10;
        Files.write(entry, damaged);
        assertEquals(fresh, lossAfterOneStep(result.load(cache("a"))));
        assertTrue(java.util.Arrays.equals(good, Files.readAllBytes(entry)), "rewritten whole");
        Files.write(entry, java.util.Arrays.copyOf(good, good.length / 3));
        assertEquals(fresh, lossAfterOneStep(result.load(cache("a"))));
        assertTrue(java.util.Arrays.equals(good, Files.readAllBytes(entry)), "a truncated entry too");
    }

    @Test
    void theFolderStaysWithinItsBoundDroppingTheLeastRecentlyUsed() throws Exception {
        compile(QUADRATIC, "a.model", ModelCompiler.Options.DEFAULT).load(cache("a"));
        long one = Files.size(entries().get(0));
        ClassCache small = ClassCache.in(folder, "a", one * 5 / 2);
        List<Path> seen = new ArrayList<>(entries());
        Files.setLastModifiedTime(seen.get(0), java.nio.file.attribute.FileTime.fromMillis(1_000));
        compile(QUADRATIC, "b.model", ModelCompiler.Options.DEFAULT).load(small);
        assertEquals(2, entries().size());
        compile(QUADRATIC, "c.model", ModelCompiler.Options.DEFAULT).load(small);
        assertEquals(2, entries().size(), "the oldest went: " + entries());
        assertTrue(!Files.exists(seen.get(0)), "a.model's class, used least recently, is gone");
        long total = 0;
        for (Path entry : entries()) {
            total += Files.size(entry);
        }
        assertTrue(total <= one * 5 / 2, total + " bytes");
    }

    @Test
    void runsWritingAtOnceLeaveWholeEntriesAndNoTemporaryFiles() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Double>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String text = QUADRATIC.replace("2 * y^2", (i % 2 + 2) + " * y^2");
                runs.add(pool.submit(() -> lossAfterOneStep(
                        compile(text, "quadratic.model", ModelCompiler.Options.DEFAULT).load(cache("a")))));
            }
            List<Double> losses = new ArrayList<>();
            for (Future<Double> run : runs) {
                losses.add(run.get());
            }
            assertEquals(losses.get(0), losses.get(2));
            assertEquals(losses.get(1), losses.get(3));
            assertNotEquals(losses.get(0), losses.get(1));
        } finally {
            pool.shutdown();
        }
        assertEquals(2, everything().size(), "two entries, nothing else: " + everything());
    }

    @Test
    void noCacheWritesNothing() throws Exception {
        compile(QUADRATIC, "quadratic.model", ModelCompiler.Options.DEFAULT).load(ClassCache.NONE);
        assertEquals(List.of(), everything());
        assertTrue(ClassCache.NONE.folder().isEmpty());
    }

    @Test
    void thisBuildIsStableWithinARun() {
        assertEquals(ClassCache.thisBuild(), ClassCache.thisBuild());
    }
}
