package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelc.codegen.Dtype;
import dev.modelc.plan.Costs;
import dev.modelc.plan.Memory;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Predictor;
import dev.modelc.runtime.Rng;
import dev.modelc.runtime.TrainableModel;
import java.lang.reflect.Field;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The memory figures are what the generated class really allocates: the arrays its fields
 * hold, each counted once however many fields share it, at two batch capacities, with and
 * without buffer planning, in f64 and f32; and those of a predictor are what each thread's
 * model holds: the snapshot's params and arrays for a pass.
 */
class AllocatedMemoryTest {
    private static final int[] CAPACITIES = {1, 37};
    private static final Map<Class<?>, Integer> ELEMENT_BYTES = Map.of(
            double[].class, Double.BYTES, float[].class, Float.BYTES, int[].class, Integer.BYTES);

    @TestFactory
    Stream<DynamicTest> theFiguresCountEveryArrayOnce() {
        return BufferPlanningTest.models().entrySet().stream().flatMap(model -> Stream.of(Dtype.values())
                .flatMap(dtype -> Stream.of(true, false).map(planned -> DynamicTest.dynamicTest(
                        model.getKey() + " " + dtype.label() + (planned ? " planned" : " unplanned"), () -> {
                            ModelCompiler.Options options = new ModelCompiler.Options("", dtype)
                                    .withPlanBuffers(planned);
                            String text = planned ? BufferPlanningTest.withEveryDefinitionRecomputed(model.getValue())
                                    : model.getValue();
                            ModelCompiler.Result result = BufferPlanningTest.compile(text, options);
                            Memory memory = Memory.of(result.plan(), dtype.bytes());
                            ModelCompiler.LoadedModel loaded = result.load();
                            for (int capacity : CAPACITIES) {
                                Object instance = loaded.create(1, capacity);
                                assertEquals(memory.totalPlanned().at(capacity) - scalarParamBytes(loaded, dtype),
                                        allocatedBytes(instance), "at capacity " + capacity);
                            }
                        }))));
    }

    @TestFactory
    Stream<DynamicTest> thePredictorFiguresCountWhatEachThreadHolds() {
        return BufferPlanningTest.models().entrySet().stream().flatMap(model -> Stream.of(Dtype.values())
                .map(dtype -> DynamicTest.dynamicTest(model.getKey() + " " + dtype.label(), () -> {
                    ModelCompiler.Result result = BufferPlanningTest.compile(model.getValue(),
                            new ModelCompiler.Options("", dtype));
                    if (result.plan().model().outputs().isEmpty()) {
                        return;
                    }
                    ModelCompiler.LoadedModel loaded = result.load();
                    Costs.Linear params = Costs.paramBytes(result.plan().model(), dtype.bytes());
                    Costs.Linear perThread = Costs.predictorBytes(result.plan(), dtype.bytes());
                    long scalars = loaded.signature().params().stream().filter(p -> p.shape().isEmpty()).count();
                    for (int capacity : CAPACITIES) {
                        Object threadModel = predictorModel(loaded.create(1, 4), capacity, dtype);
                        assertEquals(params.plus(perThread).at(capacity) - scalars * dtype.bytes(),
                                allocatedBytes(threadModel), "at " + capacity + " rows per pass");
                    }
                })));
    }

    /** The model a predictor of {@code rowsPerPass} rows made for this thread on its first call. */
    private static Object predictorModel(TrainableModel model, int rowsPerPass, Dtype dtype) throws Exception {
        Predictor predictor = (Predictor) model.getClass().getMethod("predictor", int.class)
                .invoke(model, rowsPerPass);
        int rows = rowsPerPass + 1;
        predictor.predict(PredictTest.randomInputs(model.signature().predictInputs(), rows, new Rng(5), dtype),
                rows, PredictTest.outputs(model.signature(), rows, dtype));
        Field models = predictor.getClass().getDeclaredField("models");
        models.setAccessible(true);
        return ((ThreadLocal<?>) models.get(predictor)).get();
    }

    /**
     * A scalar param, its gradient and its optimizer state are fields of their own, not arrays;
     * the figures count them, the arrays do not.
     */
    private static long scalarParamBytes(ModelCompiler.LoadedModel loaded, Dtype dtype) {
        ModelSignature signature = loaded.signature();
        long scalars = signature.params().stream().filter(p -> p.shape().isEmpty()).count();
        int states = loaded.create(1, 1).stateNames().size() / Math.max(1, signature.params().size());
        return scalars * (2 + states) * dtype.bytes();
    }

    /** The bytes of the distinct arrays the object's fields point at; unbound inputs are null. */
    private static long allocatedBytes(Object instance) throws IllegalAccessException {
        Set<Object> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
        long bytes = 0;
        for (Field field : instance.getClass().getDeclaredFields()) {
            if (!field.getType().isArray() || java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            field.setAccessible(true);
            Object array = field.get(instance);
            if (array != null && arrays.add(array)) {
                bytes += (long) java.lang.reflect.Array.getLength(array) * ELEMENT_BYTES.get(field.getType());
            }
        }
        return bytes;
    }
}
