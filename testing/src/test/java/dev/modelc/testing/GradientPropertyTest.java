package dev.modelc.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.testing.property.Property;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class GradientPropertyTest {

    @Test
    void aCorrectModelPassesEveryTry() {
        Property.Report report = GradCheck.forAll(() -> Fakes.lineFit(false, 8), 30).seed(5).check();
        assertEquals(30, report.tries());
        assertEquals(30, report.checked());
    }

    @Test
    void aModelWithoutInputsIsCheckedOnceAtItsParams() {
        Property.Report report = GradCheck.forAll(() -> Fakes.quadratic(4), 50).check();
        assertEquals(1, report.tries());
        assertEquals(1, report.checked());
        assertTrue(GradCheck.forAll(() -> Fakes.quadratic(2), 50).search().counterexample().isPresent());
    }

    @Test
    void casesHaveTheDeclaredShapesAndTheBatchAsked() {
        List<InputCase> cases = GradCheck.forAll(() -> Fakes.lineFit(false, 8), 5).batch(3).cases();
        assertEquals(5, cases.size());
        for (InputCase c : cases) {
            assertEquals(3, c.rows());
            assertEquals(6, ((double[]) c.values("x")).length);
            assertEquals(3, ((double[]) c.values("y")).length);
            for (double v : (double[]) c.values("x")) {
                assertTrue(v >= -2 && v < 2, "default range: " + v);
            }
        }
        assertEquals(8, GradCheck.forAll(() -> Fakes.lineFit(false, 8), 1).cases().get(0).rows());
        assertEquals(4, GradCheck.forAll(() -> Fakes.lineFit(false, 4), 1).cases().get(0).rows());
    }

    @Test
    void labelsAreBelowTheDeclaredClassesOrTheBound() {
        assertEquals(Set.of(0, 1, 2), labels(GradCheck.forAll(() -> Fakes.labelled(3), 20)));
        assertEquals(Set.of(0, 1), labels(GradCheck.forAll(() -> Fakes.labelled(0), 20)));
        assertEquals(Set.of(0, 1, 2, 3, 4), labels(GradCheck.forAll(() -> Fakes.labelled(0), 20).labelBound(5)));
        assertEquals(20, GradCheck.forAll(() -> Fakes.labelled(3), 20).check().checked());
    }

    @Test
    void inputRangesApplyToAllOrToOneInput() {
        for (InputCase c : GradCheck.forAll(() -> Fakes.lineFit(false, 8), 10).inputRange(-0.5, 0.5)
                .inputRange("x", 1, 3).cases()) {
            assertTrue(Arrays.stream((double[]) c.values("x")).allMatch(v -> v >= 1 && v < 3), c::toString);
            assertTrue(Arrays.stream((double[]) c.values("y")).allMatch(v -> v >= -0.5 && v < 0.5), c::toString);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.forAll(() -> Fakes.lineFit(false, 8), 10).inputRange("z", 0, 1).check());
        assertEquals("inputRange: LineFit has no input z; its inputs are [x, y]", e.getMessage());
    }

    @Test
    void aBatchOverTheCapacityIsRefusedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.forAll(() -> Fakes.lineFit(false, 8), 10).batch(16).check());
        assertEquals("batch 16 is more than the 8 rows this LineFit was made for: make it with a larger batch"
                + " capacity (new LineFit(seed, 16)) or ask for .batch(8)", e.getMessage());
    }

    @Test
    void aFailingCaseShrinksToOneRowAndTheSimplestValueThatFails() {
        Property.Search<InputCase> search = GradCheck.forAll(Fakes::wrongForLargeInputs, 20).seed(11).search();
        Property.Counterexample<InputCase> found = search.counterexample().orElseThrow();
        assertEquals(8, found.original().rows());
        assertEquals(1, found.shrunk().rows());
        // The bug needs |x| >= 1 in some row: one row at 1 or -1 is the simplest case that has it.
        double x = ((double[]) found.shrunk().values("x"))[0];
        assertEquals(1.0, Math.abs(x), found.shrunk()::toString);
        GradientMismatch mismatch = assertInstanceOf(GradientMismatch.class, found.shrunkFailure());
        // L = mean(w x) at one row: dL/dw = x, the model claims 2x.
        assertEquals(2 * x, mismatch.report().worst().orElseThrow().analytic());
        assertEquals(x, mismatch.report().worst().orElseThrow().numeric(), 1e-9);
    }

    @Test
    void aWrongModelShrinksToOneRowAndSimplerValues() {
        Property.Counterexample<InputCase> found = GradCheck.forAll(() -> Fakes.lineFit(true, 8), 20).seed(3)
                .search().counterexample().orElseThrow();
        assertEquals(0, found.tryIndex(), "a wrong column shows on any data");
        assertEquals(1, found.shrunk().rows());
        assertArrayEquals(new double[] {0}, (double[]) found.shrunk().values("y"));
        double[] x = (double[]) found.shrunk().values("x");
        assertTrue(Arrays.stream(x).allMatch(v -> v == Math.rint(v)), "whole numbers: " + found.shrunk());
        // One row: dL/dw[1] = 2 r x1 with r = 0.5 x0 - 1.5 x1 + 0.25 - y; the model claims 2 r x0.
        double r = 0.5 * x[0] - 1.5 * x[1] + 0.25;
        GradCheckReport.Element worst = ((GradientMismatch) found.shrunkFailure()).report().worst().orElseThrow();
        assertEquals("w[1]", worst.name());
        assertEquals(2 * r * x[0], worst.analytic(), 1e-12);
        assertEquals(2 * r * x[1], worst.numeric(), 1e-6);
        assertTrue(worst.absError() > 0.1, "fails plainly, not by a hair over the tolerance: " + worst);
    }

    @Test
    void theFailureMessageNamesTheSeedTheCaseAndTheTestToRerun() {
        AssertionFailedError error = assertThrows(AssertionFailedError.class,
                () -> GradCheck.forAll(() -> Fakes.lineFit(true, 8), 20).seed(3).check());
        String message = error.getMessage();
        assertTrue(message.startsWith("property \"gradients of LineFit match finite differences\" failed on try 1"
                + " of 20 with seed 3\n"), message);
        assertTrue(message.contains("shrunk case ("), message);
        assertTrue(message.contains("):\n    batch 1\n      x = [["), message);
        assertTrue(message.contains("fails with: GradientMismatch: gradcheck LineFit: FAILED"), message);
        assertTrue(message.contains("worst: w[1] (flat index 1)"), message);
        assertTrue(message.contains("-Dmodelc.seed=3"), message);
        assertTrue(message.contains(
                "-Dtest=GradientPropertyTest#theFailureMessageNamesTheSeedTheCaseAndTheTestToRerun"),
                message);
        assertInstanceOf(GradientMismatch.class, error.getCause());
    }

    @Test
    void theSeedReproducesTheFailure() {
        Property.Counterexample<InputCase> first = GradCheck.forAll(Fakes::wrongForLargeInputs, 20).seed(7)
                .search().counterexample().orElseThrow();
        Property.Counterexample<InputCase> again = GradCheck.forAll(Fakes::wrongForLargeInputs, 20).seed(7)
                .search().counterexample().orElseThrow();
        assertEquals(first.tryIndex(), again.tryIndex());
        assertEquals(first.original(), again.original());
        assertEquals(first.shrunk(), again.shrunk());
        assertNotEquals(GradCheck.forAll(Fakes::wrongForLargeInputs, 20).seed(8).cases(),
                GradCheck.forAll(Fakes::wrongForLargeInputs, 20).seed(7).cases());
        System.setProperty(Property.SEED_PROPERTY, "7");
        try {
            Property.Counterexample<InputCase> overridden = GradCheck.forAll(Fakes::wrongForLargeInputs, 20).seed(99)
                    .search().counterexample().orElseThrow();
            assertEquals(7, overridden.seed());
            assertEquals(first.original(), overridden.original());
        } finally {
            System.clearProperty(Property.SEED_PROPERTY);
        }
    }

    @Test
    void theFastModeFailsTheProperty() {
        Property.Counterexample<InputCase> found = GradCheck.forAll(() -> Fakes.lineFit(true, 8), 20).fast(2)
                .search().counterexample().orElseThrow();
        GradCheckReport report = ((GradientMismatch) found.shrunkFailure()).report();
        assertTrue(report.worstDirection().isPresent());
        assertEquals("w[1]", report.worst().orElseThrow().name());
    }

    @Test
    void casesWhoseLossIsNotFiniteAreDiscardedAndTooManyFailTheRun() {
        AssertionFailedError error = assertThrows(AssertionFailedError.class,
                () -> GradCheck.forAll(GradientPropertyTest::logOfInput, 20).inputRange(-3, -0.1).check());
        assertTrue(error.getMessage().contains("20 tries, 0 checked, 20 discarded {the loss is not finite=20}: fewer"
                + " than 50.0% of the cases were checked"), error.getMessage());
        Property.Report positive = GradCheck.forAll(GradientPropertyTest::logOfInput, 20).inputRange(0.1, 3).check();
        assertEquals(20, positive.checked());
    }

    /** {@code L = w * log(x[0])}: not finite unless x[0] is positive. */
    private static FakeModel logOfInput() {
        ModelSignature signature = FakeModel.signature("LogOfInput", "f64",
                List.of(new ModelSignature.Param("w", List.of())),
                List.of(new ModelSignature.Input("x", List.of(ModelSignature.BATCH), false, 0)));
        return new FakeModel(signature, 8, new double[][] {{1}},
                (p, in, rows) -> p[0][0] * Math.log(((double[]) in[0])[0]),
                (p, in, rows, out) -> out[0][0] = Math.log(((double[]) in[0])[0]));
    }

    private static Set<Integer> labels(GradientProperty property) {
        Set<Integer> seen = new TreeSet<>();
        for (InputCase c : property.cases()) {
            Arrays.stream((int[]) c.values("y")).forEach(seen::add);
        }
        return seen;
    }
}
