package dev.modelc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The convolution and its two adjoints at many geometries (channels, sizes, kernels, strides,
 * paddings), in float and double, through the vector and the plain kernels, on one thread and
 * on two: each result is, bit for bit, the matrix product over the patches as the textbook
 * im2col lays them out (one patch a row), with the input gradient's terms added in the order
 * of the patches; and each is within rounding of the defining sum taken in double.
 */
class Conv2dTest {
    private final boolean vectorBefore = Matmul.vectorized();
    private final int threadsBefore = Matmul.threads();

    /** One convolution's shapes. */
    private record Geometry(int rows, int channels, int height, int width, int filters, int kh, int kw, int stride,
                            int padding) {
        int outHeight() {
            return Conv2d.outSize(height, kh, stride, padding);
        }

        int outWidth() {
            return Conv2d.outSize(width, kw, stride, padding);
        }

        int pixels() {
            return outHeight() * outWidth();
        }

        int depth() {
            return channels * kh * kw;
        }

        int xSize() {
            return rows * channels * height * width;
        }

        /** x's flat position read by patch element d of output pixel p of a row, or -1 in the padding. */
        int source(int row, int p, int d) {
            int i = p / outWidth();
            int j = p % outWidth();
            int c = d / (kh * kw);
            int u = d / kw % kh;
            int v = d % kw;
            int h = i * stride - padding + u;
            int w = j * stride - padding + v;
            if (h < 0 || h >= height || w < 0 || w >= width) {
                return -1;
            }
            return ((row * channels + c) * height + h) * width + w;
        }
    }

    @AfterEach
    void restore() {
        Matmul.setVectorized(vectorBefore);
        Matmul.setThreads(threadsBefore);
    }

    @Test
    void floatResultsAreThoseOfTheProductOverThePatches() {
        Random random = new Random(20261207);
        for (int trial = 0; trial < 300; trial++) {
            Geometry g = geometry(random);
            Matmul.setVectorized(trial % 2 == 0 && Matmul.vectorAvailable());
            Matmul.setThreads(1 + trial / 2 % 2);
            checkFloat(g, random);
        }
    }

    /**
     * Stride-1 convolutions large enough for the direct kernels (LeNet's two, and odd ones with
     * padding, several channels and filters not a multiple of the kernels' six; grids taken a
     * whole row or an output row at a time, an odd count of vectors; kernel gradients over one,
     * two and three vectors of filters, with kernel elements left over from the tiles of twelve
     * and six), on the vector
     * and the plain kernels: the same bits as the product over the patches, and within float
     * rounding of the defining sums taken in double.
     */
    @Test
    void directConvolutionsKeepTheBitsOfTheProduct() {
        Geometry[] geometries = {
            new Geometry(3, 1, 28, 28, 6, 5, 5, 1, 0),
            new Geometry(2, 6, 12, 12, 16, 5, 5, 1, 0),
            new Geometry(3, 3, 9, 11, 7, 3, 4, 1, 2),
            new Geometry(2, 2, 13, 7, 13, 5, 2, 1, 1),
            new Geometry(1, 4, 6, 19, 1, 2, 3, 1, 1),
            new Geometry(2, 5, 17, 5, 9, 4, 1, 1, 3),
            new Geometry(2, 2, 10, 20, 7, 5, 5, 1, 0),
            new Geometry(2, 3, 11, 12, 9, 5, 5, 1, 0),
            new Geometry(2, 2, 9, 9, 5, 3, 5, 1, 1),
            new Geometry(2, 3, 8, 10, 20, 3, 3, 1, 1),
        };
        Random random = new Random(15);
        for (Geometry g : geometries) {
            for (int mode = 0; mode < 4; mode++) {
                Matmul.setVectorized(mode < 2 && Matmul.vectorAvailable());
                Matmul.setThreads(1 + mode % 2);
                checkFloat(g, random);
            }
        }
    }

