package dev.modelc.runtime;

/**
 * Two-dimensional convolution for generated code, as PyTorch's {@code conv2d} computes it (a
 * cross-correlation, no bias): x {@code [rows, channels, height, width]} and a kernel
 * {@code [filters, channels, kh, kw]} give y {@code [rows, filters, outHeight, outWidth]}, where
 * {@code outHeight = (height + 2 padding - kh) / stride + 1}, padding with zeros.
 *
 * <p>The products go through {@link Matmul} over the patches (im2col: a patch is the
 * {@code channels * kh * kw} elements one output pixel reads). The convolution and the input
 * gradient take one row at a time, its patches laid out {@code [channels * kh * kw, pixels]}:
 * {@code K @ patches} is the row of y, channels first, and {@code Kᵀ @ dY} the patches'
 * gradients, added back into x. The kernel gradient sums over the patches of every row in
 * order: in float with the Vector API a row at a time, each sum's chain continued from row to
 * row ({@code VectorConv}), else as one product over all the patches, one patch a row. The
 * patches and the products go to the calling thread's scratch, which grows to the largest call
 * and is then reused, so a training step allocates nothing once its first has run. Results do
 * not depend on the thread count, as the products' do not.
 *
 * <p>A stride-1 float convolution whose products run as chains of fused multiply-adds gathers
 * no patches (see {@link Grid}): the forward pass is a direct convolution of each row's image
 * ({@code VectorConv.correlate}), the input gradient {@code Kᵀ @ dY} over dY spread onto the
 * image's grid, its terms added back in vector adds, and the kernel gradient reads x in the
 * image. Each result is the chain, and each sum the additions, that the patches' products
 * run, so the bits are the same.
 */
public final class Conv2d {
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private Conv2d() {
    }

    /** Output pixels along a side of {@code size} elements. */
    public static int outSize(int size, int kernel, int stride, int padding) {
        return (size + 2 * padding - kernel) / stride + 1;
    }

    /** {@code y = conv2d(x, k)}; y is overwritten. */
    public static void forward(double[] x, double[] k, double[] y, int rows, int channels, int height, int width,
                               int filters, int kh, int kw, int stride, int padding) {
        Scratch s = SCRATCH.get();
        ConvPatches p = s.patches.set(rows, channels, height, width, kh, kw, stride, padding);
        int pixels = p.pixels();
        double[] cols = s.cols64(p.depth() * pixels);
        double[] image = s.product64(filters * pixels);
        for (int row = 0; row < rows; row++) {
            p.gatherImage(x, row, cols);
            Matmul.multiply(k, false, cols, false, image, filters, p.depth(), pixels);
            System.arraycopy(image, 0, y, row * filters * pixels, filters * pixels);
        }
    }

    /** The same in float. */
    public static void forward(float[] x, float[] k, float[] y, int rows, int channels, int height, int width,
                               int filters, int kh, int kw, int stride, int padding) {
        Scratch s = SCRATCH.get();
        ConvPatches p = s.patches.set(rows, channels, height, width, kh, kw, stride, padding);
        int pixels = p.pixels();
        if (stride == 1 && Matmul.fusedChains(filters, p.depth(), pixels)) {
            Grid grid = s.grid.set(channels, height, width, kh, kw, padding);
            int n = grid.columns;
            float[] image = grid.image(s);
            float[] out = s.wide32(filters * n);
            for (int row = 0; row < rows; row++) {
                grid.copyIn(x, row, image);
                VectorConv.correlate(k, p.depth(), 1, image, grid.offsets, grid.starts, grid.count, out, 0, filters,
                        p.depth(), n);
                grid.copyOut(out, y, row, filters);
            }
            return;
        }
        float[] cols = s.cols32(p.depth() * pixels);
        float[] image = s.product32(filters * pixels);
        for (int row = 0; row < rows; row++) {
            p.gatherImage(x, row, cols);
            Matmul.multiply(k, false, cols, false, image, filters, p.depth(), pixels);
            System.arraycopy(image, 0, y, row * filters * pixels, filters * pixels);
        }
    }

    /**
     * The gradient of a loss with respect to x, from its gradient {@code g} with respect to y
     * (the transposed convolution of g with k); dx is overwritten.
     */
    public static void inputGradient(double[] g, double[] k, double[] dx, int rows, int channels, int height,
                                     int width, int filters, int kh, int kw, int stride, int padding) {
        Scratch s = SCRATCH.get();
        ConvPatches p = s.patches.set(rows, channels, height, width, kh, kw, stride, padding);
        int pixels = p.pixels();
        double[] cols = s.cols64(p.depth() * pixels);
        double[] image = s.product64(filters * pixels);
        for (int row = 0; row < rows; row++) {
            System.arraycopy(g, row * filters * pixels, image, 0, filters * pixels);
            Matmul.multiply(k, true, image, false, cols, p.depth(), filters, pixels);
            p.scatterImage(cols, row, dx);
        }
    }

