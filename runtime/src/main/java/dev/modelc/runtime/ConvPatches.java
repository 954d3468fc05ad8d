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

    /** Output pixels of one row. */
    int pixels() {
        return outHeight * outWidth;
    }

    /** The first output column whose kernel column {@code v} lies right of x's column -1. */
    private int firstColumn(int v) {
        return padding <= v ? 0 : Math.min(outWidth, (padding - v + stride - 1) / stride);
    }

    /** Past the last output column whose kernel column {@code v} lies left of x's last column + 1. */
    private int endColumn(int v, int first) {
        return Math.max(first, Math.min(outWidth, (width + padding - v + stride - 1) / stride));
    }

    /**
     * One row's patches transposed, {@code [channels * kh * kw, pixels]}: for each kernel
     * element, the x element it meets at every output pixel, 0 in the padding. With stride 1 an
     * output row reads a run of x's row, copied at once.
     */
    void gatherImage(double[] x, int row, double[] cols) {
        int pixels = pixels();
        for (int c = 0; c < channels; c++) {
            for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++) {
                    int at = ((c * kh + u) * kw + v) * pixels;
                    int first = firstColumn(v);
                    int end = endColumn(v, first);
                    for (int i = 0; i < outHeight; i++, at += outWidth) {
                        int h = i * stride - padding + u;
                        if (h < 0 || h >= height) {
                            java.util.Arrays.fill(cols, at, at + outWidth, 0.0);
                            continue;
                        }
                        int from = ((row * channels + c) * height + h) * width - padding + v;
                        if (first > 0) {
                            java.util.Arrays.fill(cols, at, at + first, 0.0);
                        }
                        if (stride == 1) {
                            System.arraycopy(x, from + first, cols, at + first, end - first);
                        } else {
                            for (int j = first; j < end; j++) {
                                cols[at + j] = x[from + j * stride];
                            }
                        }
                        if (end < outWidth) {
                            java.util.Arrays.fill(cols, at + end, at + outWidth, 0.0);
                        }
                    }
                }
            }
        }
    }

    /**
     * One row of dx overwritten with the sum, at each of its elements, of the elements of
     * {@code cols} (laid out as {@link #gatherImage} writes them) that read it. Each element's
     * terms are added in the order of the output pixels that read it, which is the kernel's
     * elements from last to first.
     */
    void scatterImage(double[] cols, int row, double[] dx) {
        int pixels = pixels();
        int size = channels * height * width;
        java.util.Arrays.fill(dx, row * size, (row + 1) * size, 0.0);
        for (int c = 0; c < channels; c++) {
            for (int u = kh - 1; u >= 0; u--) {
                for (int v = kw - 1; v >= 0; v--) {
                    int at = ((c * kh + u) * kw + v) * pixels;
                    int first = firstColumn(v);
                    int end = endColumn(v, first);
                    for (int i = 0; i < outHeight; i++, at += outWidth) {
                        int h = i * stride - padding + u;
                        if (h < 0 || h >= height) {
                            continue;
                        }
                        int to = ((row * channels + c) * height + h) * width - padding + v;
                        if (stride == 1) {
                            for (int j = first; j < end; j++) {
                                dx[to + j] += cols[at + j];
                            }
                        } else {
                            for (int j = first; j < end; j++) {
                                dx[to + j * stride] += cols[at + j];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * One row's patches transposed, {@code [channels * kh * kw, pixels]}: for each kernel
     * element, the x element it meets at every output pixel, 0 in the padding. With stride 1 an
     * output row reads a run of x's row, copied at once.
     */
    void gatherImage(float[] x, int row, float[] cols) {
        int pixels = pixels();
        for (int c = 0; c < channels; c++) {
            for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++) {
                    int at = ((c * kh + u) * kw + v) * pixels;
                    int first = firstColumn(v);
                    int end = endColumn(v, first);
                    for (int i = 0; i < outHeight; i++, at += outWidth) {
                        int h = i * stride - padding + u;
                        if (h < 0 || h >= height) {
                            java.util.Arrays.fill(cols, at, at + outWidth, 0f);
                            continue;
                        }
                        int from = ((row * channels + c) * height + h) * width - padding + v;
                        if (first > 0) {
                            java.util.Arrays.fill(cols, at, at + first, 0f);
                        }
                        if (stride == 1) {
                            System.arraycopy(x, from + first, cols, at + first, end - first);
                        } else {
                            for (int j = first; j < end; j++) {
                                cols[at + j] = x[from + j * stride];
                            }
                        }
                        if (end < outWidth) {
                            java.util.Arrays.fill(cols, at + end, at + outWidth, 0f);
                        }
                    }
                }
            }
        }
    }

    /**
     * One row of dx overwritten with the sum, at each of its elements, of the elements of
     * {@code cols} (laid out as {@link #gatherImage} writes them) that read it. Each element's
     * terms are added in the order of the output pixels that read it, which is the kernel's
     * elements from last to first.
     */
    void scatterImage(float[] cols, int row, float[] dx) {
        int pixels = pixels();
        int size = channels * height * width;
        java.util.Arrays.fill(dx, row * size, (row + 1) * size, 0f);
        for (int c = 0; c < channels; c++) {
            for (int u = kh - 1; u >= 0; u--) {
                for (int v = kw - 1; v >= 0; v--) {
                    int at = ((c * kh + u) * kw + v) * pixels;
                    int first = firstColumn(v);
                    int end = endColumn(v, first);
                    for (int i = 0; i < outHeight; i++, at += outWidth) {
                        int h = i * stride - padding + u;
                        if (h < 0 || h >= height) {
                            continue;
                        }
                        int to = ((row * channels + c) * height + h) * width - padding + v;
                        if (stride == 1) {
                            for (int j = first; j < end; j++) {
                                dx[to + j] += cols[at + j];
                            }
                        } else {
                            for (int j = first; j < end; j++) {
                                dx[to + j * stride] += cols[at + j];
                            }
                        }
                    }
                }
            }
        }
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
