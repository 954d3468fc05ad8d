package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.codegen.Dtype;
import dev.modelc.codegen.ModelClassGenerator;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.graph.ModelIr;
import dev.modelc.plan.MemoryBudget;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Rng;
import dev.modelc.runtime.TrainableModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Shared arrays and recomputation change where values live, never what they are: for every
 * sample and every test model, the planned code, the code that recomputes every definition, and
 * the code squeezed under a memory budget train bit for bit like the code with one array per
 * value, on random inputs; and no matrix product writes an array it reads.
 */
class BufferPlanningTest {
    private static final int CAPACITY = 5;
    private static final int[] ROWS = {5, 3, 5};

    /** Models that read values through views, name one value twice, and reduce in every way. */
    private static final Map<String, String> EXTRA = Map.of(
            "views and aliases", "model M\ninput x : [batch, 4]\nparam W : [4, 4] = normal(0, 1)\n"
                    + "s = x @ W\nt = tanh(s) * s\nu = t @ transpose(W)\nv = u\n"
                    + "loss L = mean(u * v) + sum(transpose(W) @ W) + mean(t)\n",
            "deep tanh", "model M\ninput x : [batch, 3]\ninput y : int[batch]\n"
                    + "param A : [3, 6] = normal(0, 1)\nparam B : [6, 6] = normal(0, 0.5)\n"
                    + "param C : [6, 3] = normal(0, 0.5)\nh1 = tanh(x @ A)\nh2 = tanh(h1 @ B)\nh3 = sigmoid(h2 @ B)\n"
                    + "logits = h3 @ C\nloss L = mean(softmax_cross_entropy(logits, y))\n"
                    + "metric accuracy = mean(argmax(logits, axis = 1) == y)\n");

    @TestFactory
    Stream<DynamicTest> planningAndRecomputingTrainBitForBitLikeOneArrayPerValue() {
        return models().entrySet().stream().map(model -> DynamicTest.dynamicTest(model.getKey(), () -> {
            String text = model.getValue();
            ModelCompiler.Options unplanned = ModelCompiler.Options.DEFAULT.withPlanBuffers(false).withRecompute(false);
            List<long[]> expected = run(compile(text, unplanned));
            assertSameBits(expected, run(compile(text, ModelCompiler.Options.DEFAULT)), "planned");
            String recomputing = withEveryDefinitionRecomputed(text);
            if (!recomputing.equals(text)) {
                assertSameBits(expected, run(compile(recomputing, ModelCompiler.Options.DEFAULT)),
                        "recomputing every definition");
            }
            ModelCompiler.Result squeezed = squeezed(text);
            if (squeezed != null) {
                assertSameBits(expected, run(squeezed), "under a memory budget");
            } else {
                System.out.println("BufferPlanningTest: no budget below the planned arrays of `" + model.getKey()
                        + "` can be met by recomputing, so it is not trained under one");
            }
        }));
    }

    /**
     * The comparison under a memory budget applies only where recomputing saves memory: it must
     * apply to every model where recomputing every definition saves some, and to a quarter at least.
     */
    @Test
    void everyModelThatRecomputingShrinksIsAlsoTrainedUnderAMemoryBudget() {
        List<String> squeezable = new ArrayList<>();
        for (Map.Entry<String, String> model : models().entrySet()) {
            String text = model.getValue();
            if (squeezed(text) != null) {
                squeezable.add(model.getKey());
                continue;
            }
            String recomputing = withEveryDefinitionRecomputed(text);
            long planned = bytes(compile(text, ModelCompiler.Options.DEFAULT));
            long leanest = bytes(compile(recomputing, ModelCompiler.Options.DEFAULT));
            assertTrue(leanest >= planned, model.getKey() + ": recomputing every definition needs " + leanest
                    + " bytes, fewer than " + planned + ", yet no budget below " + planned + " was met");
        }
        assertTrue(squeezable.size() * 4 >= models().size(), "trained under a memory budget: only " + squeezable
                + " of " + models().keySet());
    }

    /** The bytes of the planned arrays, for as many rows as the compiler plans a budget for. */
    private static long bytes(ModelCompiler.Result result) {
        int rows = ModelClassGenerator.defaultCapacity(result.simplified());
        return new MemoryBudget(Long.MAX_VALUE, rows, Dtype.F64.bytes()).cost(result.plan());
    }

    @TestFactory
    Stream<DynamicTest> noMatrixProductWritesAnArrayItReads() {
        return models().entrySet().stream().map(model -> DynamicTest.dynamicTest(model.getKey(), () -> {
            for (String text : List.of(model.getValue(), withEveryDefinitionRecomputed(model.getValue()))) {
                String source = compile(text, ModelCompiler.Options.DEFAULT).javaSource();
                Map<String, String> arrays = sharedArrays(source);
                Matcher product = Pattern.compile("Matmul\\.multiply\\((\\w+), \\w+, (\\w+), \\w+, (\\w+),")
                        .matcher(source);
                while (product.find()) {
                    String out = arrayOf(arrays, product.group(3));
                    assertNotEquals(arrayOf(arrays, product.group(1)), out, product.group());
                    assertNotEquals(arrayOf(arrays, product.group(2)), out, product.group());
                }
            }
        }));
    }

