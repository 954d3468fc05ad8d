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

    /** The element of x a patch element reads, or -1 in the padding. */
    private int source(int row, int i, int j, int c, int u, int v) {
        int h = i * stride - padding + u;
        int w = j * stride - padding + v;
        return h < 0 || h >= height || w < 0 || w >= width ? -1 : ((row * channels + c) * height + h) * width + w;
    }

    void gather(double[] x, double[] cols) {
        int at = 0;
        for (int row = 0; row < rows; row++) {
            for (int i = 0; i < outHeight; i++) {
                for (int j = 0; j < outWidth; j++) {
                    for (int c = 0; c < channels; c++) {
                        for (int u = 0; u < kh; u++) {
                            for (int v = 0; v < kw; v++) {
                                int from = source(row, i, j, c, u, v);
                                cols[at++] = from < 0 ? 0.0 : x[from];
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
                    for (int c = 0; c < channels; c++) {
                        for (int u = 0; u < kh; u++) {
                            for (int v = 0; v < kw; v++) {
                                int from = source(row, i, j, c, u, v);
                                cols[at++] = from < 0 ? 0f : x[from];
                            }
                        }
                    }
                }
            }
        }
    }

    /** dx overwritten with the sum, at each element of x, of the patch elements that read it. */
    void scatter(double[] cols, double[] dx) {
        java.util.Arrays.fill(dx, 0, rows * channels * height * width, 0.0);
        int at = 0;
        for (int row = 0; row < rows; row++) {
            for (int i = 0; i < outHeight; i++) {
                for (int j = 0; j < outWidth; j++) {
                    for (int c = 0; c < channels; c++) {
                        for (int u = 0; u < kh; u++) {
                            for (int v = 0; v < kw; v++) {
                                int to = source(row, i, j, c, u, v);
                                if (to >= 0) {
                                    dx[to] += cols[at];
                                }
                                at++;
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
                    for (int c = 0; c < channels; c++) {
                        for (int u = 0; u < kh; u++) {
                            for (int v = 0; v < kw; v++) {
                                int to = source(row, i, j, c, u, v);
                                if (to >= 0) {
                                    dx[to] += cols[at];
                                }
                                at++;
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
