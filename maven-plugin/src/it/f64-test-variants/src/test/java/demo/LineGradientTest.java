package demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelc.testing.GradCheck;
import dev.modelc.testing.property.Property;
import org.junit.jupiter.api.Test;

class LineGradientTest {
    static final double[] X = {-1.0, 0.25, 0.5, 2.0};
    static final double[] Y = {0.5, -1.0, 2.0, 3.0};

    @Test
    void mainClassIsF32AndTestVariantIsF64() {
        assertEquals("f32", demo.Line.SIGNATURE.dtype());
        assertEquals("f64", demo.f64.Line.SIGNATURE.dtype());
    }

    /** Random x and y for 50 batches; a failure is shrunk and printed with the seed that reproduces it. */
    @Test
    void gradientsMatchFiniteDifferencesOnRandomInputs() {
        Property.Report report = GradCheck.forAll(() -> new demo.f64.Line(3L), 50).check();
        assertEquals(50, report.checked());
    }

    /** One check at inputs of the test's own; it throws an AssertionError with the report when it fails. */
    @Test
    void gradientsMatchFiniteDifferencesAtGivenInputs() {
        GradCheck.assertPasses(new demo.f64.Line(3L, X.length), new Object[] {X, Y}, X.length);
    }

    @Test
    void gradientsMatchTheFormulaOfTheMeanSquaredError() {
        demo.f64.Line line = new demo.f64.Line(3L, X.length);
        line.bind(X, Y, X.length);
        line.setParam(0, 0, 0.7);
        line.setParam(1, 0, -0.2);
        line.forward();
        line.backward();
        // dL/dw = 2/n * sum((w x + b - y) x), dL/db = 2/n * sum(w x + b - y)
        double dw = 0;
        double db = 0;
        for (int i = 0; i < X.length; i++) {
            double r = 0.7 * X[i] - 0.2 - Y[i];
            dw += 2 * r * X[i] / X.length;
            db += 2 * r / X.length;
        }
        assertEquals(dw, line.gradient(0, 0), 1e-12);
        assertEquals(db, line.gradient(1, 0), 1e-12);
    }

    @Test
    void theF32ClassTrainsInTheApplication() {
        float[] x = {-1f, 0f, 1f, 2f};
        float[] y = {-3f, -1f, 1f, 3f};
        demo.Line line = Predict.train(x, y, 400);
        assertEquals(2.0, line.param(0, 0), 1e-4);
        assertEquals(-1.0, line.param(1, 0), 1e-4);
    }
}