    static Map<String, String> models() {
        Map<String, String> models = new LinkedHashMap<>();
        for (Sample sample : Sample.all()) {
            models.put(sample.name(), sample.source().text());
        }
        TensorGradientTest.models().forEach(a -> models.put((String) a.get()[0], (String) a.get()[1]));
        models.putAll(new java.util.TreeMap<>(EXTRA));
        return models;
    }

    /** The model with {@code recompute} naming every plain definition, or unchanged if it has none. */
    static String withEveryDefinitionRecomputed(String text) {
        ModelIr model = compile(text, ModelCompiler.Options.DEFAULT).simplified();
        String names = model.values().stream().filter(v -> v.kind() == ModelIr.NamedValue.Kind.VALUE)
                .map(ModelIr.NamedValue::name).collect(Collectors.joining(", "));
        return names.isEmpty() ? text : text + "\nrecompute " + names + "\n";
    }

    /**
     * The model under a budget one byte below its planned arrays, if recomputing can meet it; else
     * null. The budget counts the rows the compiler plans for, not the few the test binds.
     */
    private static ModelCompiler.Result squeezed(String text) {
        long bytes = bytes(compile(text, ModelCompiler.Options.DEFAULT));
        if (bytes <= 1) {
            return null;
        }
        try {
            ModelCompiler.Result result = ModelCompiler.compile(new SourceFile("test.model", text),
                    ModelCompiler.Options.DEFAULT.withMemoryBudget(bytes - 1));
            assertFalse(result.plan().recomputed().isEmpty(), "a smaller budget is met by recomputing");
            return result;
        } catch (CompilationFailed e) {
            assertTrue(e.diagnostics().render().contains("more than the memory budget"), e.diagnostics().render());
            return null;
        }
    }

    static ModelCompiler.Result compile(String text, ModelCompiler.Options options) {
        try {
            return ModelCompiler.compile(new SourceFile("test.model", text), options);
        } catch (CompilationFailed e) {
            throw new AssertionError(e.diagnostics().render(), e);
        }
    }

    /**
     * Three training steps on seeded random batches of different sizes; after each, the bits of
     * the loss, the metrics, every gradient and every parameter, in that order.
     */
    private static List<long[]> run(ModelCompiler.Result result) throws CompilationFailed {
        TrainableModel model = result.load().create(3, CAPACITY);
        ModelSignature signature = model.signature();
        Rng rng = new Rng(17);
        List<long[]> steps = new ArrayList<>();
        for (int rows : ROWS) {
            if (!signature.inputs().isEmpty()) {
                model.bind(TensorModels.randomInputs(signature, rows, rng), rows);
            }
            List<Double> values = new ArrayList<>();
            values.add(model.forward());
            for (int m = 0; m < signature.metrics().size(); m++) {
                values.add(model.metric(m));
            }
            model.backward();
            for (int p = 0; p < signature.params().size(); p++) {
                for (int i = 0; i < signature.params().get(p).size(); i++) {
                    values.add(model.gradient(p, i));
                }
            }
            model.step();
            for (int p = 0; p < signature.params().size(); p++) {
                for (int i = 0; i < signature.params().get(p).size(); i++) {
                    values.add(model.param(p, i));
                }
            }
            steps.add(values.stream().mapToLong(Double::doubleToRawLongBits).toArray());
        }
        return steps;
    }

    private static void assertSameBits(List<long[]> expected, List<long[]> actual, String variant) {
        assertEquals(expected.size(), actual.size());
        for (int s = 0; s < expected.size(); s++) {
            assertEquals(expected.get(s).length, actual.get(s).length, variant);
            for (int i = 0; i < expected.get(s).length; i++) {
                assertEquals(expected.get(s)[i], actual.get(s)[i], variant + ": step " + (s + 1) + ", value " + i
                        + ": " + Double.longBitsToDouble(expected.get(s)[i]) + " vs "
                        + Double.longBitsToDouble(actual.get(s)[i]));
            }
        }
    }

    /** The constructor's {@code a = b;} lines: which variable uses which other one's array. */
    private static Map<String, String> sharedArrays(String source) {
        String constructor = source.substring(source.indexOf("int batchCapacity) {"),
                source.indexOf("initialize(seed);\n    }"));
        Map<String, String> arrays = new HashMap<>();
        Matcher alias = Pattern.compile("\\n\\s+(\\w+) = (\\w+);").matcher(constructor);
        while (alias.find()) {
            arrays.put(alias.group(1), alias.group(2));
        }
        return arrays;
    }

    private static String arrayOf(Map<String, String> arrays, String variable) {
        String array = variable;
        while (arrays.containsKey(array)) {
            array = arrays.get(array);
        }
        return array;
    }
}
