package dev.modelc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.ModelSignature;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradCheckTest {
    private static final double[] X = {1, 2, -0.5, 0.25, 3, -1};
    private static final double[] Y = {0.5, -1, 2};

    @Test
    void correctGradientsPass() {
        GradCheckReport quadratic = GradCheck.defaults().check(Fakes.quadratic(4));
        assertTrue(quadratic.passed(), quadratic::toString);
        assertEquals(2, quadratic.checked());
        GradCheckReport line = GradCheck.defaults().check(Fakes.lineFit(false, 3), new Object[] {X, Y}, 3);
        assertTrue(line.passed(), line::toString);
        assertEquals(3, line.checked());
        assertTrue(line.worst().orElseThrow().passed());
    }

    @Test
    void aWrongGradientFailsNamingTheWorstElement() {
        GradCheckReport report = GradCheck.defaults().check(Fakes.quadratic(2));
        assertFalse(report.passed(), report::toString);
        GradCheckReport.Element worst = report.worst().orElseThrow();
        // J = x^2 + 2y^2 at y = -3: dJ/dy = 4y = -12, the model claims 2y = -6.
        assertEquals("y", worst.param());
        assertEquals(0, worst.index());
        assertEquals(-6, worst.analytic());
        assertEquals(-12, worst.numeric(), 1e-6);
        assertEquals(6, worst.absError(), 1e-6);
        assertEquals(0.5, worst.relError(), 1e-6);
        assertTrue(report.toString().startsWith("gradcheck Quadratic: FAILED (central differences, eps 1e-06,"
                + " atol 1e-05, rtol 0.001)\n"), report::toString);
        assertTrue(report.toString().contains("worst: y (flat index 0): analytic -6.0, numeric -12.0"),
                report::toString);
    }

    @Test
    void theWorstElementOfATensorParamIsNamedByPositionAndFlatIndex() {
        GradCheckReport report = GradCheck.defaults().check(Fakes.lineFit(true, 3), new Object[] {X, Y}, 3);
        assertFalse(report.passed(), report::toString);
        double claimed = 0;
        double truth = 0;
        for (int r = 0; r < 3; r++) {
            double residual = 0.5 * X[2 * r] - 1.5 * X[2 * r + 1] + 0.25 - Y[r];
            claimed += 2 * residual * X[2 * r] / 3;
            truth += 2 * residual * X[2 * r + 1] / 3;
        }
        GradCheckReport.Element worst = report.worst().orElseThrow();
        assertEquals("w[1]", worst.name());
        assertEquals(List.of(1), worst.position());
        assertEquals(1, worst.index());
        assertEquals(claimed, worst.analytic(), 1e-12);
        assertEquals(truth, worst.numeric(), 1e-6);
    }

    @Test
    void theFastModeCatchesAWrongGradientAndStillNamesTheElement() {
        GradCheck fast = GradCheck.defaults().fast(3);
        GradCheckReport right = fast.check(Fakes.lineFit(false, 3), new Object[] {X, Y}, 3);
        assertTrue(right.passed(), right::toString);
        assertTrue(right.worst().isEmpty(), "a passing fast check compares no single element");
        GradCheckReport wrong = fast.check(Fakes.lineFit(true, 3), new Object[] {X, Y}, 3);
        assertFalse(wrong.passed(), wrong::toString);
        assertFalse(wrong.worstDirection().orElseThrow().passed());
        assertEquals(3, wrong.worstDirection().orElseThrow().of());
        assertEquals("w[1]", wrong.worst().orElseThrow().name());
        assertTrue(wrong.toString().contains("worst element, by central differences: w[1] (flat index 1)"),
                wrong::toString);
    }

    @Test
    void theFastModeCostsTwoForwardPassesPerDirection() {
        FakeModel model = Fakes.lineFit(false, 3);
        GradCheck.defaults().fast(2).check(model, new Object[] {X, Y}, 3);
        // one at the point, two per direction, one to leave the stored values at the point
        assertEquals(1 + 2 * 2 + 1, model.forwardPasses);
    }

    @Test
    void theToleranceIsAbsolutePlusRelative() {
        // dJ/dy = -12 at y = -3; a claim off by 0.05% is within rtol 1e-3, one off by 0.2% is not.
        assertTrue(GradCheck.defaults().check(Fakes.quadratic(4 * (1 + 5e-4))).passed());
        assertFalse(GradCheck.defaults().check(Fakes.quadratic(4 * (1 + 2e-3))).passed());
        assertFalse(GradCheck.defaults().tolerance(0, 1e-4).check(Fakes.quadratic(4 * (1 + 5e-4))).passed());
    }

    @Test
    void aKinkWithinTheStepIsSetAsideButAWrongSlopeThereIsNot() {
        // |w| at w = 3e-7: the central difference is 0.3, the one-sided ones 1 and -0.4.
        GradCheckReport atKink = GradCheck.defaults().check(Fakes.absolute(3e-7, 1));
        assertTrue(atKink.passed(), atKink::toString);
        assertEquals(1, atKink.skipped());
        assertTrue(atKink.toString().contains("1 set aside"), atKink::toString);
        GradCheckReport wrongAtKink = GradCheck.defaults().check(Fakes.absolute(3e-7, 2));
        assertFalse(wrongAtKink.passed(), wrongAtKink::toString);
        GradCheckReport smooth = GradCheck.defaults().check(Fakes.absolute(0.5, -1));
        assertFalse(smooth.passed(), "away from the kink the one-sided differences agree, so -1 is wrong");
    }

    @Test
    void theParamsAndTheStoredValuesAreLeftAtThePoint() {
        FakeModel model = Fakes.lineFit(false, 3);
        GradCheck.defaults().check(model, new Object[] {X, Y}, 3);
        assertEquals(0.5, model.param(0, 0));
        assertEquals(-1.5, model.param(0, 1));
        assertEquals(0.25, model.param(1, 0));
        double db = 0;
        for (int r = 0; r < 3; r++) {
            db += 2 * Fakes.residual(new double[][] {{0.5, -1.5}, {0.25}}, X, Y, r) / 3;
        }
        assertEquals(db, model.gradient(1, 0), 1e-15);
    }

    @Test
    void aNonFiniteLossIsReportedAsNothingToCompare() {
        ModelSignature signature = FakeModel.signature("Broken", "f64",
                List.of(new ModelSignature.Param("w", List.of())), List.of());
        FakeModel model = new FakeModel(signature, 1, new double[][] {{1}}, (p, in, rows) -> Math.log(-p[0][0]),
                (p, in, rows, out) -> out[0][0] = 1);
        GradCheckReport report = GradCheck.defaults().check(model);
        assertFalse(report.passed());
        assertFalse(report.lossFinite());
        assertTrue(report.toString().contains("the loss is NaN here, so there is nothing to compare"),
                report::toString);
    }

    @Test
    void anF32ModelIsRefused() {
        ModelSignature signature = FakeModel.signature("Single", "f32",
                List.of(new ModelSignature.Param("w", List.of())), List.of());
        FakeModel model = new FakeModel(signature, 1, new double[][] {{1}}, (p, in, rows) -> p[0][0],
                (p, in, rows, out) -> out[0][0] = 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.defaults().check(model));
        assertTrue(e.getMessage().startsWith("Single computes in f32; gradient checks need the f64 variant"),
                e.getMessage());
    }

    @Test
    void assertPassesThrowsTheReport() {
        GradientMismatch e = assertThrows(GradientMismatch.class,
                () -> GradCheck.defaults().assertPasses(Fakes.quadratic(2)));
        assertEquals("y", e.report().worst().orElseThrow().param());
        assertEquals(e.report().toString(), e.getMessage());
    }

    @Test
    void theSingleCaseFormPassesARightModelAndThrowsTheReportForAWrongOne() {
        GradCheckReport passed = GradCheck.assertPasses(Fakes.lineFit(false, 3), new Object[] {X, Y}, 3);
        assertTrue(passed.passed(), passed::toString);
        assertEquals(3, passed.checked());
        AssertionError e = assertThrows(AssertionError.class,
                () -> GradCheck.assertPasses(Fakes.lineFit(true, 3), new Object[] {X, Y}, 3));
        assertTrue(e.getMessage().startsWith("gradcheck LineFit: FAILED (central differences, eps 1e-06,"),
                e.getMessage());
        assertTrue(e.getMessage().contains("worst: w[1] (flat index 1)"), e.getMessage());
        assertEquals(e.getMessage(), ((GradientMismatch) e).report().toString());
    }

    @Test
    void theSingleCaseFormChecksAtTheInputsItIsGiven() {
        // Bound elsewhere, the wrong column would not matter: at x whose two columns are equal the claim is right.
        double[] sameColumns = {1, 1, -0.5, -0.5, 3, 3};
        GradCheck.assertPasses(Fakes.lineFit(true, 3), new Object[] {sameColumns, Y}, 3);
        FakeModel model = Fakes.lineFit(true, 3);
        model.bind(new Object[] {sameColumns, Y}, 3);
        assertThrows(GradientMismatch.class, () -> GradCheck.assertPasses(model, new Object[] {X, Y}, 3));
    }
}