    /** The same in float. */
    public static void inputGradient(float[] g, float[] k, float[] dx, int rows, int channels, int height,
                                     int width, int filters, int kh, int kw, int stride, int padding) {
        Scratch s = SCRATCH.get();
        ConvPatches p = s.patches.set(rows, channels, height, width, kh, kw, stride, padding);
        int pixels = p.pixels();
        int depth = p.depth();
        if (stride == 1 && Matmul.fusedChains(depth, filters, pixels)) {
            Grid grid = s.grid.set(channels, height, width, kh, kw, padding);
            int n = grid.columns;
            float[] sums = grid.image(s);
            float[] spread = s.wide32(filters * n);
            float[] terms = s.terms32(depth * n);
            java.util.Arrays.fill(spread, 0, filters * n, 0f);
            int[] rowsOfSpread = grid.filterRows(filters);
            for (int row = 0; row < rows; row++) {
                grid.spread(g, row, filters, spread);
                VectorConv.correlate(k, 1, depth, spread, rowsOfSpread, grid.starts, grid.count, terms, 0, depth,
                        filters, n);
                java.util.Arrays.fill(sums, 0, grid.imageSize, 0f);
                for (int c = 0; c < channels; c++) {
                    for (int u = kh - 1; u >= 0; u--) {
                        for (int v = kw - 1; v >= 0; v--) {
                            int d = (c * kh + u) * kw + v;
                            VectorConv.addTo(terms, d * n, sums, grid.offsets[d], grid.starts, grid.distinct);
                        }
                    }
                }
                grid.copyBack(sums, dx, row);
            }
            return;
        }
        float[] cols = s.cols32(p.depth() * pixels);
        float[] image = s.product32(filters * pixels);
        for (int row = 0; row < rows; row++) {
            System.arraycopy(g, row * filters * pixels, image, 0, filters * pixels);
            Matmul.multiply(k, true, image, false, cols, p.depth(), filters, pixels);
            p.scatterImage(cols, row, dx);
        }
    }

    /**
     * The gradient of a loss with respect to the kernel, from x and the gradient {@code g} with
     * respect to y, summed over the rows; dk is overwritten.
     */
    public static void kernelGradient(double[] x, double[] g, double[] dk, int rows, int channels, int height,
                                      int width, int filters, int kh, int kw, int stride, int padding) {
        Scratch s = SCRATCH.get();
        ConvPatches p = s.patches.set(rows, channels, height, width, kh, kw, stride, padding);
        double[] cols = s.cols64(p.count() * p.depth());
        double[] gradient = s.product64(p.count() * filters);
        p.gather(x, cols);
        p.toPixelsFirst(g, gradient, filters);
        Matmul.multiply(gradient, true, cols, false, dk, filters, p.count(), p.depth());
    }