    private static void checkFloat(Geometry g, Random random) {
        {
            float[] x = floats(random, g.xSize());
            float[] k = floats(random, g.filters() * g.depth());
            float[] dy = floats(random, g.rows() * g.filters() * g.pixels());
            float[] patches = patches(g, x);

            float[] y = new float[dy.length];
            Conv2d.forward(x, k, y, g.rows(), g.channels(), g.height(), g.width(), g.filters(), g.kh(), g.kw(),
                    g.stride(), g.padding());
            float[] product = new float[g.rows() * g.pixels() * g.filters()];
            Matmul.multiply(patches, false, k, true, product, g.rows() * g.pixels(), g.depth(), g.filters());
            assertSame(channelsFirst(g, product), y, g);

            float[] dx = new float[x.length];
            Conv2d.inputGradient(dy, k, dx, g.rows(), g.channels(), g.height(), g.width(), g.filters(), g.kh(),
                    g.kw(), g.stride(), g.padding());
            float[] patchGradients = new float[patches.length];
            Matmul.multiply(pixelsFirst(g, dy), false, k, false, patchGradients, g.rows() * g.pixels(),
                    g.filters(), g.depth());
            assertSame(scatter(g, patchGradients), dx, g);

            float[] dk = new float[k.length];
            Conv2d.kernelGradient(x, dy, dk, g.rows(), g.channels(), g.height(), g.width(), g.filters(), g.kh(),
                    g.kw(), g.stride(), g.padding());
            float[] expected = new float[k.length];
            Matmul.multiply(pixelsFirst(g, dy), true, patches, false, expected, g.filters(),
                    g.rows() * g.pixels(), g.depth());
            assertSame(expected, dk, g);

            double[][] sums = definingSums(g, widen(x), widen(k), widen(dy));
            assertNear(sums[0], y, g);
            assertNear(sums[1], dx, g);
            assertNear(sums[2], dk, g);
        }
    }

