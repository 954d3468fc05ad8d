package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.codegen.Dtype;
import dev.modelc.graph.Evaluator;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Tensor;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Rng;
import dev.modelc.runtime.TrainableModel;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Access by name in a generated class: every named value of a sample, read with
 * {@code value(name)} after a forward pass, against the reference interpreter on the same rows;
 * and the index constants, against the positions the signature gives each name.
 */
class NamedValuesTest {
    private static final int ROWS = 3;

    @ParameterizedTest
    @ValueSource(strings = {"digits_mlp", "deep_mlp", "linear_regression", "logistic_regression", "polar"})
    void everyNamedValueIsWhatTheInterpreterComputes(String sample) throws Exception {
        for (Dtype dtype : Dtype.values()) {
            ModelCompiler.Result result = Sample.named(sample).compile(dtype);
            TrainableModel model = result.load().create(4, ROWS);
            ModelSignature signature = model.signature();
            Object[] inputs = TensorModels.randomInputs(signature, ROWS, new Rng(11), dtype);
            if (!signature.inputs().isEmpty()) {
                model.bind(inputs, ROWS);
            }
            model.forward();
            ModelIr ir = result.simplified();
            double tolerance = dtype == Dtype.F64 ? 1e-12 : 2e-5;
            for (ModelIr.NamedValue value : ir.values()) {
                double[] expected = reference(ir, value.node(), model, inputs);
                double[] actual = model.value(value.name());
                String what = sample + " " + dtype.label() + " " + value.name();
                assertEquals(expected.length, actual.length, what + ": length");
                for (int i = 0; i < expected.length; i++) {
                    assertTrue(Math.abs(expected[i] - actual[i]) <= tolerance * Math.max(1, Math.abs(expected[i])),
                            what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
                }
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.value("nope"));
            assertEquals("model " + signature.name() + " has no named value `nope`", e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"digits_mlp", "deep_mlp", "logistic_regression", "rosenbrock"})
    void theIndexConstantsAreTheSignaturesPositions(String sample) throws Exception {
        Class<?> type = Sample.named(sample).compile(Dtype.F64).load().create(1).getClass();
        ModelSignature signature = (ModelSignature) type.getField("SIGNATURE").get(null);
        assertConstants(type, "Params", signature.params().stream().map(ModelSignature.Param::name).toList());
        assertConstants(type, "Metrics", signature.metrics());
        assertConstants(type, "Outputs", signature.outputs().stream().map(ModelSignature.Output::name).toList());
    }

    /** A nested class {@code holder} with one constant per name, its position in {@code names}; none when empty. */
    private static void assertConstants(Class<?> type, String holder, List<String> names) throws Exception {
        Class<?> constants = null;
        for (Class<?> nested : type.getDeclaredClasses()) {
            constants = nested.getSimpleName().equals(holder) ? nested : constants;
        }
        if (names.isEmpty()) {
            assertEquals(null, constants, holder);
            return;
        }
        assertFalse(constants == null, holder);
        assertEquals(names.size(), constants.getDeclaredFields().length, holder);
        for (int i = 0; i < names.size(); i++) {
            Field field = constants.getField(names.get(i));
            assertEquals(i, field.getInt(null), holder + "." + names.get(i));
        }
    }

    /** The interpreter's value of {@code node} with the model's params and the bound inputs. */
    private static double[] reference(ModelIr ir, Node node, TrainableModel model, Object[] inputs) {
        ModelSignature signature = model.signature();
        Evaluator.Bindings bindings = new Evaluator.Bindings() {
            @Override
            public Tensor param(String name) {
                ModelSignature.Param param = signature.params().get(signature.paramIndex(name));
                return new Tensor(param.shape().stream().mapToInt(Integer::intValue).toArray(), model.param(name));
            }

            @Override
            public Tensor input(String name) {
                for (int i = 0; i < signature.inputs().size(); i++) {
                    if (signature.inputs().get(i).name().equals(name)) {
                        ModelIr.InputSpec spec = ir.inputs().get(i);
                        return new Tensor(Tensor.dims(spec.shape(), ROWS), PredictTest.doubles(inputs[i]));
                    }
                }
                throw new AssertionError("no input " + name);
            }

            @Override
            public int rows() {
                return ROWS;
            }
        };
        Map<Node, Tensor> values = Evaluator.evaluate(List.of(node), bindings);
        return values.get(node).data();
    }
}