    /**
     * The same in float. With the Vector API, one row of the batch at a time: its patches
     * kernel element by pixel, times its gradient pixel by filter (the filters padded to whole
     * vectors), added to the rows before it, each sum's chain of fused multiply-adds continued
     * in the order of the rows and pixels, as the single product over every patch runs it.
     */
    public static void kernelGradient(float[] x, float[] g, float[] dk, int rows, int channels, int height,
                                      int width, int filters, int kh, int kw, int stride, int padding) {
        Scratch s = SCRATCH.get();
        ConvPatches p = s.patches.set(rows, channels, height, width, kh, kw, stride, padding);
        if (Matmul.vectorized()) {
            int pixels = p.pixels();
            int depth = p.depth();
            int lanes = VectorConv.width(filters);
            float[] cols = s.cols32(depth * pixels);
            float[] gradient = s.product32(pixels * lanes);
            float[] sums = s.sums32(depth * lanes);
            java.util.Arrays.fill(sums, 0, depth * lanes, 0f);
            java.util.Arrays.fill(gradient, 0, pixels * lanes, 0f);
            Grid grid = stride == 1 ? s.grid.set(channels, height, width, kh, kw, padding) : null;
            float[] image = grid == null ? null : grid.image(s);
            for (int row = 0; row < rows; row++) {
                if (grid == null) {
                    p.gatherImage(x, row, cols);
                } else {
                    grid.copyIn(x, row, image);
                }
                // Filter by filter, each filter's row of g read in order and written a pixel's
                // lanes apart: a loop over the pixels, which the JIT unrolls with its bounds
                // checked once, where a loop over a few filters per pixel ran a check and a
                // branch per element.
                int from = row * filters * pixels;
                for (int f = 0; f < filters; f++) {
                    int src = from + f * pixels;
                    for (int q = 0; q < pixels; q++) {
                        gradient[q * lanes + f] = g[src + q];
                    }
                }
                if (grid == null) {
                    VectorConv.addProduct(cols, gradient, sums, depth, pixels, lanes);
                } else {
                    VectorConv.addImageProduct(image, grid.offsets, grid.positions, pixels, gradient, sums, depth,
                            lanes);
                }
            }
            for (int f = 0; f < filters; f++) {
                for (int d = 0; d < depth; d++) {
                    dk[f * depth + d] = sums[d * lanes + f];
                }
            }
            return;
        }
        float[] cols = s.cols32(p.count() * p.depth());
        float[] gradient = s.product32(p.count() * filters);
        p.gather(x, cols);
        p.toPixelsFirst(g, gradient, filters);
        Matmul.multiply(gradient, true, cols, false, dk, filters, p.count(), p.depth());
    }

    /**
     * A stride-1 convolution's wide grid, for the direct float kernels: one row's image, zero
     * padded, channel after channel ({@code [channels, height + 2 padding, width + 2 padding]}),
     * with output pixel (i, j) at position {@code q = i * paddedWidth + j} of the grid, so that
     * kernel element d reads the image at {@code offsets[d] + q} for every q. The kernels take
     * the grid a vector at a time from each of {@code starts}: the whole grid, or, where it takes
     * fewer vectors (an output row a few vectors wide in a wider image, as LeNet's second
     * convolution: 8 of 12 columns), each output row's vectors alone. The grid holds
     * {@code columns} positions, past the last vector's; lanes whose column lies past the
     * output's are computed and dropped, and the image holds enough slack after its last
     * channel for the last position's reach.
     */
    private static final class Grid {
        private int channels;
        private int height;
        private int width;
        private int padding;
        private int outHeight;
        private int outWidth;
        private int paddedWidth;
        private int plane;
        private int columns;
        private int imageSize;
        private int[] offsets = new int[0];
        /** Each output pixel's place in the padded image, for the kernel gradient. */
        private int[] positions = new int[0];
        /**
         * Where the vectors of grid positions that hold output pixels start: {@code distinct} of
         * them, whole rows of the grid or each output row's, padded to an even {@code count} by
         * repeating the last (the kernels take them in pairs).
         */
        private int[] starts = new int[0];
        private int distinct;
        private int count;
        private int[] filterRows = new int[0];

        /** The start of each filter's row of a {@code [filters, columns]} grid. */
        int[] filterRows(int filters) {
            if (filterRows.length < filters) {
                filterRows = new int[filters];
            }
            for (int f = 0; f < filters; f++) {
                filterRows[f] = f * columns;
            }
            return filterRows;
        }

        Grid set(int channels, int height, int width, int kh, int kw, int padding) {
            this.channels = channels;
            this.height = height;
            this.width = width;
            this.padding = padding;
            this.outHeight = outSize(height, kh, 1, padding);
            this.outWidth = outSize(width, kw, 1, padding);
            this.paddedWidth = width + 2 * padding;
            this.plane = (height + 2 * padding) * paddedWidth;
            int lanes = VectorConv.lanes();
            int span = (outHeight - 1) * paddedWidth + outWidth;
            int whole = VectorConv.gridColumns(span);
            int perRow = (outWidth + lanes - 1) / lanes;
            // Vectors a row of output pixels at a time, where that takes fewer than the grid's
            // whole width and a row's vectors stay clear of the next row's.
            boolean byRows = perRow * lanes <= paddedWidth && outHeight * perRow < whole / lanes;
            this.distinct = byRows ? outHeight * perRow : whole / lanes;
            this.count = distinct + distinct % 2;
            if (starts.length < count) {
                starts = new int[count];
            }
            for (int t = 0; t < distinct; t++) {
                starts[t] = byRows ? t / perRow * paddedWidth + t % perRow * lanes : t * lanes;
            }
            if (count > distinct) {
                starts[count - 1] = starts[distinct - 1];
            }
            this.columns = Math.max(whole, starts[distinct - 1] + lanes);
            int reach = (kh - 1) * paddedWidth + kw - 1;
            this.imageSize = Math.max(channels * plane, (channels - 1) * plane + reach + columns);
            int depth = channels * kh * kw;
            if (offsets.length < depth) {
                offsets = new int[depth];
            }
            for (int c = 0; c < channels; c++) {
                for (int u = 0; u < kh; u++) {
                    for (int v = 0; v < kw; v++) {
                        offsets[(c * kh + u) * kw + v] = c * plane + u * paddedWidth + v;
                    }
                }
            }
            if (positions.length < outHeight * outWidth) {
                positions = new int[outHeight * outWidth];
            }
            for (int i = 0; i < outHeight; i++) {
                for (int j = 0; j < outWidth; j++) {
                    positions[i * outWidth + j] = i * paddedWidth + j;
                }
            }
            return this;
        }

