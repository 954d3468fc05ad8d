package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.runtime.TrainableModel;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimizer's generated update against the update rules of PyTorch's documentation,
 * written out again here: three steps on {@code L = a^2 / 2 + sum(w^2)} from a = 1.5,
 * w = (1, -2), a scalar and a tensor param, whose gradient is (a, 2 w0, 2 w1).
 */
class OptimizerUpdatesTest {
    private static final double[] START = {1.5, 1, -2};

    /** One update of the reference, on the params as one vector; {@code t} counts from 1 as in PyTorch. */
    interface Reference {
        void step(double[] params, double[] gradient, int t);
    }

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("gd(lr = 0.1)", "", sgd(0.1, 0, 0, 0, false)),
                Arguments.of("sgd(lr = 0.1)", "", sgd(0.1, 0, 0, 0, false)),
                Arguments.of("sgd(lr = 0.1, momentum = 0.9)", "", sgd(0.1, 0.9, 0, 0, false)),
                Arguments.of("sgd(lr = 0.1, momentum = 0.9, dampening = 0.5)", "", sgd(0.1, 0.9, 0.5, 0, false)),
                Arguments.of("sgd(lr = 0.1, momentum = 0.8, nesterov = true, weight_decay = 0.1)", "",
                        sgd(0.1, 0.8, 0, 0.1, true)),
                Arguments.of("sgd(lr = 0.1, weight_decay = 0.5)", "", sgd(0.1, 0, 0, 0.5, false)),
                Arguments.of("adam(lr = 0.1)", "", adam(0.1, 0.9, 0.999, 1e-8, 0, false)),
                Arguments.of("adam(lr = 0.1, beta1 = 0.8, beta2 = 0.9, eps = 0.001, weight_decay = 0.2)", "",
                        adam(0.1, 0.8, 0.9, 1e-3, 0.2, false)),
                Arguments.of("adamw(lr = 0.1)", "", adam(0.1, 0.9, 0.999, 1e-8, 1e-2, true)),
                Arguments.of("adamw(lr = 0.1, weight_decay = 0.5, beta2 = 0.99)", "",
                        adam(0.1, 0.9, 0.99, 1e-8, 0.5, true)),
                Arguments.of("rmsprop()", "", rmsprop(0.01, 0.99, 1e-8, 0, 0, false)),
                Arguments.of("rmsprop(lr = 0.05, alpha = 0.9, momentum = 0.5)", "",
                        rmsprop(0.05, 0.9, 1e-8, 0, 0.5, false)),
                Arguments.of("rmsprop(lr = 0.05, centered = true, weight_decay = 0.1, eps = 0.01)", "",
                        rmsprop(0.05, 0.99, 0.01, 0.1, 0, true)),
                Arguments.of("adagrad()", "", adagrad(0.01, 0, 0, 0, 1e-10)),
                Arguments.of("adagrad(lr = 0.1, lr_decay = 0.5, initial_accumulator_value = 0.1, weight_decay = 0.1)",
                        "", adagrad(0.1, 0.5, 0.1, 0.1, 1e-10)),
                Arguments.of("sgd(lr = 0.1, momentum = 0.9)", "clip_norm 1.5",
                        clipped(1.5, sgd(0.1, 0.9, 0, 0, false))),
                Arguments.of("adam(lr = 0.1, weight_decay = 0.1)", "clip_norm 0.5",
                        clipped(0.5, adam(0.1, 0.9, 0.999, 1e-8, 0.1, false))),
                Arguments.of("adamw(lr = 0.1)", "clip_norm 100",
                        clipped(100, adam(0.1, 0.9, 0.999, 1e-8, 1e-2, true))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("optimizers")
    void threeStepsInF64FollowTheReference(String optimizer, String extra, Reference reference) {
        threeSteps(optimizer, extra, reference, Dtype.F64, 1e-13);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("optimizers")
    void threeStepsInF32FollowTheReference(String optimizer, String extra, Reference reference) {
        threeSteps(optimizer, extra, reference, Dtype.F32, 2e-6);
    }

    private static void threeSteps(String optimizer, String extra, Reference reference, Dtype dtype, double tolerance) {
        TrainableModel model = tiny(optimizer, extra, dtype);
        double[] expected = START.clone();
        for (int t = 1; t <= 3; t++) {
            model.trainStep();
            reference.step(expected, gradient(expected), t);
            double[] actual = params(model);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], tolerance * Math.max(1, Math.abs(expected[i])),
                        "element " + i + " after step " + t);
            }
        }
        assertEquals(3, model.stepCount());
    }

    @Test
    void adamsFirstStepMovesEachElementByAboutTheLearningRate() {
        // With bias correction m^ = g and v^ = g^2 at t = 1, so each element moves by lr * g / (|g| + eps).
        TrainableModel model = tiny("adam(lr = 0.1)", "", Dtype.F64);
        model.trainStep();
        double[] after = params(model);
        assertEquals(1.5 - 0.1 * 1.5 / (1.5 + 1e-8), after[0], 1e-15);
        assertEquals(1 - 0.1 * 2 / (2 + 1e-8), after[1], 1e-15);
        assertEquals(-2 + 0.1 * 4 / (4 + 1e-8), after[2], 1e-15);
    }

    @Test
    void dampeningSparesTheFirstGradient() {
        // PyTorch starts the momentum buffer at the first gradient itself: b1 = g1, not (1 - dampening) g1.
        TrainableModel model = tiny("sgd(lr = 0.1, momentum = 0.9, dampening = 0.5)", "", Dtype.F64);
        model.trainStep();
        assertEquals(1.5 - 0.1 * 1.5, params(model)[0], 1e-15);
        assertEquals(1.5, model.state(0, 0), 1e-15);
        model.trainStep();
        // b2 = 0.9 * 1.5 + 0.5 * 1.35 = 2.025; a2 = 1.35 - 0.1 * 2.025
        assertEquals(1.35 - 0.1 * 2.025, params(model)[0], 1e-15);
    }

    @Test
    void adamwDecaysTheParamWhereAdamDecaysTheGradient() {
        TrainableModel adam = tiny("adam(lr = 0.1, weight_decay = 0.5)", "", Dtype.F64);
        TrainableModel adamw = tiny("adamw(lr = 0.1, weight_decay = 0.5)", "", Dtype.F64);
        adam.trainStep();
        adamw.trainStep();
        // Adam: g = 1.5 + 0.5 * 1.5 = 2.25, a moves by lr * g / (|g| + eps). AdamW: a * (1 - lr * wd) - lr * ~1.
        assertEquals(1.5 - 0.1 * 2.25 / (2.25 + 1e-8), params(adam)[0], 1e-15);
        assertEquals(1.5 * (1 - 0.1 * 0.5) - 0.1 * 1.5 / (1.5 + 1e-8), params(adamw)[0], 1e-15);
    }

    @Test
    void adagradStartsFromTheInitialAccumulator() {
        TrainableModel model = tiny("adagrad(lr = 0.1, initial_accumulator_value = 0.75)", "", Dtype.F64);
        assertEquals(0.75, model.state(0, 0));
        assertEquals(0.75, model.state(1, 1));
        model.trainStep();
        assertEquals(1.5 - 0.1 * 1.5 / (Math.sqrt(0.75 + 2.25) + 1e-10), params(model)[0], 1e-15);
    }

    @Test
    void clippingScalesEveryGradientByTheGlobalNorm() {
        // Gradient (1.5, 2, -4) has norm sqrt(2.25 + 4 + 16) = 4.716991; clipped to norm 1 it is g / 4.716992.
        TrainableModel model = tiny("gd(lr = 1)", "clip_norm 1.0", Dtype.F64);
        model.trainStep();
        double scale = 1 / (Math.sqrt(22.25) + 1e-6);
        assertEquals(1.5 - 1.5 * scale, params(model)[0], 1e-15);
        assertEquals(1 - 2 * scale, params(model)[1], 1e-15);
        assertEquals(-2 + 4 * scale, params(model)[2], 1e-15);
        assertEquals(2, model.gradient(1, 0), "the gradient itself is left as the backward pass computed it");
    }

    @Test
    void clippingLeavesSmallGradientsAlone() {
        TrainableModel clipped = tiny("gd(lr = 0.1)", "clip_norm 5", Dtype.F64);
        TrainableModel plain = tiny("gd(lr = 0.1)", "", Dtype.F64);
        clipped.trainStep();
        plain.trainStep();
        // Norm 4.717 is below 5, but PyTorch's factor 5 / (4.717 + 1e-6) is still above 1: nothing changes.
        for (int i = 0; i < 3; i++) {
            assertEquals(params(plain)[i], params(clipped)[i], 0.0);
        }
    }

    @Test
    void stateIsNamedAfterPyTorchsStateKeys() {
        assertEquals(List.of("a.exp_avg", "a.exp_avg_sq", "w.exp_avg", "w.exp_avg_sq"),
                tiny("adam()", "", Dtype.F64).stateNames());
        assertEquals(List.of("a.square_avg", "a.momentum_buffer", "a.grad_avg", "w.square_avg",
                "w.momentum_buffer", "w.grad_avg"), tiny("rmsprop(momentum = 0.9, centered = true)", "",
                Dtype.F64).stateNames());
        assertEquals(List.of("a.sum", "w.sum"), tiny("adagrad()", "", Dtype.F64).stateNames());
        assertEquals(List.of("a.momentum_buffer", "w.momentum_buffer"),
                tiny("sgd(momentum = 0.5)", "", Dtype.F64).stateNames());
        assertEquals(List.of(), tiny("sgd()", "", Dtype.F64).stateNames());
    }

    @Test
    void stateBuffersHoldTheMoments() {
        TrainableModel model = tiny("adam(lr = 0.1)", "", Dtype.F64);
        model.trainStep();
        // w.exp_avg = (1 - 0.9) * g and w.exp_avg_sq = (1 - 0.999) * g^2, element 1 of w: g = -4
        assertEquals(0.1 * -4, model.state(2, 1), 1e-15);
        assertEquals(0.001 * 16, model.state(3, 1), 1e-15);
        assertNotEquals(0.0, model.state(0, 0));
    }

    static TrainableModel tiny(String optimizer, String extra, Dtype dtype) {
        TrainableModel model = compile("param a = 1.5\nparam w : [2] = 0\nloss L = 0.5 * a^2 + sum(w^2)\n"
                + "train {\n  optimizer " + optimizer + "\n  " + extra + "\n}\n", dtype);
        model.setParam(1, 0, START[1]);
        model.setParam(1, 1, START[2]);
        return model;
    }

    /** A model {@code M} with this body, compiled in memory and made with seed 0. */
    static TrainableModel compile(String body, Dtype dtype) {
        try {
            return ModelCompiler.compile(new SourceFile("m.model", "model M\n" + body),
                    new ModelCompiler.Options("", dtype)).instantiate(0);
        } catch (CompilationFailed e) {
            throw new AssertionError(e.diagnostics().render());
        }
    }

    static TrainableModel compile(String body) {
        return compile(body, Dtype.F64);
    }

    private static double[] params(TrainableModel model) {
        return new double[] {model.param(0, 0), model.param(1, 0), model.param(1, 1)};
    }

    private static double[] gradient(double[] p) {
        return new double[] {p[0], 2 * p[1], 2 * p[2]};
    }

    // ---- the update rules of torch.optim's documentation, for t = 1, 2, ...

    static Reference sgd(double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        double[] b = new double[START.length];
        return (p, gradient, t) -> {
            for (int i = 0; i < p.length; i++) {
                double g = gradient[i] + weightDecay * p[i];
                if (momentum != 0) {
                    b[i] = t > 1 ? momentum * b[i] + (1 - dampening) * g : g;
                    g = nesterov ? g + momentum * b[i] : b[i];
                }
                p[i] = p[i] - lr * g;
            }
        };
    }

    static Reference adam(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        double[] m = new double[START.length];
        double[] v = new double[START.length];
        return (p, gradient, t) -> {
            for (int i = 0; i < p.length; i++) {
                double g = gradient[i];
                if (decoupled) {
                    p[i] = p[i] - lr * weightDecay * p[i];
                } else {
                    g = g + weightDecay * p[i];
                }
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                double mHat = m[i] / (1 - Math.pow(beta1, t));
                double vHat = v[i] / (1 - Math.pow(beta2, t));
                p[i] = p[i] - lr * mHat / (Math.sqrt(vHat) + eps);
            }
        };
    }

    static Reference rmsprop(double lr, double alpha, double eps, double weightDecay, double momentum,
                             boolean centered) {
        double[] v = new double[START.length];
        double[] b = new double[START.length];
        double[] average = new double[START.length];
        return (p, gradient, t) -> {
            for (int i = 0; i < p.length; i++) {
                double g = gradient[i] + weightDecay * p[i];
                v[i] = alpha * v[i] + (1 - alpha) * g * g;
                double vTilde = v[i];
                if (centered) {
                    average[i] = average[i] * alpha + (1 - alpha) * g;
                    vTilde = vTilde - average[i] * average[i];
                }
                if (momentum > 0) {
                    b[i] = momentum * b[i] + g / (Math.sqrt(vTilde) + eps);
                    p[i] = p[i] - lr * b[i];
                } else {
                    p[i] = p[i] - lr * g / (Math.sqrt(vTilde) + eps);
                }
            }
        };
    }

    static Reference adagrad(double lr, double lrDecay, double initialAccumulator, double weightDecay, double eps) {
        double[] sum = {initialAccumulator, initialAccumulator, initialAccumulator};
        return (p, gradient, t) -> {
            double rate = lr / (1 + (t - 1) * lrDecay);
            for (int i = 0; i < p.length; i++) {
                double g = gradient[i] + weightDecay * p[i];
                sum[i] = sum[i] + g * g;
                p[i] = p[i] - rate * g / (Math.sqrt(sum[i]) + eps);
            }
        };
    }

    /** torch.nn.utils.clip_grad_norm_ before the update: scale by min(1, max_norm / (norm + 1e-6)). */
    static Reference clipped(double maxNorm, Reference update) {
        return (p, gradient, t) -> {
            double sum = 0;
            for (double g : gradient) {
                sum += g * g;
            }
            double scale = Math.min(1, maxNorm / (Math.sqrt(sum) + 1e-6));
            double[] scaled = new double[gradient.length];
            for (int i = 0; i < gradient.length; i++) {
                scaled[i] = gradient[i] * scale;
            }
            update.step(p, scaled, t);
        };
    }
}
