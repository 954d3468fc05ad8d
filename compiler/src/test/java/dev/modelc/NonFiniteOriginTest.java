package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.TrainingSettings;
import org.junit.jupiter.api.Test;

/**
 * Generated models name the first forward value that is NaN or infinite by its operation and
 * {@code .model} line, and training that meets one stops there and says so.
 */
class NonFiniteOriginTest {
    // d/dw (log(2w) + w^2) = 1/w + 2w is 3 at w = 1, so a rate of 1.5 moves w to -3.5 and log's argument to -7.
    private static final String LOG_NEGATIVE = """
            model LogNegative

            param w = 1
            z = 2 * w
            h = log(z)
            loss L = h + w^2

            train {
              optimizer gd(lr = 1.5)
              max_steps 20
            }
            """;

    private static TrainableModel model(String text, Dtype dtype) {
        try {
            return ModelCompiler.compile(new SourceFile("log_negative.model", text),
                    new ModelCompiler.Options("", dtype)).instantiate(0);
        } catch (CompilationFailed e) {
            throw new AssertionError(e.diagnostics().render());
        }
    }

    private static Trainer.Result train(TrainableModel model, long steps) {
        return Trainer.train(model, TrainingSettings.of(model.signature()).withMaxSteps(steps), Trainer.Listener.NONE);
    }

    @Test
    void aLogDrivenNegativeIsNamedWithItsLine() {
        for (Dtype dtype : Dtype.values()) {
            TrainableModel model = model(LOG_NEGATIVE, dtype);
            Trainer.Result result = train(model, 20);
            assertEquals(Trainer.StopReason.DIVERGED, result.reason(), dtype.label());
            assertEquals(1, result.steps(), "one update takes w below 0");
            assertEquals("the loss L", result.nonFinite().what());
            assertEquals("log at log_negative.model:5 (h = log(z))", result.nonFinite().origin());
        }
    }

    @Test
    void finiteValuesGiveNoOrigin() {
        TrainableModel model = model(LOG_NEGATIVE, Dtype.F64);
        model.forward();
        assertNull(model.firstNonFinite());
    }

    @Test
    void anInlineOperationIsFoundInsideItsStatement() {
        TrainableModel model = model("""
                model Inline
                param w : [3] = 1
                param s = 2
                loss L = sum(sqrt(w - s) * 2) + s^2
                """, Dtype.F64);
        model.setParam(0, 1, 5);
        model.setParam(0, 2, 0.5);
        assertEquals(Double.NaN, model.forward());
        assertEquals("sqrt at log_negative.model:4 (loss L = sum(sqrt(w - s) * 2) + s^2)", model.firstNonFinite());
    }

    @Test
    void aParamThatIsNotFiniteIsNamedFirst() {
        TrainableModel model = model(LOG_NEGATIVE, Dtype.F64);
        model.setParam(0, 0, Double.POSITIVE_INFINITY);
        assertEquals("param w at log_negative.model:3 (param w = 1)", model.firstNonFinite());
    }

    @Test
    void aGradientThatIsNotFiniteStopsTrainingBeforeItsParamIsUsed() {
        // d/dx sqrt(x) at 0 is infinite while the loss, 0, is finite.
        TrainableModel model = model("""
                model Cusp
                param x = 0
                loss L = sqrt(x)
                """, Dtype.F64);
        Trainer.Result result = train(model, 10);
        assertEquals(Trainer.StopReason.DIVERGED, result.reason());
        assertEquals("the gradient of x", result.nonFinite().what());
        assertEquals("the gradient of x is Infinity in update 1", result.nonFinite().describe("update"));
    }
}