        /** The thread's padded image, zero in the padding and the slack. */
        float[] image(Scratch s) {
            float[] image = s.padded32(imageSize);
            java.util.Arrays.fill(image, 0, imageSize, 0f);
            return image;
        }

        /** One row of x into the padded image's interior. */
        void copyIn(float[] x, int row, float[] image) {
            int from = row * channels * height * width;
            if (padding == 0) {
                System.arraycopy(x, from, image, 0, channels * plane);
                return;
            }
            for (int c = 0; c < channels; c++) {
                for (int h = 0; h < height; h++, from += width) {
                    System.arraycopy(x, from, image, c * plane + (h + padding) * paddedWidth + padding, width);
                }
            }
        }

        /** The padded image's interior out to one row of dx. */
        void copyBack(float[] image, float[] dx, int row) {
            int to = row * channels * height * width;
            if (padding == 0) {
                System.arraycopy(image, 0, dx, to, channels * plane);
                return;
            }
            for (int c = 0; c < channels; c++) {
                for (int h = 0; h < height; h++, to += width) {
                    System.arraycopy(image, c * plane + (h + padding) * paddedWidth + padding, dx, to, width);
                }
            }
        }

        /** The output pixels of {@code grid} ({@code [filters, columns]}) to one row of y. */
        void copyOut(float[] grid, float[] y, int row, int filters) {
            int to = row * filters * outHeight * outWidth;
            for (int f = 0; f < filters; f++) {
                for (int i = 0; i < outHeight; i++, to += outWidth) {
                    System.arraycopy(grid, f * columns + i * paddedWidth, y, to, outWidth);
                }
            }
        }

        /** One row of y's gradient onto the grid ({@code [filters, columns]}), leaving its other positions as they are. */
        void spread(float[] g, int row, int filters, float[] grid) {
            int from = row * filters * outHeight * outWidth;
            for (int f = 0; f < filters; f++) {
                for (int i = 0; i < outHeight; i++, from += outWidth) {
                    System.arraycopy(g, from, grid, f * columns + i * paddedWidth, outWidth);
                }
            }
        }
    }

    /** One thread's patches and products, grown to the largest call seen. */
    private static final class Scratch {
        /** The geometry of the call under way, set anew by each. */
        private final ConvPatches patches = new ConvPatches();
        private final Grid grid = new Grid();
        private float[] padded32 = new float[0];
        private float[] wide32 = new float[0];
        private float[] terms32 = new float[0];

        float[] padded32(int size) {
            if (padded32.length < size) {
                padded32 = new float[size];
            }
            return padded32;
        }

        float[] wide32(int size) {
            if (wide32.length < size) {
                wide32 = new float[size];
            }
            return wide32;
        }

        float[] terms32(int size) {
            if (terms32.length < size) {
                terms32 = new float[size];
            }
            return terms32;
        }
        private double[] cols64 = new double[0];
        private double[] product64 = new double[0];
        private float[] cols32 = new float[0];
        private float[] product32 = new float[0];
        private float[] sums32 = new float[0];

        double[] cols64(int size) {
            if (cols64.length < size) {
                cols64 = new double[size];
            }
            return cols64;
        }

        double[] product64(int size) {
            if (product64.length < size) {
                product64 = new double[size];
            }
            return product64;
        }

        float[] cols32(int size) {
            if (cols32.length < size) {
                cols32 = new float[size];
            }
            return cols32;
        }

        float[] product32(int size) {
            if (product32.length < size) {
                product32 = new float[size];
            }
            return product32;
        }

        float[] sums32(int size) {
            if (sums32.length < size) {
                sums32 = new float[size];
            }
            return sums32;
        }
    }
}
