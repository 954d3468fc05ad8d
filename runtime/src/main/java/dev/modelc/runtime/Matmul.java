package dev.modelc.runtime;

import java.util.Arrays;

/**
 * Matrix products for generated code: {@code c = op(a) @ op(b)}, where {@code op} transposes
 * when asked. Matrices are row-major; {@code c} is m x n and is overwritten.
 *
 * <p>Products are blocked for the caches, their operands packed, and computed in register
 * tiles: in the Vector API when the JVM runs with {@code --add-modules jdk.incubator.vector},
 * in plain Java otherwise. Small float products are read in place by vector tiles, narrow
 * ones (fewer columns than a tile) included, and thin ones (a single row or column) run as
 * loops that carry several sums at once. A float product by a transposed B with a short A
 * (a layer's input gradient) packs B in panels along the whole reduction, so that B's rows are
 * read from end to end. Large products are shared by up to
 * {@link #threads()} threads, which pack each block together and then take its tiles in turn,
 * or, where one operand packed whole fits in L2, pack that operand together and take pieces of
 * the other without meeting again; each tile is computed the same way whoever takes it, so the
 * result has the same bits whatever the thread count. The system properties {@code modelc.threads} (default: every
 * processor) and {@code modelc.vector} ({@code false} forces plain Java) set the defaults. Without the
 * module, the first use of this class logs once, on the {@link System.Logger} {@code dev.modelc.runtime}, that
 * products run in plain Java and which flag enables the fast kernels.
 */
public final class Matmul {
    /** Multiply-adds below which a product is not worth packing. */
    private static final long DIRECT_WORK = 2048;
    /** Multiply-adds from which a product is shared between threads: about 40 µs of one core. */
    private static final long PARALLEL_WORK = 1L << 21;
    /** Elements of B (k x n) up to which a one-thread float product reads B in place, unpacked (in L2). */
    private static final long UNPACKED_B = 32 * 1024;
    /** Multiply-adds up to which unpacked tiles win; beyond, the packed tiles are faster. */
    private static final long UNPACKED_WORK = 1L << 20;
    private static final boolean VECTOR_AVAILABLE = VectorModule.present();

    private static volatile boolean vectorized =
            VECTOR_AVAILABLE && !"false".equals(System.getProperty("modelc.vector"));
    private static volatile int threads = Math.max(1,
            Integer.getInteger("modelc.threads", Runtime.getRuntime().availableProcessors()));
    private static MatmulPool pool;

    private Matmul() {
    }

    /** Whether the Vector API module is in this JVM, so vector kernels can run. */
    public static boolean vectorAvailable() {
        return VECTOR_AVAILABLE;
    }

    /** Whether products use the vector kernels. */
    public static boolean vectorized() {
        return vectorized;
    }

    /** Chooses vector or plain Java kernels; vector kernels need the module (see {@link #vectorAvailable()}). */
    public static void setVectorized(boolean on) {
        if (on && !VECTOR_AVAILABLE) {
            throw new IllegalStateException("the Vector API is not available: run the JVM with "
                    + VectorModule.FLAG);
        }
        vectorized = on;
    }

    /** The most threads one product is shared by. */
    public static int threads() {
        return threads;
    }

