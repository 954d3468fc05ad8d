package dev.modelc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.ModelCompiler;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.runtime.TrainableModel;
import org.junit.jupiter.api.Test;

/**
 * An element of a param at a fixed position read inside a loop (a bias of one element
 * broadcast over the rows) is read into a local before the loop, and read again before every
 * loop, so that each pass sees the param as the last update left it.
 */
class ParamElementLocalTest {
    private static final String MODEL = """
            model Residual
            input x : [batch, 3]
            input y : [batch, 1]
            param W : [3, 1] = zeros
            param b : [1] = zeros
            param c : [3] = zeros
            loss L = mse(x @ W + b, y) + sum(x * c)
            train {
              optimizer gd(lr = 0.1)
            }
            """;

    @Test
    void aBroadcastElementIsReadBeforeTheLoopAndARowVectorInIt() throws Exception {
        String java = compile(Dtype.F32).javaSource();
        int local = java.indexOf("float b_0 = b[0];");
        assertTrue(local >= 0, java);
        int loop = java.indexOf("for (int i0 = 0; i0 < rows; i0++)", local);
        assertTrue(loop > local && java.substring(loop).contains("+ b_0 - y[i0]"), java);
        assertFalse(java.contains("float c_"), "c's elements vary along the loop, as c[i1]:\n" + java);
        assertTrue(java.contains("c[i1]"), java);
    }

    @Test
    void eachPassReadsTheParamAsTheUpdateLeftIt() throws Exception {
        TrainableModel model = compile(Dtype.F32).load().create(0L, 4);
        float[] x = new float[12];
        float[] y = {1f, 2f, 3f, 4f};
        model.bind(new Object[] {x, y}, 4);
        // x is zero, so x @ W and x * c are too: L = mean((b - y)^2), whatever W and c are.
        assertEquals(mse(0f, y), model.forward());
        model.setParam(1, 0, 0.5);
        assertEquals(mse(0.5f, y), model.forward());
        model.backward();
        model.step();
        float b = (float) model.param(1, 0);
        assertTrue(b != 0.5f, "the update moved b");
        assertEquals(mse(b, y), model.forward());
    }

    /** The loss as the generated f32 code sums it: residuals, squares added in row order, times 1 / rows. */
    private static float mse(float b, float[] y) {
        float acc = 0f;
        for (float target : y) {
            float r = 0f + b - target;
            acc = acc + r * r;
        }
        return acc * (1f / y.length);
    }

    private static ModelCompiler.Result compile(Dtype dtype) throws Exception {
        return ModelCompiler.compile(new SourceFile("residual.model", MODEL), new ModelCompiler.Options("", dtype));
    }
}
