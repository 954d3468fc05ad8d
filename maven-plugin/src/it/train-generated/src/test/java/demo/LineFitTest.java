package demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LineFitTest {
    // Points on y = 3x - 1.
    static final double[] X = {-1.0, -0.5, 0.0, 0.5, 1.0, 1.5};
    static final double[] Y = {-4.0, -2.5, -1.0, 0.5, 2.0, 3.5};

    @Test
    void lossFallsStepByStep() {
        Line line = new Line(1L, X.length);
        line.bind(X, Y, X.length);
        double previous = line.forward();
        for (int step = 0; step < 5; step++) {
            line.backward();
            line.step();
            double loss = line.forward();
            assertTrue(loss < previous, "step " + step + ": " + loss + " >= " + previous);
            previous = loss;
        }
    }

    @Test
    void trainingFindsTheLine() {
        Line line = LineFit.fit(X, Y, 500);
        assertEquals("w", Line.SIGNATURE.params().get(0).name());
        assertEquals("b", Line.SIGNATURE.params().get(1).name());
        assertEquals(3.0, line.param(0, 0), 1e-6);
        assertEquals(-1.0, line.param(1, 0), 1e-6);
    }

    @Test
    void theCompilerIsNotOnTheClasspath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.modelc.ModelCompiler"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.antlr.v4.runtime.Parser"));
    }
}
