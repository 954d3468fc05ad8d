package dev.modelc.autodiff;

import dev.modelc.graph.Evaluator;
import dev.modelc.graph.Graphs;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Tensor;
import dev.modelc.runtime.Dropout;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Graphs of params and inputs valued by name, run by the reference interpreter in double, and
 * central differences of a scalar function of those values: the oracle of the autodiff tests.
 */
final class Interpreted {
    static final double H = 1e-6;
    /** A training step's key: dropout is differentiated with its masks drawn, as in training. */
    static final long KEY = Dropout.key(7, 3);

    private Interpreted() {
    }

    /** Values of magnitude in [low, high], distinct, in random order, either sign when {@code signed}. */
    static double[] random(Random random, int size, double low, double high, boolean signed) {
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            double magnitude = low + (high - low) * (i + random.nextDouble()) / size;
            values[i] = signed && random.nextBoolean() ? -magnitude : magnitude;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            double t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
        return values;
    }

    /** The central difference of {@code f} in element {@code k} of the value named {@code name}. */
    static double difference(ToDoubleFunction<Map<String, double[]>> f, Map<String, double[]> values, String name,
            int k) {
        double[] x = values.get(name);
        double saved = x[k];
        x[k] = saved + H;
        double up = f.applyAsDouble(values);
        x[k] = saved - H;
        double down = f.applyAsDouble(values);
        x[k] = saved;
        return (up - down) / (2 * H);
    }

    /** sum(g * y), g being the value named "g". */
    static double weighted(Node y, Map<String, double[]> values) {
        double[] ys = evaluate(y, values).data();
        double[] g = values.get("g");
        double sum = 0;
        for (int i = 0; i < ys.length; i++) {
            sum += g[i] * ys[i];
        }
        return sum;
    }

    /** The value of {@code node}, each param and input it reads valued by name (one row), in training. */
    static Tensor evaluate(Node node, Map<String, double[]> values) {
        Map<String, Node> leaves = new java.util.HashMap<>();
        for (Node n : Graphs.topologicalOrder(List.of(node))) {
            if (n.op() == Op.PARAM || n.op() == Op.INPUT) {
                leaves.put(n.name(), n);
            }
        }
        return Evaluator.evaluate(List.of(node), new Evaluator.Bindings() {
            @Override
            public Tensor param(String name) {
                return new Tensor(Tensor.dims(leaves.get(name).shape(), 1), values.get(name));
            }

            @Override
            public Tensor input(String name) {
                return param(name);
            }

            @Override
            public int rows() {
                return 1;
            }

            @Override
            public long dropoutKey() {
                return KEY;
            }
        }).get(node);
    }
}
