package dev.modelc.graph;

import java.util.Arrays;
import java.util.List;

/** The reference interpreter's formulas for ops over whole tensors. */
final class TensorFormulas {
    private TensorFormulas() {
    }

    static Tensor elementwise(Evaluator.Formula formula, List<Tensor> in) {
        int[] dims = new int[0];
        for (Tensor t : in) {
            if (t.rank() > 0) {
                dims = t.dims();
            }
        }
        int size = Tensor.size(dims);
        double[] out = new double[size];
        double[] args = new double[in.size()];
        for (int i = 0; i < size; i++) {
            for (int k = 0; k < args.length; k++) {
                Tensor t = in.get(k);
                args[k] = t.rank() == 0 ? t.data()[0] : t.data()[i];
            }
            out[i] = formula.apply(args);
        }
        return new Tensor(dims, out);
    }

    static Tensor expand(Node node, List<Tensor> in, int rows) {
        Tensor x = in.get(0);
        int[] dims = Tensor.dims(node.shape(), rows);
        double[] out = new double[Tensor.size(dims)];
        int[] fromStrides = Tensor.strides(x.dims());
        for (int i = 0; i < out.length; i++) {
            if (x.rank() == 0) {
                out[i] = x.data()[0];
                continue;
            }
            int[] index = Tensor.unflatten(i, dims);
            int from = 0;
            for (int d = 0; d < index.length; d++) {
                from += x.dims()[d] == 1 ? 0 : index[d] * fromStrides[d];
            }
            out[i] = x.data()[from];
        }
        return new Tensor(dims, out);
    }

    static Tensor reshape(Node node, List<Tensor> in) {
        Tensor x = in.get(0);
        int rows = node.shape().hasBatch() ? (int) (x.size() / node.shape().sizeWithoutBatch()) : 1;
        return new Tensor(Tensor.dims(node.shape(), rows), x.data());
    }

    static Tensor transpose(Node node, List<Tensor> in) {
        Tensor x = in.get(0);
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

    static Tensor onehot(Node node, List<Tensor> in) {
        Tensor labels = in.get(0);
        int classes = node.classes();
        int[] dims = Arrays.copyOf(labels.dims(), labels.rank() + 1);
        dims[labels.rank()] = classes;
        double[] out = new double[labels.size() * classes];
        for (int i = 0; i < labels.size(); i++) {
            int label = (int) labels.data()[i];
            if (label >= 0 && label < classes) {
                out[i * classes + label] = 1.0;
            }
        }
        return new Tensor(dims, out);
    }

    /** Sum (when {@code start} is NaN) or max over the node's axes. */
    static Tensor reduce(Node node, Tensor x, double start) {
        boolean sum = Double.isNaN(start);
        List<Integer> axes = node.axes();
        int[] outDims = removeAxes(x.dims(), axes);
        double[] out = new double[Tensor.size(outDims)];
        Arrays.fill(out, sum ? 0.0 : start);
        for (int i = 0; i < x.size(); i++) {
            int o = outIndex(Tensor.unflatten(i, x.dims()), axes, outDims);
            out[o] = sum ? out[o] + x.data()[i] : Math.max(out[o], x.data()[i]);
        }
        return new Tensor(outDims, out);
    }

    static Tensor logsumexp(Node node, List<Tensor> in) {
        Tensor x = in.get(0);
        Tensor max = reduce(node, x, Double.NEGATIVE_INFINITY);
        List<Integer> axes = node.axes();
        double[] sums = new double[max.size()];
        for (int i = 0; i < x.size(); i++) {
            int o = outIndex(Tensor.unflatten(i, x.dims()), axes, max.dims());
            sums[o] += Math.exp(x.data()[i] - max.data()[o]);
        }
        double[] out = new double[sums.length];
        for (int o = 0; o < out.length; o++) {
            out[o] = max.data()[o] + Math.log(sums[o]);
        }
        return new Tensor(max.dims(), out);
    }

    static Tensor argmax(Node node, List<Tensor> in) {
        Tensor x = in.get(0);
        Tensor max = reduce(node, x, Double.NEGATIVE_INFINITY);
        int axis = node.axes().get(0);
        double[] out = new double[max.size()];
        boolean[] found = new boolean[max.size()];
        for (int i = 0; i < x.size(); i++) {
            int[] index = Tensor.unflatten(i, x.dims());
            int o = outIndex(index, node.axes(), max.dims());
            if (!found[o] && x.data()[i] == max.data()[o]) {
                found[o] = true;
                out[o] = index[axis];
            }
        }
        return new Tensor(max.dims(), out);
    }

    /**
     * 1 at the first element of each group that no later one exceeds, 0 elsewhere: elements are
     * met in row-major order, so within a group in row-major order over the axes.
     */
    static Tensor firstMax(Node node, Tensor x) {
        int[] outDims = removeAxes(x.dims(), node.axes());
        int[] at = new int[Tensor.size(outDims)];
        double[] best = new double[at.length];
        Arrays.fill(at, -1);
        for (int i = 0; i < x.size(); i++) {
            int o = outIndex(Tensor.unflatten(i, x.dims()), node.axes(), outDims);
            if (at[o] < 0 || x.data()[i] > best[o]) {
                at[o] = i;
                best[o] = x.data()[i];
            }
        }
        double[] out = new double[x.size()];
        for (int i : at) {
            out[i] = 1;
        }
        return new Tensor(x.dims(), out);
    }

    static Tensor matmul(Node node, List<Tensor> in) {
        Tensor a = in.get(0);
        Tensor b = in.get(1);
        int m = a.dims()[0];
        int k = a.dims()[1];
        int n = b.dims()[1];
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
        return new Tensor(new int[] {m, n}, out);
    }

    private static int[] removeAxes(int[] dims, List<Integer> axes) {
        int[] out = new int[dims.length - axes.size()];
        int k = 0;
        for (int d = 0; d < dims.length; d++) {
            if (!axes.contains(d)) {
                out[k++] = dims[d];
            }
        }
        return out;
    }

    private static int outIndex(int[] index, List<Integer> axes, int[] outDims) {
        int o = 0;
        int k = 0;
        for (int d = 0; d < index.length; d++) {
            if (!axes.contains(d)) {
                o = o * outDims[k++] + index[d];
            }
        }
        return o;
    }
}
