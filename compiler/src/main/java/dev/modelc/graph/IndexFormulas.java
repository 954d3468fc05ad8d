package dev.modelc.graph;

import java.util.List;

/** The reference interpreter's formulas for ops that move elements by index: slices, concatenation, gathers. */
final class IndexFormulas {
    private IndexFormulas() {
    }

    static Tensor slice(Node node, List<Tensor> in) {
        Slice slice = (Slice) node.attribute();
        Tensor x = in.get(0);
        int[] dims = x.dims().clone();
        dims[slice.axis()] = slice.to() - slice.from();
        int[] strides = Tensor.strides(x.dims());
        double[] out = new double[Tensor.size(dims)];
        for (int i = 0; i < out.length; i++) {
            int[] index = Tensor.unflatten(i, dims);
            index[slice.axis()] += slice.from();
            out[i] = x.data()[offset(index, strides)];
        }
        return new Tensor(dims, out);
    }

    static Tensor concat(Node node, List<Tensor> in) {
        int axis = node.axes().get(0);
        Tensor a = in.get(0);
        Tensor b = in.get(1);
        int[] dims = a.dims().clone();
        dims[axis] += b.dims()[axis];
        double[] out = new double[Tensor.size(dims)];
        for (int i = 0; i < out.length; i++) {
            int[] index = Tensor.unflatten(i, dims);
            boolean first = index[axis] < a.dims()[axis];
            if (!first) {
                index[axis] -= a.dims()[axis];
            }
            Tensor from = first ? a : b;
            out[i] = from.data()[offset(index, Tensor.strides(from.dims()))];
        }
        return new Tensor(dims, out);
    }

    static Tensor gather(Node node, List<Tensor> in) {
        Tensor table = in.get(0);
        Tensor ids = in.get(1);
        int row = table.size() / table.dims()[0];
        int[] dims = new int[ids.rank() + table.rank() - 1];
        System.arraycopy(ids.dims(), 0, dims, 0, ids.rank());
        System.arraycopy(table.dims(), 1, dims, ids.rank(), table.rank() - 1);
        double[] out = new double[Tensor.size(dims)];
        for (int i = 0; i < ids.size(); i++) {
            System.arraycopy(table.data(), (int) ids.data()[i] * row, out, i * row, row);
        }
        return new Tensor(dims, out);
    }

    static Tensor scatterAdd(Node node, List<Tensor> in, int rows) {
        Tensor rowsIn = in.get(0);
        Tensor ids = in.get(1);
        int[] dims = Tensor.dims(node.shape(), rows);
        int row = Tensor.size(dims) / dims[0];
        double[] out = new double[Tensor.size(dims)];
        for (int i = 0; i < ids.size(); i++) {
            int to = (int) ids.data()[i] * row;
            for (int k = 0; k < row; k++) {
                out[to + k] += rowsIn.data()[i * row + k];
            }
        }
        return new Tensor(dims, out);
    }

    private static int offset(int[] index, int[] strides) {
        int offset = 0;
        for (int d = 0; d < index.length; d++) {
            offset += index[d] * strides[d];
        }
        return offset;
    }
}
