package dev.modelc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.ModelCompiler;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.runtime.Matmul;
import dev.modelc.runtime.Rng;
import dev.modelc.runtime.TrainableModel;
import org.junit.jupiter.api.Test;

/**
 * A product by a single column of a param, the elementwise statements on its rows and the sum
 * of them run as one loop over the rows, with the bits of the statements run one after another:
 * {@code Matmul.multiply}, then each loop. In the backward pass, the bias's and the weight's
 * gradients run as one pass too, with the bits of {@code Kernels.sumRows} and
 * {@code Matmul.multiply}.
 */
class RowPassTest {
    private static final int K = 10;
    private static final String MODEL = """
            model Linear
            input x : [batch, 10]
            input y : [batch, 1]
            param W : [10, 1] = zeros
            param b : [1] = zeros
            loss L = mse(x @ W + b, y)
            train {
              optimizer gd(lr = 0.01)
            }
            """;

    @Test
    void theForwardPassIsOneLoopOverTheRows() throws Exception {
        String java = compile(Dtype.F32).javaSource();
        assertFalse(java.contains("Matmul.multiply(x, false, W"), java);
        int loop = java.indexOf("for (int i0 = 0; i0 < rows; i0++) {");
        int next = java.indexOf("}", loop);
        String body = java.substring(loop, next);
        assertTrue(body.contains("t1[i0] = 0.0f + x[i0 * 10] * W_0 +"), body);
        assertTrue(body.contains("t1[i0] = t1[i0] + b_0 - y[i0];"), body);
        assertTrue(body.contains("acc = acc + t1[i0] * t1[i0];"), body);
    }

    @Test
    void theLossHasTheBitsOfTheSeparateStatementsInFloat() throws Exception {
        TrainableModel model = compile(Dtype.F32).load().create(0L, 64);
        Rng rng = new Rng(18);
        for (int rows : new int[] {1, 7, 8, 37, 64}) {
            float[] x = new float[rows * K];
            float[] y = new float[rows];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.normal(0, 1);
            }
            for (int i = 0; i < rows; i++) {
                y[i] = (float) rng.normal(0, 1);
            }
            float[] w = new float[K];
            for (int p = 0; p < K; p++) {
                w[p] = (float) rng.normal(0, 1);
                model.setParam(0, p, w[p]);
            }
            float b = (float) rng.normal(0, 1);
            model.setParam(1, 0, b);
            model.bind(new Object[] {x, y}, rows);
            float[] t = new float[rows];
            Matmul.multiply(x, false, w, false, t, rows, K, 1);
            float acc = 0f;
            for (int i = 0; i < rows; i++) {
                t[i] = t[i] + b - y[i];
                acc = acc + t[i] * t[i];
            }
            float expected = acc * (1.0f / rows);
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits((float) model.forward()),
                    rows + " rows");
        }
    }

    @Test
    void theBiasAndWeightGradientsAreOnePassWithTheBitsOfTheSeparateCalls() throws Exception {
        String java = compile(Dtype.F32).javaSource();
        assertTrue(java.contains("Kernels.biasAndWeightGradient(t1, x, rows, 10, dL_db, dL_dW);"), java);
        assertFalse(java.contains("Kernels.sumRows(dL_db"), java);
        TrainableModel model = compile(Dtype.F32).load().create(0L, 64);
        Rng rng = new Rng(20);
        for (int rows : new int[] {1, 2, 9, 37, 64}) {
            float[] x = new float[rows * K];
            float[] y = new float[rows];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.normal(0, 1);
            }
            for (int i = 0; i < rows; i++) {
                y[i] = (float) rng.normal(0, 1);
            }
            float[] w = new float[K];
            for (int p = 0; p < K; p++) {
                w[p] = (float) rng.normal(0, 1);
                model.setParam(0, p, w[p]);
            }
            float b = (float) rng.normal(0, 1);
            model.setParam(1, 0, b);
            model.bind(new Object[] {x, y}, rows);
            model.forward();
            model.backward();
            float[] dY = new float[rows];
            Matmul.multiply(x, false, w, false, dY, rows, K, 1);
            for (int i = 0; i < rows; i++) {
                dY[i] = 2.0f * ((1.0f / rows) * (dY[i] + b - y[i]));
            }
            float[] db = new float[1];
            float[] dW = new float[K];
            dev.modelc.runtime.Kernels.sumRows(db, dY, rows, 1);
            Matmul.multiply(x, true, dY, false, dW, K, rows, 1);
            assertEquals(Float.floatToRawIntBits(db[0]), Float.floatToRawIntBits((float) model.gradient(1, 0)),
                    rows + " rows: bias");
            for (int p = 0; p < K; p++) {
                assertEquals(Float.floatToRawIntBits(dW[p]), Float.floatToRawIntBits((float) model.gradient(0, p)),
                        rows + " rows: weight " + p);
            }
        }
    }

    @Test
    void theLossHasTheBitsOfTheSeparateStatementsInDouble() throws Exception {
        TrainableModel model = compile(Dtype.F64).load().create(0L, 64);
        Rng rng = new Rng(19);
        int rows = 37;
        double[] x = new double[rows * K];
        double[] y = new double[rows];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.normal(0, 1);
        }
        for (int i = 0; i < rows; i++) {
            y[i] = rng.normal(0, 1);
        }
        double[] w = new double[K];
        for (int p = 0; p < K; p++) {
            w[p] = rng.normal(0, 1);
            model.setParam(0, p, w[p]);
        }
        double b = rng.normal(0, 1);
        model.setParam(1, 0, b);
        model.bind(new Object[] {x, y}, rows);
        double[] t = new double[rows];
        Matmul.multiply(x, false, w, false, t, rows, K, 1);
        double acc = 0;
        for (int i = 0; i < rows; i++) {
            t[i] = t[i] + b - y[i];
            acc = acc + t[i] * t[i];
        }
        assertEquals(Double.doubleToRawLongBits(acc * (1.0 / rows)), Double.doubleToRawLongBits(model.forward()));
    }

    private static ModelCompiler.Result compile(Dtype dtype) throws Exception {
        return ModelCompiler.compile(new SourceFile("linear.model", MODEL), new ModelCompiler.Options("", dtype));
    }
}