    @Test
    void doubleResultsAreTheDefiningSums() {
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            Geometry g = geometry(random);
            Matmul.setVectorized(trial % 2 == 0 && Matmul.vectorAvailable());
            Matmul.setThreads(1 + trial / 2 % 2);
            double[] x = doubles(random, g.xSize());
            double[] k = doubles(random, g.filters() * g.depth());
            double[] dy = doubles(random, g.rows() * g.filters() * g.pixels());
            double[] y = new double[dy.length];
            double[] dx = new double[x.length];
            double[] dk = new double[k.length];
            Conv2d.forward(x, k, y, g.rows(), g.channels(), g.height(), g.width(), g.filters(), g.kh(), g.kw(),
                    g.stride(), g.padding());
            Conv2d.inputGradient(dy, k, dx, g.rows(), g.channels(), g.height(), g.width(), g.filters(), g.kh(),
                    g.kw(), g.stride(), g.padding());
            Conv2d.kernelGradient(x, dy, dk, g.rows(), g.channels(), g.height(), g.width(), g.filters(), g.kh(),
                    g.kw(), g.stride(), g.padding());
            double[][] sums = definingSums(g, x, k, dy);
            assertClose(sums[0], y, g);
            assertClose(sums[1], dx, g);
            assertClose(sums[2], dk, g);
        }
    }

    /** y, dx and dk by their defining sums, in double. */
    private static double[][] definingSums(Geometry g, double[] x, double[] k, double[] dy) {
        double[] expectedY = new double[dy.length];
        double[] expectedDx = new double[x.length];
        double[] expectedDk = new double[k.length];
        for (int row = 0; row < g.rows(); row++) {
            for (int f = 0; f < g.filters(); f++) {
                for (int p = 0; p < g.pixels(); p++) {
                    int yi = (row * g.filters() + f) * g.pixels() + p;
                    for (int d = 0; d < g.depth(); d++) {
                        int xi = g.source(row, p, d);
                        if (xi >= 0) {
                            expectedY[yi] += x[xi] * k[f * g.depth() + d];
                            expectedDx[xi] += dy[yi] * k[f * g.depth() + d];
                            expectedDk[f * g.depth() + d] += x[xi] * dy[yi];
                        }
                    }
                }
            }
        }
        return new double[][] {expectedY, expectedDx, expectedDk};
    }

    private static double[] widen(float[] values) {
        double[] wide = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            wide[i] = values[i];
        }
        return wide;
    }

    /** Within float rounding of sums of up to a few thousand terms of Gaussian values. */
    private static void assertNear(double[] expected, float[] actual, Geometry g) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), g + " at " + i);
        }
    }

    @Test
    void aStepAfterTheFirstAllocatesNothing() {
        Geometry g = new Geometry(8, 3, 12, 12, 5, 5, 5, 1, 2);
        float[] x = floats(new Random(1), g.xSize());
        float[] k = floats(new Random(2), g.filters() * g.depth());
        float[] y = new float[g.rows() * g.filters() * g.pixels()];
        float[] dx = new float[x.length];
        float[] dk = new float[k.length];
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 20 && allocated != 0; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int step = 0; step < 50; step++) {
                Conv2d.forward(x, k, y, g.rows(), g.channels(), g.height(), g.width(), g.filters(), g.kh(), g.kw(),
                        g.stride(), g.padding());
                Conv2d.inputGradient(y, k, dx, g.rows(), g.channels(), g.height(), g.width(), g.filters(), g.kh(),
                        g.kw(), g.stride(), g.padding());
                Conv2d.kernelGradient(x, y, dk, g.rows(), g.channels(), g.height(), g.width(), g.filters(), g.kh(),
                        g.kw(), g.stride(), g.padding());
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }
        assertEquals(0, allocated);
    }

    private static Geometry geometry(Random random) {
        int kh = 1 + random.nextInt(4);
        int kw = 1 + random.nextInt(4);
        int padding = random.nextInt(3);
        int stride = 1 + random.nextInt(3);
        int height = Math.max(1, kh - 2 * padding) + random.nextInt(14);
        int width = Math.max(1, kw - 2 * padding) + random.nextInt(14);
        return new Geometry(1 + random.nextInt(3), 1 + random.nextInt(3), height, width, 1 + random.nextInt(9), kh,
                kw, stride, padding);
    }

    /** One patch a row, {@code [rows * pixels, depth]}. */
    private static float[] patches(Geometry g, float[] x) {
        float[] patches = new float[g.rows() * g.pixels() * g.depth()];
        for (int row = 0; row < g.rows(); row++) {
            for (int p = 0; p < g.pixels(); p++) {
                for (int d = 0; d < g.depth(); d++) {
                    int xi = g.source(row, p, d);
                    patches[(row * g.pixels() + p) * g.depth() + d] = xi < 0 ? 0f : x[xi];
                }
            }
        }
        return patches;
    }

    /** Each patch element's gradient added to the x element it read, patch after patch. */
    private static float[] scatter(Geometry g, float[] patchGradients) {
        float[] dx = new float[g.xSize()];
        for (int row = 0; row < g.rows(); row++) {
            for (int p = 0; p < g.pixels(); p++) {
                for (int d = 0; d < g.depth(); d++) {
                    int xi = g.source(row, p, d);
                    if (xi >= 0) {
                        dx[xi] += patchGradients[(row * g.pixels() + p) * g.depth() + d];
                    }
                }
            }
        }
        return dx;
    }

    /** {@code [rows * pixels, filters]} to {@code [rows, filters, pixels]}. */
    private static float[] channelsFirst(Geometry g, float[] product) {
        float[] y = new float[product.length];
        for (int row = 0; row < g.rows(); row++) {
            for (int f = 0; f < g.filters(); f++) {
                for (int p = 0; p < g.pixels(); p++) {
                    y[(row * g.filters() + f) * g.pixels() + p] = product[(row * g.pixels() + p) * g.filters() + f];
                }
            }
        }
        return y;
    }

    private static float[] pixelsFirst(Geometry g, float[] y) {
        float[] product = new float[y.length];
        for (int row = 0; row < g.rows(); row++) {
            for (int f = 0; f < g.filters(); f++) {
                for (int p = 0; p < g.pixels(); p++) {
                    product[(row * g.pixels() + p) * g.filters() + f] = y[(row * g.filters() + f) * g.pixels() + p];
                }
            }
        }
        return product;
    }

    /**
     * Bit for bit where every product involved is a chain of fused multiply-adds or every one a
     * chain of products and sums (the plain kernels); the thin products' plain loops, which the
     * vector kernels leave a handful of multiply-adds to, round within a float's precision.
     */
    private static void assertSame(float[] expected, float[] actual, Geometry g) {
        boolean chains = !Matmul.vectorized() || (g.filters() > 1 && g.pixels() > 1 && g.depth() > 1
                && (long) g.filters() * g.depth() * g.pixels() >= 2048);
        if (chains) {
            assertArrayEquals(expected, actual, g.toString());
        } else {
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-4f * (1 + Math.abs(expected[i])), g + " at " + i);
            }
        }
    }

    private static void assertClose(double[] expected, double[] actual, Geometry g) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-12 * (1 + Math.abs(expected[i])), g + " at " + i);
        }
    }

    private static float[] floats(Random random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static double[] doubles(Random random, int size) {
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            values[i] = random.nextGaussian();
        }
        return values;
    }
}
