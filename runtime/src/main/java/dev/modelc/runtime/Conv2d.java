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
            for (int row = 0; row < rows; row++) {
                p.gatherImage(x, row, cols);
                for (int f = 0; f < filters; f++) {
                    int from = (row * filters + f) * pixels;
                    for (int q = 0; q < pixels; q++) {
                        gradient[q * lanes + f] = g[from + q];
                    }
                }
                VectorConv.addProduct(cols, gradient, sums, depth, pixels, lanes);
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

    /** One thread's patches and products, grown to the largest call seen. */
    private static final class Scratch {
        /** The geometry of the call under way, set anew by each. */
        private final ConvPatches patches = new ConvPatches();
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
