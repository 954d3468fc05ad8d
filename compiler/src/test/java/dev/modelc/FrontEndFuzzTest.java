package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.modelc.codegen.Dtype;
import dev.modelc.codegen.InMemoryCompiler;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.testing.property.Property;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the front end and every stage after it with random and mutated .model files (see
 * {@link FuzzCaseGen}) and checks each against {@link FrontEndOracle}: 100,000 from a fixed seed,
 * the same in every build, then 10,000 from a seed drawn anew for each build and printed. Every
 * 8th model that compiles is written out as Java, and every 500th also compiled by javac, all of
 * them at once at the end of each run.
 *
 * <p>{@code -Dmodelc.fuzz.count=N} sets the number of files from the fixed seed,
 * {@code -Dmodelc.fuzz.fresh=N} the number from the fresh one, and {@code -Dmodelc.fuzz.seed=N}
 * replaces the fresh seed, to replay a build's run. A failing file is shrunk and written, as it
 * was generated and as shrunk, under {@code target/fuzz-failures/}; {@code -Dmodelc.fuzz.replay=FILE}
 * runs one file.
 */
class FrontEndFuzzTest {
    private static final int COUNT = Integer.getInteger("modelc.fuzz.count", 100_000);
    private static final long SEED = 20_260_101L;
    private static final int FRESH_COUNT = Integer.getInteger("modelc.fuzz.fresh", 10_000);
    /** A new seed in every build unless one is given, so that builds together try ever more files. */
    private static final long FRESH_SEED = Long.getLong("modelc.fuzz.seed", new SecureRandom().nextLong());
    private static final String REPLAY = System.getProperty("modelc.fuzz.replay", "");
    /**
     * Writing the generated class out as text takes longer than all the stages before it, and
     * fails only where javac would: so it is done for a sample, and javac for a smaller one.
     */
    private static final int TEXT_EVERY = 8;
    private static final int JAVAC_EVERY = 500;
    /** A single file that takes longer than this has found something slower than linear. */
    private static final long SLOW_CASE_MILLIS = 10_000;
    private static final Path FAILURES = Path.of("target", "fuzz-failures");

    private final Map<FrontEndOracle.Verdict, Integer> verdicts = new EnumMap<>(FrontEndOracle.Verdict.class);
    private final Map<String, String> javacSample = new LinkedHashMap<>();
    private final Map<String, String> modelOfClass = new LinkedHashMap<>();
    private long slowestMillis;

    @Test
    void everyFileOfTheFixedSeedIsCompiledOrRefusedWithDiagnosticsAtRealPositions() throws IOException {
        if (!REPLAY.isEmpty()) {
            FrontEndOracle.run(Files.readAllBytes(Path.of(REPLAY)));
            return;
        }
        fuzz("the front end compiles or refuses every file", COUNT, SEED);
    }

    @Test
    void everyFileOfAFreshSeedIsCompiledOrRefusedWithDiagnosticsAtRealPositions() {
        if (!REPLAY.isEmpty()) {
            return;
        }
        System.out.println("FrontEndFuzzTest: fresh seed " + FRESH_SEED + " for " + FRESH_COUNT
                + " files; replay with -Dmodelc.fuzz.seed=" + FRESH_SEED);
        fuzz("the front end compiles or refuses every file of a fresh seed", FRESH_COUNT, FRESH_SEED);
    }

    private void fuzz(String name, int count, long seed) {
        if (count == 0) {
            return;
        }
        FuzzCaseGen gen = new FuzzCaseGen(FuzzCaseGen.modelsIn(samplesFolder(), diagnosticsFolder()));
        Property<FuzzCase> property = Property.forAll(name, gen).tries(count).seed(seed).maxShrinkAttempts(5_000);
        long start = System.nanoTime();
        Property.Search<FuzzCase> search = property.search(this::check);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        if (search.counterexample().isPresent()) {
            fail(report(search.counterexample().get()), search.counterexample().get().shrunkFailure());
        }
        System.out.println(search.report() + " in " + seconds + " s: " + verdicts + ", slowest file "
                + slowestMillis + " ms, " + javacSample.size() + " compiled by javac");
        javacTheSample();
        assertTrue(verdicts.getOrDefault(FrontEndOracle.Verdict.COMPILED, 0) >= count / 50,
                "too few files compiled to exercise the later stages: " + verdicts);
    }

