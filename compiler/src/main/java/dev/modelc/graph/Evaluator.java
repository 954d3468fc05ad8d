package dev.modelc.graph;

import dev.modelc.runtime.Dropout;
import dev.modelc.runtime.Kernels;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The reference interpreter of the IR, in double: one plain formula per op, written for
 * clarity, not speed. Constant folding uses its scalar formulas, and tests use it as a
 * second oracle beside the generated code.
 */
public final class Evaluator {
    /** One elementwise op's value from its inputs' values. */
    @FunctionalInterface
    public interface Formula {
        double apply(double[] in);
    }

    /** One structural op (view, reduction, matmul) over whole tensors. */
    @FunctionalInterface
    interface TensorFormula {
        Tensor apply(Node node, List<Tensor> in, int rows);
    }

    private static final Map<Op, Formula> FORMULAS = new EnumMap<>(Op.class);
    private static final Map<Op, TensorFormula> STRUCTURAL = new EnumMap<>(Op.class);

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
        FORMULAS.put(Op.LOG1P, in -> Math.log1p(in[0]));
        FORMULAS.put(Op.EXPM1, in -> Math.expm1(in[0]));
        FORMULAS.put(Op.ERF, in -> Kernels.erf(in[0]));
        FORMULAS.put(Op.STOP_GRADIENT, in -> in[0]);
        FORMULAS.put(Op.WHERE, in -> in[0] != 0 ? in[1] : in[2]);
        // Its value with no mask, as in prediction; in training, value() draws the masks.
        FORMULAS.put(Op.DROPOUT, in -> in[0]);
        // Training's choice, which gradients see; value() chooses by the bindings' key.
        FORMULAS.put(Op.TRAINING, in -> in[0]);
        FORMULAS.put(Op.SIGN, in -> Math.signum(in[0]));
        FORMULAS.put(Op.STEP, in -> in[0] > 0 ? 1.0 : 0.0);
        FORMULAS.put(Op.LT, in -> in[0] < in[1] ? 1.0 : 0.0);
        FORMULAS.put(Op.LE, in -> in[0] <= in[1] ? 1.0 : 0.0);
        FORMULAS.put(Op.GT, in -> in[0] > in[1] ? 1.0 : 0.0);
        FORMULAS.put(Op.GE, in -> in[0] >= in[1] ? 1.0 : 0.0);
        FORMULAS.put(Op.EQ, in -> in[0] == in[1] ? 1.0 : 0.0);
        FORMULAS.put(Op.NE, in -> in[0] != in[1] ? 1.0 : 0.0);
        STRUCTURAL.put(Op.EXPAND, TensorFormulas::expand);
        STRUCTURAL.put(Op.RESHAPE, (n, in, rows) -> TensorFormulas.reshape(n, in));
        STRUCTURAL.put(Op.TRANSPOSE, (n, in, rows) -> TensorFormulas.transpose(n, in));
        STRUCTURAL.put(Op.ONEHOT, (n, in, rows) -> TensorFormulas.onehot(n, in));
        STRUCTURAL.put(Op.SLICE, (n, in, rows) -> IndexFormulas.slice(n, in));
        STRUCTURAL.put(Op.CONCAT, (n, in, rows) -> IndexFormulas.concat(n, in));
        STRUCTURAL.put(Op.GATHER, (n, in, rows) -> IndexFormulas.gather(n, in));
        STRUCTURAL.put(Op.SCATTER_ADD, IndexFormulas::scatterAdd);
        STRUCTURAL.put(Op.SUM, (n, in, rows) -> TensorFormulas.reduce(n, in.get(0), Double.NaN));
        STRUCTURAL.put(Op.MAX, (n, in, rows) -> TensorFormulas.reduce(n, in.get(0), Double.NEGATIVE_INFINITY));
        STRUCTURAL.put(Op.LOGSUMEXP, (n, in, rows) -> TensorFormulas.logsumexp(n, in));
        STRUCTURAL.put(Op.ARGMAX, (n, in, rows) -> TensorFormulas.argmax(n, in));
        STRUCTURAL.put(Op.FIRST_MAX, (n, in, rows) -> TensorFormulas.firstMax(n, in.get(0)));
        STRUCTURAL.put(Op.MAX_POOL2D, (n, in, rows) -> ConvFormulas.maxPool2d(n, in.get(0)));
        STRUCTURAL.put(Op.MAX_POOL2D_GRAD, (n, in, rows) -> ConvFormulas.maxPool2dGradient(n, in.get(0), in.get(1)));
        STRUCTURAL.put(Op.MATMUL, (n, in, rows) -> TensorFormulas.matmul(n, in));
        STRUCTURAL.put(Op.CONV2D, (n, in, rows) -> ConvFormulas.conv2d(n, in));
        STRUCTURAL.put(Op.CONV2D_INPUT, ConvFormulas::input);
        STRUCTURAL.put(Op.CONV2D_KERNEL, ConvFormulas::kernel);
    }

    private Evaluator() {
    }

    /** Ops with a formula; a test checks it is every non-leaf op. */
    public static java.util.Set<Op> covered() {
        java.util.Set<Op> ops = java.util.EnumSet.noneOf(Op.class);
        ops.addAll(FORMULAS.keySet());
        ops.addAll(STRUCTURAL.keySet());
        return ops;
    }

    /** Applies one elementwise op to scalar input values. */
    public static double apply(Op op, double... inputs) {
        return FORMULAS.get(op).apply(inputs);
    }

    /**
     * Where leaves get their values: params and inputs by name, and the batch's row count; and
     * the key dropout draws its masks from ({@link Dropout#OFF} unless training, which also
     * chooses batch statistics over running ones).
     */
    public interface Bindings {
        Tensor param(String name);

        Tensor input(String name);

        int rows();

        default long dropoutKey() {
            return Dropout.OFF;
        }
    }

    /** Evaluates scalar-only graphs, params valued by {@code params}. */
    public static Map<Node, Double> evaluate(List<Node> roots, Function<String, Double> params) {
        Map<Node, Tensor> values = evaluate(roots, new Bindings() {
            @Override
            public Tensor param(String name) {
                return Tensor.scalar(params.apply(name));
            }

            @Override
            public Tensor input(String name) {
                throw new IllegalArgumentException("no input " + name);
            }

            @Override
            public int rows() {
                return 1;
            }
        });
        Map<Node, Double> scalars = new HashMap<>();
        values.forEach((node, tensor) -> scalars.put(node, tensor.data()[0]));
        return scalars;
    }

    /** Evaluates every node the roots reach. */
    public static Map<Node, Tensor> evaluate(List<Node> roots, Bindings bindings) {
        Map<Node, Tensor> values = new HashMap<>();
        for (Node node : Graphs.topologicalOrder(roots)) {
            values.put(node, value(node, values, bindings));
        }
        return values;
    }

    private static Tensor value(Node node, Map<Node, Tensor> values, Bindings bindings) {
        switch (node.op()) {
            case CONST:
                return Tensor.scalar(node.constantValue());
            case PARAM:
                return bindings.param(node.name());
            case INPUT:
                return bindings.input(node.name());
            case BATCH_SIZE:
                return Tensor.scalar(bindings.rows());
            default:
                break;
        }
        List<Tensor> in = node.inputs().stream().map(values::get).toList();
        if (node.op() == Op.TRAINING) {
            return bindings.dropoutKey() != Dropout.OFF ? in.get(0) : in.get(1);
        }
        if (node.op() == Op.DROPOUT) {
            return dropout((DropoutSite) node.attribute(), in.get(0), bindings.dropoutKey());
        }
        TensorFormula structural = STRUCTURAL.get(node.op());
        if (structural != null) {
            return structural.apply(node, in, bindings.rows());
        }
        return TensorFormulas.elementwise(FORMULAS.get(node.op()), in);
    }

    /** Each element times its mask, drawn by its position in the row-major order of the batch. */
    private static Tensor dropout(DropoutSite site, Tensor x, long key) {
        if (key == Dropout.OFF) {
            return x;
        }
        double[] out = x.data().clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= Dropout.mask(key, site.site(), i, site.rate());
        }
        return new Tensor(x.dims(), out);
    }
}
