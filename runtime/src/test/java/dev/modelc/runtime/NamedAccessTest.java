package dev.modelc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Params, gradients and metrics by name, over the index accessors every model has; and the signature's outputs. */
class NamedAccessTest {

    @Test
    void paramsAreCopiedOutAndInByName() {
        TrainableModel model = new LinearRegressionModel(3, 4, 0.1);
        assertEquals(1, model.paramIndex("b"));
        model.setParam("w", new double[] {1, 2, 3});
        model.setParam("b", new double[] {-0.5});
        assertArrayEquals(new double[] {1, 2, 3}, model.param("w"));
        assertEquals(2.0, model.param(0, 1));
        assertArrayEquals(new double[] {-0.5}, model.param("b"));
        double[] copy = model.param("w");
        copy[0] = 99;
        assertEquals(1.0, model.param(0, 0), "a copy, not the model's array");
    }

    @Test
    void gradientsAndMetricsAreReadByName() {
        TrainableModel model = new LinearRegressionModel(1, 2, 0.1);
        model.setParam("w", new double[] {2});
        model.bind(new Object[] {new double[] {1, 2}, new double[] {1, 1}}, 2);
        model.forward();
        model.backward();
        assertArrayEquals(new double[] {model.gradient(0, 0)}, model.gradient("w"));
        assertEquals(model.metric(0), model.metric("mae"));
        assertEquals(2.0, model.metric("mae"), 1e-12);
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        TrainableModel model = new LinearRegressionModel(3, 4, 0.1);
        IllegalArgumentException param = assertThrows(IllegalArgumentException.class, () -> model.param("W"));
        assertEquals("model Linear has no param `W`; its params are [w, b]", param.getMessage());
        IllegalArgumentException metric = assertThrows(IllegalArgumentException.class, () -> model.metric("acc"));
        assertEquals("model Linear has no metric `acc`; its metrics are [mae]", metric.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> model.setParam("w", new double[2]));
        assertEquals("param w has 3 elements, got 2", size.getMessage());
    }

    @Test
    void aModelWithoutOutputsCannotPredictAndSaysHowToDeclareOne() {
        TrainableModel model = new LinearRegressionModel(3, 4, 0.1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> model.predict(new Object[0], 1, new Object[0]));
        assertTrue(e.getMessage().startsWith("model Linear (linear.model) declares no output"), e.getMessage());
        assertTrue(e.getMessage().contains("`output probs = softmax(logits)`"), e.getMessage());
        assertThrows(IllegalStateException.class, model::predictor);
    }

    @Test
    void predictTakesTheInputsSomeOutputReads() {
        List<ModelSignature.Input> inputs = List.of(
                new ModelSignature.Input("x", List.of(ModelSignature.BATCH, 2), false, 0),
                new ModelSignature.Input("y", List.of(ModelSignature.BATCH), true, 3),
                new ModelSignature.Input("t", List.of(), false, 0));
        List<ModelSignature.Output> outputs = List.of(
                new ModelSignature.Output("p", List.of(ModelSignature.BATCH, 3), false, List.of("x")),
                new ModelSignature.Output("s", List.of(), false, List.of("t", "x")));
        ModelSignature signature = new ModelSignature("M", "m.model", "f64", List.of(), inputs, "L", List.of(),
                outputs, null, null);
        assertEquals(List.of("x", "t"), signature.predictInputs().stream().map(ModelSignature.Input::name).toList());
        assertTrue(outputs.get(0).perRow());
        assertEquals(3, outputs.get(0).rowSize());
        assertEquals(List.of(), new ModelSignature("M", "m.model", "f64", List.of(), inputs, "L", List.of(), null,
                null).outputs());
        assertThrows(IllegalArgumentException.class, () -> new ModelSignature("M", "m.model", "f64", List.of(),
                inputs, "L", List.of(), List.of(new ModelSignature.Output("q", List.of(), false, List.of("z"))),
                null, null));
    }
}
