package dev.modelc.graph;

import dev.modelc.runtime.Kernels;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The reference interpreter of the IR, in double: one plain formula per op. Constant folding
 * uses it, and tests use it as a second oracle beside the generated code.
 */
public final class Evaluator {
    /** One op's value from its inputs' values. */
    @FunctionalInterface
    public interface Formula {
        double apply(double[] in);
    }

    private static final Map<Op, Formula> FORMULAS = new EnumMap<>(Op.class);

    static {
        FORMULAS.put(Op.ADD, in -> in[0] + in[1]);
        FORMULAS.put(Op.MUL, in -> in[0] * in[1]);
        FORMULAS.put(Op.NEG, in -> -in[0]);
        FORMULAS.put(Op.RECIP, in -> 1.0 / in[0]);
        FORMULAS.put(Op.POW, in -> Math.pow(in[0], in[1]));
        FORMULAS.put(Op.EXP, in -> Math.exp(in[0]));
        FORMULAS.put(Op.LOG, in -> Math.log(in[0]));
        FORMULAS.put(Op.SQRT, in -> Math.sqrt(in[0]));
        FORMULAS.put(Op.ABS, in -> Math.abs(in[0]));
        FORMULAS.put(Op.TANH, in -> Math.tanh(in[0]));
        FORMULAS.put(Op.SIGMOID, in -> Kernels.sigmoid(in[0]));
        FORMULAS.put(Op.SOFTPLUS, in -> Kernels.softplus(in[0]));
        FORMULAS.put(Op.RELU, in -> Math.max(in[0], 0.0));
        FORMULAS.put(Op.SIN, in -> Math.sin(in[0]));
        FORMULAS.put(Op.COS, in -> Math.cos(in[0]));
        FORMULAS.put(Op.SIGN, in -> Math.signum(in[0]));
        FORMULAS.put(Op.STEP, in -> in[0] > 0 ? 1.0 : 0.0);
        FORMULAS.put(Op.LT, in -> in[0] < in[1] ? 1.0 : 0.0);
        FORMULAS.put(Op.LE, in -> in[0] <= in[1] ? 1.0 : 0.0);
        FORMULAS.put(Op.GT, in -> in[0] > in[1] ? 1.0 : 0.0);
        FORMULAS.put(Op.GE, in -> in[0] >= in[1] ? 1.0 : 0.0);
        FORMULAS.put(Op.EQ, in -> in[0] == in[1] ? 1.0 : 0.0);
        FORMULAS.put(Op.NE, in -> in[0] != in[1] ? 1.0 : 0.0);
    }

    private Evaluator() {
    }

    /** Ops with a formula; a test checks it is every non-leaf op. */
    public static java.util.Set<Op> covered() {
        return FORMULAS.keySet();
    }

    /** Applies one op to input values. */
    public static double apply(Op op, double... inputs) {
        return FORMULAS.get(op).apply(inputs);
    }

    /** Evaluates the roots with parameters valued by {@code params}; returns every node's value. */
    public static Map<Node, Double> evaluate(List<Node> roots, Function<String, Double> params) {
        Map<Node, Double> values = new HashMap<>();
        for (Node node : Graphs.topologicalOrder(roots)) {
            double value = switch (node.op()) {
                case CONST -> node.constantValue();
                case PARAM -> params.apply(node.name());
                default -> {
                    double[] in = new double[node.inputs().size()];
                    for (int i = 0; i < in.length; i++) {
                        in[i] = values.get(node.input(i));
                    }
                    yield apply(node.op(), in);
                }
            };
            values.put(node, value);
        }
        return values;
    }
}
