package dev.modelc.runtime;

/**
 * The geometry of one convolution and the copies around its matrix product: the patches of x
 * as rows of a matrix (one per output pixel of every row, each {@code channels * kh * kw}
 * long, zeros where the kernel reaches into the padding), their sum back into x's layout, and
 * the product's pixels-first layout to and from y's channels-first one. Mutable, so that one
 * per thread serves every call without allocating.
 */
final class ConvPatches {
    private int rows;
    private int channels;
    private int height;
    private int width;
    private int kh;
    private int kw;
    private int stride;
    private int padding;
    private int outHeight;
    private int outWidth;

    ConvPatches set(int rows, int channels, int height, int width, int kh, int kw, int stride, int padding) {
        this.rows = rows;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.kh = kh;
        this.kw = kw;
        this.stride = stride;
        this.padding = padding;
        this.outHeight = Conv2d.outSize(height, kh, stride, padding);
        this.outWidth = Conv2d.outSize(width, kw, stride, padding);
        return this;
    }

    /** Patches in all: output pixels of every row. */
    int count() {
        return rows * outHeight * outWidth;
    }

    /** Elements of one patch. */
    int depth() {
        return channels * kh * kw;
    }

    /**
     * Each patch row by row of the kernel: a kernel row reads {@code kw} neighbours of one row of
     * x, of which those left of column 0 or right of the last column (in the padding) read 0, as
     * does a whole kernel row above or below the image.
     */
    void gather(double[] x, double[] cols) {
        int at = 0;
        for (int row = 0; row < rows; row++) {
            for (int i = 0; i < outHeight; i++) {
                for (int j = 0; j < outWidth; j++) {
                    int w0 = j * stride - padding;
                    int vFrom = Math.max(0, -w0);
                    int vTo = Math.max(vFrom, Math.min(kw, width - w0));
                    for (int c = 0; c < channels; c++) {
                        for (int u = 0; u < kh; u++, at += kw) {
                            int h = i * stride - padding + u;
                            if (h < 0 || h >= height) {
                                java.util.Arrays.fill(cols, at, at + kw, 0.0);
                                continue;
                            }
                            int from = (((row * channels + c) * height + h) * width) + w0;
                            for (int v = 0; v < vFrom; v++) {
                                cols[at + v] = 0.0;
                            }
                            for (int v = vFrom; v < vTo; v++) {
                                cols[at + v] = x[from + v];
                            }
                            for (int v = vTo; v < kw; v++) {
                                cols[at + v] = 0.0;
                            }
                        }
                    }
                }
            }
        }
    }

    void gather(float[] x, float[] cols) {
        int at = 0;
        for (int row = 0; row < rows; row++) {
            for (int i = 0; i < outHeight; i++) {
                for (int j = 0; j < outWidth; j++) {
                    int w0 = j * stride - padding;
                    int vFrom = Math.max(0, -w0);
                    int vTo = Math.max(vFrom, Math.min(kw, width - w0));
                    for (int c = 0; c < channels; c++) {
                        for (int u = 0; u < kh; u++, at += kw) {
                            int h = i * stride - padding + u;
                            if (h < 0 || h >= height) {
                                java.util.Arrays.fill(cols, at, at + kw, 0f);
                                continue;
                            }
                            int from = (((row * channels + c) * height + h) * width) + w0;
                            for (int v = 0; v < vFrom; v++) {
                                cols[at + v] = 0f;
                            }
                            for (int v = vFrom; v < vTo; v++) {
                                cols[at + v] = x[from + v];
                            }
                            for (int v = vTo; v < kw; v++) {
                                cols[at + v] = 0f;
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * dx overwritten with the sum, at each element of x, of the patch elements that read it,
     * added in the order of the patches (so the sums do not depend on how the loops are cut).
     */
    void scatter(double[] cols, double[] dx) {
        java.util.Arrays.fill(dx, 0, rows * channels * height * width, 0.0);
        int at = 0;
        for (int row = 0; row < rows; row++) {
            for (int i = 0; i < outHeight; i++) {
                for (int j = 0; j < outWidth; j++) {
                    int w0 = j * stride - padding;
                    int vFrom = Math.max(0, -w0);
                    int vTo = Math.max(vFrom, Math.min(kw, width - w0));
                    for (int c = 0; c < channels; c++) {
                        for (int u = 0; u < kh; u++, at += kw) {
                            int h = i * stride - padding + u;
                            if (h >= 0 && h < height) {
                                int to = (((row * channels + c) * height + h) * width) + w0;
                                for (int v = vFrom; v < vTo; v++) {
                                    dx[to + v] += cols[at + v];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    void scatter(float[] cols, float[] dx) {
        java.util.Arrays.fill(dx, 0, rows * channels * height * width, 0f);
        int at = 0;
        for (int row = 0; row < rows; row++) {
            for (int i = 0; i < outHeight; i++) {
                for (int j = 0; j < outWidth; j++) {
                    int w0 = j * stride - padding;
                    int vFrom = Math.max(0, -w0);
                    int vTo = Math.max(vFrom, Math.min(kw, width - w0));
                    for (int c = 0; c < channels; c++) {
                        for (int u = 0; u < kh; u++, at += kw) {
                            int h = i * stride - padding + u;
                            if (h >= 0 && h < height) {
                                int to = (((row * channels + c) * height + h) * width) + w0;
                                for (int v = vFrom; v < vTo; v++) {
                                    dx[to + v] += cols[at + v];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@code [rows * pixels, filters]} to {@code [rows, filters, pixels]}. */
    void toChannelsFirst(double[] product, double[] y, int filters) {
        int pixels = outHeight * outWidth;
        for (int row = 0; row < rows; row++) {
            for (int f = 0; f < filters; f++) {
                int to = (row * filters + f) * pixels;
                for (int p = 0; p < pixels; p++) {
                    y[to + p] = product[(row * pixels + p) * filters + f];
                }
            }
        }
    }

    void toChannelsFirst(float[] product, float[] y, int filters) {
        int pixels = outHeight * outWidth;
        for (int row = 0; row < rows; row++) {
            for (int f = 0; f < filters; f++) {
                int to = (row * filters + f) * pixels;
                for (int p = 0; p < pixels; p++) {
                    y[to + p] = product[(row * pixels + p) * filters + f];
                }
            }
        }
    }

    /** {@code [rows, filters, pixels]} to {@code [rows * pixels, filters]}. */
    void toPixelsFirst(double[] g, double[] product, int filters) {
        int pixels = outHeight * outWidth;
        for (int row = 0; row < rows; row++) {
            for (int f = 0; f < filters; f++) {
                int from = (row * filters + f) * pixels;
                for (int p = 0; p < pixels; p++) {
                    product[(row * pixels + p) * filters + f] = g[from + p];
                }
            }
        }
    }

    void toPixelsFirst(float[] g, float[] product, int filters) {
        int pixels = outHeight * outWidth;
        for (int row = 0; row < rows; row++) {
            for (int f = 0; f < filters; f++) {
                int from = (row * filters + f) * pixels;
                for (int p = 0; p < pixels; p++) {
                    product[(row * pixels + p) * filters + f] = g[from + p];
                }
            }
        }
    }
}
