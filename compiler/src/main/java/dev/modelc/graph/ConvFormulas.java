package dev.modelc.graph;

import java.util.List;

/**
 * The reference interpreter's convolutions, as the definition reads: for every row n, filter
 * f, output pixel (i, j), channel c and kernel element (u, v) that lands inside x, at
 * {@code (h, w) = (i * stride - padding + u, j * stride - padding + v)}, the product
 * {@code x[n, c, h, w] * k[f, c, u, v]} adds to {@code y[n, f, i, j]}. The two adjoints visit
 * the same terms and add to x's or the kernel's element instead.
 */
final class ConvFormulas {
    private ConvFormulas() {
    }

    /** One term of the sum, by the flat positions of its x, kernel and y elements. */
    @FunctionalInterface
    private interface Term {
        void add(int x, int kernel, int y);
    }

    static Tensor conv2d(Node node, List<Tensor> in) {
        Tensor x = in.get(0);
        Tensor k = in.get(1);
        int[] dims = outDims(x.dims(), k.dims(), (Window) node.attribute());
        double[] y = new double[Tensor.size(dims)];
        visit(x.dims(), k.dims(), (Window) node.attribute(), (xi, ki, yi) -> y[yi] += x.data()[xi] * k.data()[ki]);
        return new Tensor(dims, y);
    }

    static Tensor input(Node node, List<Tensor> in, int rows) {
        Tensor g = in.get(0);
        Tensor k = in.get(1);
        Window w = (Window) node.attribute();
        int[] dims = Tensor.dims(w.result(), rows);
        double[] dx = new double[Tensor.size(dims)];
        visit(dims, k.dims(), w, (xi, ki, yi) -> dx[xi] += g.data()[yi] * k.data()[ki]);
        return new Tensor(dims, dx);
    }

    static Tensor kernel(Node node, List<Tensor> in, int rows) {
        Tensor x = in.get(0);
        Tensor g = in.get(1);
        Window w = (Window) node.attribute();
        int[] dims = Tensor.dims(w.result(), rows);
        double[] dk = new double[Tensor.size(dims)];
        visit(x.dims(), dims, w, (xi, ki, yi) -> dk[ki] += x.data()[xi] * g.data()[yi]);
        return new Tensor(dims, dk);
    }

    private static int[] outDims(int[] x, int[] k, Window w) {
        return new int[] {x[0], k[0], w.outSize(x[2], k[2]), w.outSize(x[3], k[3])};
    }

    private static void visit(int[] x, int[] k, Window w, Term term) {
        int[] y = outDims(x, k, w);
        for (int n = 0; n < x[0]; n++) {
            for (int f = 0; f < k[0]; f++) {
                for (int i = 0; i < y[2]; i++) {
                    for (int j = 0; j < y[3]; j++) {
                        int yi = ((n * y[1] + f) * y[2] + i) * y[3] + j;
                        for (int c = 0; c < x[1]; c++) {
                            for (int u = 0; u < k[2]; u++) {
                                for (int v = 0; v < k[3]; v++) {
                                    int h = i * w.stride() - w.padding() + u;
                                    int col = j * w.stride() - w.padding() + v;
                                    if (h >= 0 && h < x[2] && col >= 0 && col < x[3]) {
                                        term.add(((n * x[1] + c) * x[2] + h) * x[3] + col,
                                                ((f * k[1] + c) * k[2] + u) * k[3] + v, yi);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Each window's largest element, y[n, c, i, j] the largest x[n, c, i * size + u, j * size + v]
     * over u, v below the size (the attribute).
     */
    static Tensor maxPool2d(Node node, Tensor x) {
        int size = (Integer) node.attribute();
        int[] d = x.dims();
        int[] dims = {d[0], d[1], d[2] / size, d[3] / size};
        double[] y = new double[Tensor.size(dims)];
        java.util.Arrays.fill(y, Double.NEGATIVE_INFINITY);
        for (int o = 0; o < y.length; o++) {
            int[] at = Tensor.unflatten(o, dims);
            for (int u = 0; u < size; u++) {
                for (int v = 0; v < size; v++) {
                    y[o] = Math.max(y[o], x.data()[windowElement(d, at, size, u, v)]);
                }
            }
        }
        return new Tensor(dims, y);
    }

    /**
     * x's shape, each window's cotangent g[n, c, i, j] at the first element (u, v in row-major
     * order) that no later one of the window exceeds, 0 elsewhere.
     */
    static Tensor maxPool2dGradient(Node node, Tensor x, Tensor g) {
        int size = (Integer) node.attribute();
        int[] d = x.dims();
        double[] dx = new double[x.size()];
        for (int o = 0; o < g.size(); o++) {
            int[] at = Tensor.unflatten(o, g.dims());
            int first = -1;
            for (int u = 0; u < size; u++) {
                for (int v = 0; v < size; v++) {
                    int e = windowElement(d, at, size, u, v);
                    if (first < 0 || x.data()[e] > x.data()[first]) {
                        first = e;
                    }
                }
            }
            dx[first] = g.data()[o];
        }
        return new Tensor(d, dx);
    }

    /** The flat position in x of dims {@code d} of element (u, v) of the window at pooled position {@code at}. */
    private static int windowElement(int[] d, int[] at, int size, int u, int v) {
        return ((at[0] * d[1] + at[1]) * d[2] + at[2] * size + u) * d[3] + at[3] * size + v;
    }
}