    private void check(FuzzCase c) {
        long start = System.nanoTime();
        FrontEndOracle.Outcome outcome = FrontEndOracle.run(c.bytes());
        long millis = (System.nanoTime() - start) / 1_000_000L;
        slowestMillis = Math.max(slowestMillis, millis);
        assertTrue(millis < SLOW_CASE_MILLIS, "one file took " + millis + " ms");
        int count = verdicts.merge(outcome.verdict(), 1, Integer::sum);
        if (outcome.verdict() != FrontEndOracle.Verdict.COMPILED) {
            return;
        }
        if (count % TEXT_EVERY == 0) {
            String className = outcome.result().javaFile().typeSpec().name();
            assertTrue(outcome.result().javaSource().contains("public final class " + className + " "), className);
        }
        if (count % JAVAC_EVERY == 1) {
            addToJavacSample(c);
        }
    }

    /** The model again, in a package of its own so that every class in the sample has its own name. */
    private void addToJavacSample(FuzzCase c) {
        String packageName = "fuzz.c" + javacSample.size();
        try {
            ModelCompiler.Result result = ModelCompiler.compile(SourceFile.decode(FrontEndOracle.FILE_NAME,
                    c.bytes()), new ModelCompiler.Options(packageName, Dtype.F64));
            javacSample.put(result.className(), result.javaSource());
            modelOfClass.put(result.className(), c.readable());
        } catch (CompilationFailed | SourceFile.NotUtf8 e) {
            fail("compiled once, refused in package " + packageName + ": " + e.getMessage());
        }
    }

    private void javacTheSample() {
        try {
            InMemoryCompiler.compile(javacSample);
        } catch (InMemoryCompiler.GeneratedCodeRejected all) {
            StringBuilder culprits = new StringBuilder();
            javacSample.forEach((name, source) -> {
                try {
                    InMemoryCompiler.compile(Map.of(name, source));
                } catch (InMemoryCompiler.GeneratedCodeRejected one) {
                    culprits.append("javac rejected the Java of\n").append(modelOfClass.get(name)).append('\n')
                            .append(one.getMessage()).append('\n');
                }
            });
            fail(culprits.length() > 0 ? culprits.toString() : all.getMessage());
        }
    }

    private static String report(Property.Counterexample<FuzzCase> c) {
        String written = write(c, "original", c.original()) + " and " + write(c, "shrunk", c.shrunk());
        return "fuzzed file " + (c.tryIndex() + 1) + " of " + c.tries() + " with seed " + c.seed() + " fails\n"
                + "as generated: " + c.original() + "\n  fails with: " + c.originalFailure() + "\n"
                + "shrunk (" + c.shrinkSteps() + " steps): " + c.shrunk() + "\n  fails with: " + c.shrunkFailure()
                + "\nwritten to " + written + "; rerun one with -Dmodelc.fuzz.replay=FILE, or all with "
                + "-Dtest=FrontEndFuzzTest -Dsurefire.failIfNoSpecifiedTests=false -Dmodelc.fuzz.count=0"
                + " -Dmodelc.fuzz.fresh=" + c.tries() + " -Dmodelc.fuzz.seed=" + c.seed();
    }

    private static String write(Property.Counterexample<FuzzCase> c, String kind, FuzzCase value) {
        Path file = FAILURES.resolve("seed-" + c.seed() + "-try-" + (c.tryIndex() + 1) + "-" + kind + ".model");
        try {
            Files.createDirectories(FAILURES);
            Files.write(file, value.bytes());
            return file.toAbsolutePath().toString();
        } catch (IOException e) {
            return "(not written: " + e.getMessage() + ")";
        }
    }

    private static Path samplesFolder() {
        return Path.of(System.getProperty("modelc.samples", "../samples"));
    }

    private static Path diagnosticsFolder() {
        return Path.of(System.getProperty("modelc.diagnostics", "src/test/resources/diagnostics"));
    }
}
