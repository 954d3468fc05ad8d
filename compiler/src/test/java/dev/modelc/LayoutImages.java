package dev.modelc;

import dev.modelc.graph.Tensor;

/**
 * The layout property's own reading of convolution and pooling on {@code [n, c, h, w]}, one
 * output element at a time, as PyTorch documents them: a cross-correlation over the zero-padded
 * image, and windows of size x size side by side, the rows and columns past the last dropped.
 */
final class LayoutImages {
    private LayoutImages() {
    }

    static Tensor conv(Tensor x, Tensor k, int stride, int padding) {
        int[] d = x.dims();
        int[] kd = k.dims();
        int oh = (d[2] + 2 * padding - kd[2]) / stride + 1;
        int ow = (d[3] + 2 * padding - kd[3]) / stride + 1;
        int[] dims = {d[0], kd[0], oh, ow};
        double[] out = new double[Tensor.size(dims)];
        for (int at = 0; at < out.length; at++) {
            int[] o = Tensor.unflatten(at, dims);
            double sum = 0;
            for (int c = 0; c < d[1]; c++) {
                for (int u = 0; u < kd[2]; u++) {
                    for (int v = 0; v < kd[3]; v++) {
                        int h = o[2] * stride + u - padding;
                        int w = o[3] * stride + v - padding;
                        if (h >= 0 && h < d[2] && w >= 0 && w < d[3]) {
                            sum += x.data()[((o[0] * d[1] + c) * d[2] + h) * d[3] + w]
                                    * k.data()[((o[1] * kd[1] + c) * kd[2] + u) * kd[3] + v];
                        }
                    }
                }
            }
            out[at] = sum;
        }
        return new Tensor(dims, out);
    }

    static Tensor pool(Tensor x, int size, boolean average) {
        int[] d = x.dims();
        int[] dims = {d[0], d[1], d[2] / size, d[3] / size};
        double[] out = new double[Tensor.size(dims)];
        for (int at = 0; at < out.length; at++) {
            int[] o = Tensor.unflatten(at, dims);
            double best = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (int u = 0; u < size; u++) {
                for (int v = 0; v < size; v++) {
                    double e = x.data()[((o[0] * d[1] + o[1]) * d[2] + o[2] * size + u) * d[3] + o[3] * size + v];
                    best = Math.max(best, e);
                    sum += e;
                }
            }
            out[at] = average ? sum / (size * size) : best;
        }
        return new Tensor(dims, out);
    }
}
