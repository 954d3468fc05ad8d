package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.modelc.testing.property.Property;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The whole-model differential fuzzer: random complete models ({@link WholeModelGen}) go through
 * the whole pipeline, javac and a few updates, and each value, gradient and updated parameter
 * is checked against the IR interpreter ({@link WholeModelCheck}). An internal error, a class
 * javac refuses or a mismatch fails the build with the model shrunk, its seed, and files under
 * {@code target/fuzz-failures/}.
 *
 * <p>Models are compiled a thousand to a javac run. {@code -Dmodelc.fuzz.models=N} sets how many
 * (2,000 by default), {@code -Dmodelc.fuzz.seed=S} the seed; the thousand models from seed S+k
 * are checked k-th, so a failure in any of them is rerun alone with
 * {@code -Dmodelc.fuzz.seed=S+k -Dmodelc.fuzz.models=1000}.
 */
class WholeModelFuzzTest {
    private static final int MODELS = Integer.getInteger("modelc.fuzz.models", 2000);
    private static final long SEED = Long.getLong("modelc.fuzz.seed", 20_261_207L);
    private static final int CHUNK = 1000;
    private static final double MIN_CHECKED = 0.7;
    private static final Path FAILURES = Path.of("target", "fuzz-failures");

    @Test
    void everyModelTrainsAsTheInterpreterSays() {
        WholeModelCoverage coverage = new WholeModelCoverage();
        int checked = 0;
        int tried = 0;
        long start = System.nanoTime();
        long startCpu = processCpuNanos();
        long compiling = 0;
        for (int chunk = 0; tried < MODELS; chunk++) {
            int count = Math.min(CHUNK, MODELS - tried);
            long seed = SEED + chunk;
            WholeModelCheck check = new WholeModelCheck(coverage);
            Property<WholeModel> property = Property.forAll("every model trains as the interpreter says",
                            new WholeModelGen()).tries(count).seed(seed).minCheckedFraction(0)
                    .maxShrinkAttempts(3_000).describedBy(WholeModel::describe);
            long compileStart = System.nanoTime();
            check.compileAll(property.cases());
            compiling += System.nanoTime() - compileStart;
            Property.Search<WholeModel> search = property.search(check::check);
            if (search.counterexample().isPresent()) {
                fail(report(search.counterexample().get(), seed, count), search.counterexample().get()
                        .shrunkFailure());
            }
            checked += search.report().checked();
            tried += count;
            System.out.println(search.report());
        }
        System.out.printf("%d whole models in %.1f s (%.1f s generating, compiling and javac; %.1f s of cpu), %d "
                + "checked; %s%n", tried, (System.nanoTime() - start) / 1e9, compiling / 1e9,
                (processCpuNanos() - startCpu) / 1e9, checked, coverage);
        assertTrue(checked >= MIN_CHECKED * tried, "too few models checked: " + checked + " of " + tried);
        coverage.assertEverythingMet(tried);
    }

    /** The CPU time of this whole JVM, every thread's, which a loaded machine stretches less than the wall clock. */
    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    private static String report(Property.Counterexample<WholeModel> c, long seed, int count) {
        String written = write(c, "original", c.original()) + " and " + write(c, "shrunk", c.shrunk());
        return "whole model " + (c.tryIndex() + 1) + " of " + count + " with seed " + seed + " fails\n"
                + "as generated:\n" + c.original().describe() + "\n  fails with: " + c.originalFailure() + "\n"
                + "shrunk (" + c.shrinkSteps() + " steps):\n" + c.shrunk().describe() + "\n  fails with: "
                + c.shrunkFailure() + "\nwritten to " + written + "; rerun with -Dtest=WholeModelFuzzTest "
                + "-Dsurefire.failIfNoSpecifiedTests=false -Dmodelc.fuzz.seed=" + seed + " -Dmodelc.fuzz.models="
                + count;
    }

    private static String write(Property.Counterexample<WholeModel> c, String kind, WholeModel model) {
        Path file = FAILURES.resolve("whole-model-seed-" + c.seed() + "-try-" + (c.tryIndex() + 1) + "-" + kind
                + ".model");
        try {
            Files.createDirectories(FAILURES);
            Files.writeString(file, model.describe() + "\n");
            return file.toAbsolutePath().toString();
        } catch (IOException e) {
            return "(not written: " + e.getMessage() + ")";
        }
    }
}
