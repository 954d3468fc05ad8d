package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.graph.Evaluator;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Tensor;
import dev.modelc.runtime.Rng;
import dev.modelc.runtime.TrainableModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A metric, a stop condition or the loss that equals an unnamed part of another value: the
 * compiler merges the two into one node, computed once into a local of {@code forward()}. What
 * reads it outside that method ({@code metric(i)}, {@code stopRequested()}) must read the named
 * value's own field. "loss = fit + penalty; metric = fit" is the natural case.
 */
class SharedSubexpressionTest {

    @ParameterizedTest
    @ValueSource(strings = {
        // The scalar case as first reported: javac found no `t1` in metric().
        "model C3\nparam w = 1.0\nloss L = exp(w) * 2\nmetric m = exp(w)\n",
        // The same, as the whole-model fuzzer shrank it from a model of its own.
        "model Shrunk\nparam p0 : [3] = 0\nloss L = sum(p0) - 1.0\nmetric m0 = sum(p0)\n",
        // Two metrics, each part of the loss, and a stop condition on one of them.
        "model Parts\nparam a = 0.5\nparam b = -1.5\nloss L = a^2 + sin(b) * 3\nmetric fit = a^2\n"
                + "metric wave = sin(b)\ntrain {\n  stop when sin(b) < -2\n}\n",
        // Ridge regression: the metric is the fit term of the loss, over tensors and a batch.
        "model Ridge\ninput x : [batch, 3]\ninput y : [batch]\nparam w : [3] = 0.25\nparam b = 0.5\n"
                + "pred = x @ w + b\nloss L = mean((pred - y)^2) + 0.01 * sum(w^2)\n"
                + "metric fit = mean((pred - y)^2)\nmetric penalty = sum(w^2)\n",
        // The loss is itself a part of a metric computed before it.
        "model Before\nparam w = 0.3\nmetric m = exp(w) + 1\nloss L = exp(w)\n",
    })
    void metricsAndLossReadTheirOwnValues(String text) throws CompilationFailed {
        ModelCompiler.Result result = TensorModels.compile(text);
        TrainableModel model = result.load().create(0, 8);
        Object[] inputs = TensorModels.randomInputs(model.signature(), 8, new Rng(3));
        model.bind(inputs, 8);
        double loss = model.forward();

        ModelIr ir = result.simplified();
        List<Node> roots = new ArrayList<>();
        ir.values().forEach(v -> roots.add(v.node()));
        Map<Node, Tensor> reference = Evaluator.evaluate(roots, TensorModels.bindings(ir, model, inputs, 8));
        assertEquals(reference.get(ir.loss().node()).data()[0], loss, 1e-12, "the loss");
        for (int i = 0; i < ir.metrics().size(); i++) {
            ModelIr.NamedValue metric = ir.metrics().get(i);
            assertEquals(reference.get(metric.node()).data()[0], model.metric(i), 1e-12, metric.name());
        }
    }
}
