package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.modelc.autodiff.RuleMutants;
import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.graph.Evaluator;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A maximum reached by several elements passes its gradient to the first of them alone (in
 * row-major order over the reduced axes, or over a pooling window), as PyTorch's
 * {@code max(dim)} and {@code max_pool2d} do: neither shared nor given to each. Finite
 * differences cannot see this (at a tie they give each element half), so the gradients here are
 * written out exactly, in the reference interpreter and in the generated code of both dtypes.
 */
class MaxTiesTest {
    /**
     * Windows of x (row-major): [.5 .5 .2 .5] ties three ways, [.1 .3 .3 .3] three ways after its
     * first element, [-1 -2 -3 -1] is all zeros after the ReLU, [.7 .2 .1 .7] ties first and last.
     * Each window's gradient w[k] goes to its first maximum, through ReLU's step; c gets one w[k]
     * per window: 1 + 2 + 3 + 4.
     */
    private static final String POOL = """
            model Pool
            param x : [1, 1, 4, 4] = normal(0, 1)
            param c = 0
            param w : [1, 1, 2, 2] = normal(0, 1)
            loss L = sum(max_pool2d(relu(x) + c, 2) * w)
            """;

    /**
     * Windows of 2x2 over a 5x5 x, its last row and column dropped (so never a maximum, though
     * larger than all): [1 1 0 1] ties three ways, [0 2 2 0] two ways, [3 0 3 3] first and last,
     * [5 5 5 5] four ways.
     */
    private static final String CROPPED = """
            model Cropped
            param x : [1, 1, 5, 5] = normal(0, 1)
            param w : [1, 1, 2, 2] = normal(0, 1)
            loss L = sum(max_pool2d(x, 2) * w)
            """;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("max_pool2d with a cropped edge", CROPPED, values(
                        "x", new double[] {1, 1, 0, 2, 9, 0, 1, 2, 0, 9, 3, 0, 5, 5, 9, 3, 3, 5, 5, 9, 9, 9, 9, 9, 9},
                        "w", new double[] {1, 2, 3, 4}), values(
                        "x", new double[] {1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 3, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                        "w", new double[] {1, 2, 3, 5})),
                // Pooled before the ReLU, as the compiler reorders it: windows (2x2 corners of x) that
                // tie at 0 or are negative send nothing, as when the ReLU's mask follows the pooling's.
                Arguments.of("max_pool2d of relu", "model M\nparam x : [1, 1, 4, 4] = normal(0, 1)\n"
                        + "param w : [1, 1, 2, 2] = normal(0, 1)\nloss L = sum(max_pool2d(relu(x), 2) * w)\n", values(
                        "x", new double[] {0, -1, .5, .5, 0, -2, .2, .5, -1, -3, -1, .75, -2, -1, .75, .1},
                        "w", new double[] {1, 2, 3, 4}), values(
                        "x", new double[] {0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0},
                        "w", new double[] {0, .5, 0, .75})),
                Arguments.of("max_pool2d in 3x3 windows", "model M\nparam x : [1, 1, 3, 4] = normal(0, 1)\n"
                        + "param w : [1, 1, 1, 1] = normal(0, 1)\nloss L = sum(max_pool2d(x, 3) * w)\n", values(
                        "x", new double[] {2, 0, 2, 7, 1, 2, 0, 7, 2, 0, 1, 7},
                        "w", new double[] {5}), values(
                        "x", new double[] {5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})),
                Arguments.of("max_pool2d after relu", POOL, values(
                        "x", new double[] {.5, .5, .1, .3, .2, .5, .3, .3, -1, -2, .7, .2, -3, -1, .1, .7},
                        "c", new double[] {0},
                        "w", new double[] {1, 2, 3, 4}), values(
                        "x", new double[] {1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0},
                        "c", new double[] {10})),
                Arguments.of("max along an axis", "model M\nparam a : [2, 3] = normal(0, 1)\n"
                        + "param v : [2] = normal(0, 1)\nloss L = sum(max(a, axis = 1) * v)\n", values(
                        "a", new double[] {1, 3, 3, 2, 2, 1},
                        "v", new double[] {1, 2}), values(
                        "a", new double[] {0, 1, 0, 2, 0, 0})),
                Arguments.of("max of everything", "model M\nparam a : [2, 3] = normal(0, 1)\nloss L = 5 * max(a)\n",
                        values("a", new double[] {3, 1, 3, 0, 3, 2}),
                        values("a", new double[] {5, 0, 0, 0, 0, 0})),
                Arguments.of("min along the first axis", "model M\nparam a : [3, 2] = normal(0, 1)\n"
                        + "param v : [2] = normal(0, 1)\nloss L = sum(min(a, axis = 0) * v)\n", values(
                        "a", new double[] {2, 1, 1, 4, 1, 1},
                        "v", new double[] {1, 2}), values(
                        "a", new double[] {0, 2, 1, 0, 0, 0})));
    }

    @ParameterizedTest(name = "{0}: the reference interpreter")
    @MethodSource("cases")
    void theInterpreterSendsTheGradientToTheFirstMaximum(String name, String text, Map<String, double[]> at,
            Map<String, double[]> expected) throws CompilationFailed {
        ModelCompiler.Result result = compile(text, Dtype.F64);
        TrainableModel model = result.instantiate(1);
        set(model, at);
        ModelIr ir = result.simplified();
        Evaluator.Bindings bindings = TensorModels.bindings(ir, model, new Object[0], 1);
        expected.forEach((param, gradient) -> {
            Node node = ir.gradients().get(param);
            double[] actual = Evaluator.evaluate(List.of(node), bindings).get(node).data();
            assertArrayEquals(gradient, actual, 0, name + ": dL/d" + param);
        });
    }

    @ParameterizedTest(name = "{0}: generated {1}")
    @MethodSource("dtypes")
    void theGeneratedCodeSendsTheGradientToTheFirstMaximum(String name, Dtype dtype, String text,
            Map<String, double[]> at, Map<String, double[]> expected) throws CompilationFailed {
        assertArrayEquals(flat(expected), flat(gradients(compile(text, dtype), at, expected)), 0, name);
    }

    static Stream<Arguments> dtypes() {
        return cases().flatMap(c -> Stream.of(Dtype.values()).map(d -> {
            Object[] a = c.get();
            return Arguments.of(a[0], d, a[1], a[2], a[3]);
        }));
    }

    /** The rules that sent the cotangent to every element equal to the maximum fail the pooling and the axis case. */
    @Test
    void everyTiedElementGettingTheGradientIsCaught() throws CompilationFailed {
        assertCaught(RuleMutants.EVERY_TIED_POOLED_MAXIMUM, "max_pool2d after relu", POOL);
        assertCaught(RuleMutants.EVERY_TIED_MAXIMUM, "max along an axis", null);
    }

    private static void assertCaught(RuleMutants.Mutant mutant, String name, String text) throws CompilationFailed {
        Object[] c = cases().map(Arguments::get).filter(a -> a[0].equals(name)).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, double[]> at = (Map<String, double[]>) c[2];
        @SuppressWarnings("unchecked")
        Map<String, double[]> expected = (Map<String, double[]>) c[3];
        ModelCompiler.Result[] wrong = new ModelCompiler.Result[1];
        RuleMutants.withMutant(mutant, () -> wrong[0] = compile(text == null ? (String) c[1] : text, Dtype.F64));
        double[] gradients = flat(gradients(wrong[0], at, expected));
        assertFalse(Arrays.equals(flat(expected), gradients), mutant + ": " + Arrays.toString(gradients));
    }

    private static Map<String, double[]> gradients(ModelCompiler.Result result, Map<String, double[]> at,
            Map<String, double[]> wanted) throws CompilationFailed {
        TrainableModel model = result.instantiate(1);
        set(model, at);
        model.bind(new Object[0], 1);
        model.forward();
        model.backward();
        Map<String, double[]> gradients = new LinkedHashMap<>();
        List<ModelSignature.Param> params = model.signature().params();
        for (int p = 0; p < params.size(); p++) {
            if (wanted.containsKey(params.get(p).name())) {
                double[] g = new double[params.get(p).size()];
                for (int i = 0; i < g.length; i++) {
                    g[i] = model.gradient(p, i);
                }
                gradients.put(params.get(p).name(), g);
            }
        }
        return gradients;
    }

    private static ModelCompiler.Result compile(String text, Dtype dtype) {
        try {
            return ModelCompiler.compile(new SourceFile("ties.model", text), new ModelCompiler.Options("", dtype));
        } catch (CompilationFailed e) {
            throw new AssertionError(e.diagnostics().render());
        }
    }

    private static void set(TrainableModel model, Map<String, double[]> values) {
        values.forEach(model::setParam);
    }

    /** The arrays one after the other, in the order of the map's keys. */
    private static double[] flat(Map<String, double[]> arrays) {
        return arrays.values().stream().flatMapToDouble(Arrays::stream).toArray();
    }

    private static Map<String, double[]> values(Object... pairs) {
        Map<String, double[]> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (double[]) pairs[i + 1]);
        }
        return map;
    }
}