    /** Sets the most threads one product is shared by; 1 keeps every product on the calling thread. */
    public static void setThreads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + count);
        }
        threads = count;
    }

    /**
     * @param a m x k, or k x m when {@code ta}
     * @param b k x n, or n x k when {@code tb}
     */
    public static void multiply(double[] a, boolean ta, double[] b, boolean tb, double[] c, int m, int k, int n) {
        checkSizes(a.length, b.length, c.length, m, k, n);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            Arrays.fill(c, 0, m * n, 0.0);
        } else if (isThin(m, k, n)) {
            DirectMatmul.multiply(a, ta, b, tb, c, m, k, n, vectorized);
        } else {
            boolean vector = vectorized;
            int parts = parts(m, k, n);
            if (parts < 2 || !pool(parts).run(a, ta, b, tb, c, m, k, n, vector, parts)) {
                MatmulWorkspace work = MatmulWorkspace.current();
                BlockedMatmul.multiply(a, ta, b, tb, c, m, k, n, vector, null, 0, work, work);
            }
        }
    }

    /** The same product in float. */
    public static void multiply(float[] a, boolean ta, float[] b, boolean tb, float[] c, int m, int k, int n) {
        checkSizes(a.length, b.length, c.length, m, k, n);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            Arrays.fill(c, 0, m * n, 0f);
        } else if (isThin(m, k, n)) {
            DirectMatmul.multiply(a, ta, b, tb, c, m, k, n, vectorized);
        } else if (!vectorized || !unpacked(a, ta, b, tb, c, m, k, n)) {
            boolean vector = vectorized;
            int parts = parts(m, k, n);
            if (parts < 2 || !pool(parts).run(a, ta, b, tb, c, m, k, n, vector, parts)) {
                MatmulWorkspace work = MatmulWorkspace.current();
                BlockedMatmul.multiply(a, ta, b, tb, c, m, k, n, vector, null, 0, work, work);
            }
        }
    }

    /**
     * Small one-thread products, read in place by the vector kernels, which want B's rows
     * contiguous; false, having done nothing, for other shapes. A transposed B is transposed
     * once into scratch, which costs k x n copies against m x k x n multiply-adds, while
     * packing would also copy A and go through a scratch tile at every edge.
     */
    private static boolean unpacked(float[] a, boolean ta, float[] b, boolean tb, float[] c, int m, int k, int n) {
        if ((long) m * k * n > UNPACKED_WORK) {
            return false;
        }
        int width = VectorDirect.COLUMNS;
        boolean smallB = (long) k * Math.max(n, width) <= UNPACKED_B;
        if (!tb && n % width == 0 && smallB) {
            VectorDirect.multiply(a, ta, b, c, m, k, n);
        } else if (tb && n % width == 0 && smallB) {
            float[] transposed = MatmulWorkspace.current().transposed32(k * n);
            VectorDirect.transpose(b, n, k, transposed);
            VectorDirect.multiply(a, ta, transposed, c, m, k, n);
        } else if (!tb && n < width && smallB) {
            // A narrow C, such as a classifier's logits or their weight gradient.
            VectorDirect.multiplyNarrow(a, ta, b, c, m, k, n, MatmulWorkspace.current());
        } else {
            return false;
        }
        return true;
    }

    /**
     * Whether the float product {@code m x k x n} runs on the vector kernels, each element one
     * chain of fused multiply-adds from zero in order of the reduction (the thin products'
     * plain loops multiply and add apart), so that another kernel running the same chains gives
     * its bits.
     */
    static boolean fusedChains(int m, int k, int n) {
        return vectorized && k > 0 && !isThin(m, k, n);
    }

    private static boolean isThin(int m, int k, int n) {
        return m == 1 || n == 1 || (long) m * k * n < DIRECT_WORK;
    }

    /** Threads for a product: one for small ones, else as many as allowed. */
    private static int parts(int m, int k, int n) {
        return (long) m * k * n < PARALLEL_WORK ? 1 : threads;
    }

    private static synchronized MatmulPool pool(int parts) {
        if (pool == null || pool.size() < parts) {
            if (pool != null) {
                pool.stop();
            }
            pool = new MatmulPool(parts - 1);
        }
        return pool;
    }

    private static void checkSizes(int a, int b, int c, int m, int k, int n) {
        if (m < 0 || k < 0 || n < 0 || a < (long) m * k || b < (long) k * n || c < (long) m * n) {
            throw new IllegalArgumentException("arrays of " + a + ", " + b + " and " + c
                    + " elements cannot hold a product of " + m + " x " + k + " by " + k + " x " + n);
        }
    }
}
