package dev.modelc;

import dev.modelc.TensorExpr.Apply;
import dev.modelc.TensorExpr.Constant;
import dev.modelc.TensorExpr.Leaf;
import dev.modelc.graph.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;

/**
 * What a {@link TensorExpr} computes, in double, written from NumPy's definitions of
 * broadcasting, matrix products and reductions rather than from the compiler's lowering:
 * the test's own oracle for the value of a loss and for where it is smooth.
 */
final class TensorSemantics {
    private TensorSemantics() {
    }

    /** The value of {@code expr}, each leaf valued by {@code leaves}. */
    static Tensor evaluate(TensorExpr expr, Map<String, Tensor> leaves) {
        if (expr instanceof Leaf leaf) {
            return leaves.get(leaf.name());
        }
        if (expr instanceof Constant c) {
            return new Tensor(new int[0], new double[] {c.value()});
        }
        Apply a = (Apply) expr;
        return apply(a, a.operands().stream().map(o -> evaluate(o, leaves)).toList());
    }

    /** One operation on its operands' values. */
    static Tensor apply(Apply node, List<Tensor> in) {
        Tensor x = in.get(0);
        return switch (node.op().kind()) {
            case ELEMENTWISE, COMPARISON -> elementwise(node.op().formula(), in);
            case MATMUL -> matmul(x, in.get(1));
            case TRANSPOSE -> transpose(x);
            case REDUCTION -> reduce(node.op(), x, node.resolvedAxis());
            case ALONG_AXIS -> softmax(node.op() == TensorOp.LOG_SOFTMAX, x, node.resolvedAxis());
            case MSE -> reduce(TensorOp.MEAN, elementwise(ScalarOp.MSE::apply, in), null);
            case CROSS_ENTROPY -> crossEntropy(x, in.get(1));
        };
    }

    /** {@code op} on each element of one operand, or of two broadcast against each other. */
    static Tensor elementwise(DoubleBinaryOperator op, List<Tensor> in) {
        Tensor a = in.get(0);
        Tensor b = in.size() > 1 ? in.get(1) : a;
        int[] dims = broadcastDims(a.dims(), b.dims());
        double[] out = new double[size(dims)];
        for (int i = 0; i < out.length; i++) {
            int[] index = index(i, dims);
            out[i] = op.applyAsDouble(a.data()[sourceOffset(index, a.dims())],
                    b.data()[sourceOffset(index, b.dims())]);
        }
        return new Tensor(dims, out);
    }

    private static int[] broadcastDims(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            dims[i] = Math.max(da, db);
        }
        return dims;
    }

    /** Where the element at {@code index} of the broadcast result comes from in an operand of {@code dims}. */
    private static int sourceOffset(int[] index, int[] dims) {
        int shift = index.length - dims.length;
        int offset = 0;
        for (int d = 0; d < dims.length; d++) {
            offset = offset * dims[d] + (dims[d] == 1 ? 0 : index[d + shift]);
        }
        return offset;
    }

    /** NumPy's matmul of vectors and matrices: a vector on the left is a row, on the right a column. */
    private static Tensor matmul(Tensor a, Tensor b) {
        int m = a.rank() == 1 ? 1 : a.dims()[0];
        int k = a.dims()[a.rank() - 1];
        int n = b.rank() == 1 ? 1 : b.dims()[1];
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += a.data()[i * k + p] * b.data()[p * n + j];
                }
                out[i * n + j] = sum;
            }
        }
        List<Integer> dims = new ArrayList<>();
        if (a.rank() == 2) {
            dims.add(m);
        }
        if (b.rank() == 2) {
            dims.add(n);
        }
        return new Tensor(dims.stream().mapToInt(Integer::intValue).toArray(), out);
    }

    private static Tensor transpose(Tensor x) {
        int m = x.dims()[0];
        int n = x.dims()[1];
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                out[j * m + i] = x.data()[i * n + j];
            }
        }
        return new Tensor(new int[] {n, m}, out);
    }

    private static Tensor reduce(TensorOp op, Tensor x, Integer axis) {
        int[][] lanes = lanes(x.dims(), axis);
        double[] out = new double[lanes.length];
        for (int o = 0; o < lanes.length; o++) {
            double[] lane = values(x, lanes[o]);
            out[o] = switch (op) {
                case SUM -> sum(lane);
                case MEAN -> sum(lane) / lane.length;
                case MAX -> max(lane);
                case MIN -> -max(java.util.Arrays.stream(lane).map(v -> -v).toArray());
                case ARGMAX -> argmax(lane);
                default -> logsumexp(lane);
            };
        }
        return new Tensor(axis == null ? new int[0] : without(x.dims(), axis), out);
    }

    private static Tensor softmax(boolean log, Tensor x, int axis) {
        double[] out = new double[x.size()];
        for (int[] lane : lanes(x.dims(), axis)) {
            double lse = logsumexp(values(x, lane));
            for (int i : lane) {
                out[i] = log ? x.data()[i] - lse : Math.exp(x.data()[i] - lse);
            }
        }
        return new Tensor(x.dims(), out);
    }

    /** Per row of logits: -log(softmax(row)[label]). */
    private static Tensor crossEntropy(Tensor logits, Tensor labels) {
        int[][] lanes = lanes(logits.dims(), logits.rank() - 1);
        double[] out = new double[lanes.length];
        for (int o = 0; o < lanes.length; o++) {
            int label = (int) labels.data()[o];
            out[o] = logsumexp(values(logits, lanes[o])) - logits.data()[lanes[o][label]];
        }
        return new Tensor(labels.dims(), out);
    }

    /**
     * The flat offsets of the elements each output of a reduction over {@code axis} reads, in
     * the row-major order of the outputs; one lane of everything when {@code axis} is null.
     */
    static int[][] lanes(int[] dims, Integer axis) {
        int size = size(dims);
        if (axis == null) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return new int[][] {all};
        }
        int stride = 1;
        for (int d = axis + 1; d < dims.length; d++) {
            stride *= dims[d];
        }
        int length = dims[axis];
        int[][] lanes = new int[size / length][];
        int next = 0;
        for (int i = 0; i < size; i++) {
            if (index(i, dims)[axis] == 0) {
                int[] lane = new int[length];
                for (int j = 0; j < length; j++) {
                    lane[j] = i + j * stride;
                }
                lanes[next++] = lane;
            }
        }
        return lanes;
    }

    static double[] values(Tensor x, int[] offsets) {
        double[] values = new double[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            values[i] = x.data()[offsets[i]];
        }
        return values;
    }

    private static double sum(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum;
    }

    private static double max(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    /** The index of the first maximum. */
    private static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double logsumexp(double[] values) {
        double max = max(values);
        double sum = 0;
        for (double v : values) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }

    private static int[] without(int[] dims, int axis) {
        int[] rest = new int[dims.length - 1];
        for (int d = 0, k = 0; d < dims.length; d++) {
            if (d != axis) {
                rest[k++] = dims[d];
            }
        }
        return rest;
    }

    static int size(int[] dims) {
        int size = 1;
        for (int d : dims) {
            size *= d;
        }
        return size;
    }

    /** The multi-index of row-major position {@code flat}. */
    private static int[] index(int flat, int[] dims) {
        int[] index = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            index[d] = flat % dims[d];
            flat /= dims[d];
        }
        return index;
    }
}
