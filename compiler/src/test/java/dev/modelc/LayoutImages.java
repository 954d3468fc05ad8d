package dev.modelc;

import dev.modelc.graph.Tensor;

/**
 * The layout property's own reading of convolution and pooling on {@code [n, c, h, w]}, one
 * output element at a time, as PyTorch documents them: a cross-correlation over the zero-padded
 * image, windows of size x size side by side, the rows and columns past the last dropped, and
 * batch norm in training, as PyTorch's {@code BatchNorm2d} documents it: each channel's mean and
 * biased variance over every row and pixel, eps 1e-5.
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

    static Tensor batchNorm(Tensor x, Tensor gamma, Tensor beta) {
        int[] d = x.dims();
        int pixels = d[2] * d[3];
        int n = d[0] * pixels;
        double[] out = new double[x.size()];
        for (int c = 0; c < d[1]; c++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += x.data()[element(d, c, i)];
            }
            double mean = sum / n;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                double centered = x.data()[element(d, c, i)] - mean;
                squares += centered * centered;
            }
            double scale = 1 / Math.sqrt(squares / n + 1e-5);
            for (int i = 0; i < n; i++) {
                int at = element(d, c, i);
                out[at] = (x.data()[at] - mean) * scale * gamma.data()[c] + beta.data()[c];
            }
        }
        return new Tensor(d, out);
    }

    /** The flat index of element i of channel c, i counting over rows, then pixels. */
    private static int element(int[] d, int c, int i) {
        int pixels = d[2] * d[3];
        return ((i / pixels) * d[1] + c) * pixels + i % pixels;
    }
}
