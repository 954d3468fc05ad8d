package dev.modelc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every form of product (A@B, Aᵀ@B, A@Bᵀ, Aᵀ@Bᵀ) at odd and batch-like sizes, in float and
 * double, through the vector and the plain kernels, on one thread and on two, against a
 * textbook loop in double.
 */
class MatmulTest {
    private static final int[] SIZES = {1, 3, 17, 32, 65};
    private final boolean vectorBefore = Matmul.vectorized();
    private final int threadsBefore = Matmul.threads();
    private final boolean fixedOffsetsBefore = VectorDirect.fixedOffsetsDown;

    /** One way of running products. */
    private record Setting(boolean vector, int threads) {
    }

    @AfterEach
    void restore() {
        Matmul.setVectorized(vectorBefore);
        Matmul.setThreads(threadsBefore);
        VectorDirect.fixedOffsetsDown = fixedOffsetsBefore;
    }

    @Test
    void theVectorKernelsRunWhenTheModuleIsPresent() {
        // The test JVM is started with --add-modules jdk.incubator.vector (see runtime/pom.xml).
        assertTrue(Matmul.vectorAvailable());
        assertTrue(Matmul.vectorized());
    }

    @Test
    void theTileHeightIsTheOneAskedFor() {
        // runtime/pom.xml runs this class a second time with -Dmodelc.tileRows=5.
        Integer asked = Integer.getInteger("modelc.tileRows");
        int expected = asked != null ? asked : Runtime.version().feature() <= 17 ? 6 : 5;
        assertEquals(expected, VectorTiles.MR);
    }

    @Test
    void everyFormAndOddSizeMatchesTheTextbookProduct() {
        for (Setting setting : settings()) {
            apply(setting);
            for (int m : SIZES) {
                for (int k : SIZES) {
                    for (int n : SIZES) {
                        for (int form = 0; form < 4; form++) {
                            checkBoth(m, k, n, form, setting);
                        }
                    }
                }
            }
        }
    }

    @Test
    void largeProductsCrossEveryBlockBoundaryAndAreShared() {
        // k > KC (two reduction blocks), m > MC (two row blocks), n > NC (two column blocks),
        // and sizes large enough to be shared between threads, split by rows and by columns.
        int[][] shapes = {{150, 520, 40}, {37, 300, 200}, {7, 5, 4100}, {290, 129, 131}};
        for (Setting setting : settings()) {
            apply(setting);
            for (int[] shape : shapes) {
                for (int form = 0; form < 4; form++) {
                    checkBoth(shape[0], shape[1], shape[2], form, setting);
                }
            }
        }
    }

    @Test
    void theBitsDoNotDependOnTheThreadCount() {
        int[][] shapes = {{150, 520, 40}, {37, 300, 200}, {290, 129, 131}};
        for (boolean vector : new boolean[] {false, true}) {
            Matmul.setVectorized(vector);
            for (int[] shape : shapes) {
                for (int form = 0; form < 4; form++) {
                    Operands f = new Operands(shape[0], shape[1], shape[2], form, 11);
                    Matmul.setThreads(1);
                    float[] one = f.product32();
                    double[] one64 = f.product64();
                    Matmul.setThreads(2);
                    assertArrayEquals(one, f.product32(), "f32 " + f);
                    assertArrayEquals(one64, f.product64(), "f64 " + f);
                }
            }
        }
    }

    @Test
    void productsSharedWithOneOperandPackedWholeGiveTheInOrderChains() {
        // W5's products on two threads: A packed whole for the team and B's panels taken in
        // turn (128 x 784 x 256, 128 x 256 x 256 with B transposed), or B packed whole and
        // blocks of A's rows taken in turn (784 x 128 x 256 and 256 x 128 x 256 with A
        // transposed, a weight gradient); odd sizes leave edge tiles, short panels and a short
        // last block of rows; 600 x 300 x 500 packs neither whole and stays blocked.
        int[][] shapes = {{128, 784, 256, 0}, {128, 256, 256, 2}, {784, 128, 256, 1}, {256, 128, 256, 1},
            {133, 301, 70, 0}, {61, 70, 403, 3}, {301, 77, 45, 1}, {600, 300, 500, 0}};
        int mr = VectorTiles.MR;
        int nr = VectorTiles.NR_F32;
        assertTrue(SharedMatmul.fits(128, 784, 256, mr, nr) && !SharedMatmul.sharesB(128, 784, 256, mr, nr));
        assertTrue(SharedMatmul.fits(784, 128, 256, mr, nr) && SharedMatmul.sharesB(784, 128, 256, mr, nr));
        assertTrue(!SharedMatmul.fits(600, 300, 500, mr, nr));
        for (boolean vector : new boolean[] {false, true}) {
            Matmul.setVectorized(vector);
            for (int[] shape : shapes) {
                Operands f = new Operands(shape[0], shape[1], shape[2], shape[3], 17);
                float[] expected = f.inOrder32(vector);
                for (int round = 0; round < 3; round++) {
                    for (int threads = 2; threads >= 1; threads--) {
                        Matmul.setThreads(threads);
                        assertArrayEquals(expected, f.product32(), "f32 " + f + " vector " + vector
                                + ", threads " + threads);
                    }
                }
            }
        }
    }

    @Test
    void eachElementIsTheInOrderSumOfTheKernel() {
        // Plain kernels add products in order; vector kernels chain fused multiply-adds in
        // order. Either way the result must be that exact value, block cuts notwithstanding,
        // whichever kernel the shape picks: packed, unpacked (n = 48, with six- and four-row
        // tiles for m = 32 and 39, and rows and columns left over for m = 45, n = 40),
        // transposed, or narrow (n < 16: B's rows read a tile wide, the last ones from a padded
        // copy, and a row or three left over for m = 45 and 50; two vectors wide, six-row tiles
        // whose last overlaps the one before for m = 64, 128 and 43, four-row and one-row tiles
        // for m = 5; n = 21 is narrow where a vector holds 16 lanes).
        int[][] shapes = {{20, 300, 35}, {150, 17, 65}, {290, 129, 131}, {37, 40, 48}, {64, 40, 10},
            {32, 24, 32}, {39, 10, 16}, {30, 20, 7}, {45, 30, 40}, {128, 32, 10}, {50, 50, 3}, {45, 30, 5},
            {51, 40, 2}, {43, 20, 13}, {5, 40, 12}, {43, 20, 21}};
        for (Setting setting : settings()) {
            apply(setting);
            for (int[] shape : shapes) {
                for (int form = 0; form < 4; form++) {
                    Operands f = new Operands(shape[0], shape[1], shape[2], form, 5);
                    assertArrayEquals(f.inOrder32(setting.vector()), f.product32(), "f32 " + f + " " + setting);
                    assertArrayEquals(f.inOrder64(setting.vector()), f.product64(), "f64 " + f + " " + setting);
                }
            }
        }
    }

    @Test
    void bothKindsOfTilesForATransposedAGiveTheInOrderChains() {
        // Aᵀ@B's in-place tiles read A at fixed offsets from one index on JDK 17 and at offsets
        // held in variables on later JDKs; each must give every element's in-order chain.
        int[][] shapes = {{64, 32, 128}, {32, 24, 32}, {39, 10, 16}, {45, 30, 40}, {5, 64, 128}, {10, 1, 32},
            {128, 32, 10}, {128, 32, 7}, {20, 30, 5}};
        Matmul.setVectorized(true);
        Matmul.setThreads(1);
        for (boolean fixed : new boolean[] {true, false}) {
            VectorDirect.fixedOffsetsDown = fixed;
            for (int[] shape : shapes) {
                Operands f = new Operands(shape[0], shape[1], shape[2], 1, 17);
                assertArrayEquals(f.inOrder32(true), f.product32(), f + " fixed offsets " + fixed);
                float[] zeros = new float[shape[0] * shape[2]];
                float[] b = new float[shape[1] * shape[2]];
                Arrays.fill(b, -1f);
                Matmul.multiply(new float[shape[0] * shape[1]], true, b, false, zeros, shape[0], shape[1], shape[2]);
                for (float z : zeros) {
                    assertEquals(0, Float.floatToRawIntBits(z), f + " fixed offsets " + fixed);
                }
            }
        }
    }

    @Test
    void productsOfNegativeZerosSumToPositiveZeroAsAChainFromZeroDoes() {
        // A of zeros times B of -1: every term is -0, and a chain started from +0 stays +0
        // (-0 + +0 = +0). A kernel that started a chain from its first product instead of
        // fma(a, b, +0) would end at -0. W4's shapes (in-place tiles of six and four rows, A@B
        // and Aᵀ@B, the narrow ones and a transposed B), narrow ones of at most a vector (eight
        // rows by one vector; W4's own with 16-lane vectors), a packed one and a thin one.
        int[][] shapes = {{32, 64, 128}, {64, 32, 128}, {32, 128, 10}, {128, 32, 10}, {32, 10, 128}, {5, 64, 128},
            {32, 128, 7}, {128, 32, 7}, {150, 300, 40}, {40, 30, 1}};
        for (Setting setting : settings()) {
            apply(setting);
            for (int[] shape : shapes) {
                int m = shape[0];
                int k = shape[1];
                int n = shape[2];
                float[] b = new float[k * n];
                Arrays.fill(b, -1f);
                for (int form = 0; form < 4; form++) {
                    float[] c = new float[m * n];
                    Arrays.fill(c, 7f);
                    Matmul.multiply(new float[m * k], (form & 1) != 0, b, (form & 2) != 0, c, m, k, n);
                    for (int i = 0; i < c.length; i++) {
                        assertEquals(0, Float.floatToRawIntBits(c[i]),
                                "element " + i + " of " + m + "x" + k + "x" + n + " form " + form + " " + setting);
                    }
                }
            }
        }
    }

    @Test
    void thinProductsAreThePlainInOrderSum() {
        // A single column (matrix times vector) or row: plain loops, whichever kernels are chosen,
        // except a float row times B with vectors, which is the tiles' fused chain (RowProductTest).
        // Column counts around the vector kernels' blocks (Aᵀ@b carries 2, 4, 8 or 16 columns
        // a vector), rows around the eight-row loop, and reductions down to one.
        int[][] shapes = {{300, 40, 1}, {1, 40, 30}, {1000, 10, 1}, {10, 1000, 1}, {20, 32, 1}, {17, 50, 1},
            {33, 7, 1}, {3, 9, 1}, {8, 1, 1}, {16, 2, 1}, {65, 3, 1}, {2, 100, 1}};
        for (Setting setting : settings()) {
            apply(setting);
            for (int[] shape : shapes) {
                for (int form = 0; form < 4; form++) {
                    Operands f = new Operands(shape[0], shape[1], shape[2], form, 3);
                    boolean rowKernel = setting.vector() && f.m == 1 && f.n > 1 && !f.tb;
                    assertArrayEquals(f.inOrder32(rowKernel), f.product32(), "f32 " + f + " " + setting);
                    assertArrayEquals(f.inOrder64(false), f.product64(), "f64 " + f + " " + setting);
                }
            }
        }
    }

    @Test
    void aFloatProductWithACLargerThanL2TakesLongerReductionBlocksAndKeepsTheInOrderSum() {
        // C of 20 x 6600 floats: the reduction of 600 in two blocks of 300 rather than three of 200.
        assertEquals(300, BlockedMatmul.reductionBlock32(20, 600, 6600));
        assertEquals(200, BlockedMatmul.reductionBlock32(20, 600, 64));
        for (boolean vector : new boolean[] {false, true}) {
            Matmul.setVectorized(vector);
            for (int form = 0; form < 2; form++) {
                Operands f = new Operands(20, 600, 6600, form, 13);
                float[] expected = f.inOrder32(vector);
                for (int threads = 1; threads <= 2; threads++) {
                    Matmul.setThreads(threads);
                    assertArrayEquals(expected, f.product32(), "f32 " + f + " vector " + vector + ", threads " + threads);
                }
            }
        }
    }

    @Test
    void theTranspositionMovesEveryElementOnce() {
        // Four rows at a time, then one: row counts around a multiple of four.
        for (int rows : new int[] {1, 4, 7, 128, 130}) {
            for (int cols : new int[] {1, 3, 10}) {
                float[] from = new float[rows * cols];
                for (int i = 0; i < from.length; i++) {
                    from[i] = i + 1;
                }
                float[] to = new float[rows * cols + 1];
                VectorDirect.transpose(from, rows, cols, to);
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        assertEquals(from[r * cols + c], to[c * rows + r], rows + " x " + cols + " at " + r + ", " + c);
                    }
                }
                assertEquals(0f, to[rows * cols], "written past the transpose");
            }
        }
    }

    @Test
    void anEmptyReductionGivesZeros() {
        float[] c = {5f, 5f, 5f, 5f};
        Matmul.multiply(new float[0], false, new float[0], false, c, 2, 0, 2);
        assertArrayEquals(new float[4], c);
    }

    @Test
    void arraysTooSmallForTheShapeAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Matmul.multiply(new double[5], false, new double[6], false, new double[4], 2, 3, 2));
        assertEquals("arrays of 5, 6 and 4 elements cannot hold a product of 2 x 3 by 3 x 2", e.getMessage());
    }

    private static List<Setting> settings() {
        List<Setting> settings = new ArrayList<>();
        for (boolean vector : new boolean[] {false, true}) {
            for (int threads : new int[] {1, 2}) {
                settings.add(new Setting(vector, threads));
            }
        }
        return settings;
    }

    private static void apply(Setting setting) {
        Matmul.setVectorized(setting.vector());
        Matmul.setThreads(setting.threads());
    }

    private static void checkBoth(int m, int k, int n, int form, Setting setting) {
        Operands f = new Operands(m, k, n, form, 31L * m + 7L * k + n);
        double[] reference = f.reference();
        double[] bounds = f.errorScale();
        float[] c32 = f.product32();
        double[] c64 = f.product64();
        for (int i = 0; i < m * n; i++) {
            // Rounding error of a k-term sum is at most about k units of the sum of |terms|.
            double tol32 = (k + 2) * 0x1p-24 * bounds[i];
            double tol64 = (k + 2) * 0x1p-53 * bounds[i];
            if (Math.abs(c32[i] - reference[i]) > tol32 || Math.abs(c64[i] - reference[i]) > tol64) {
                throw new AssertionError(f + " " + setting + " element " + i + ": f32 " + c32[i] + ", f64 "
                        + c64[i] + ", expected " + reference[i]);
            }
        }
    }
}
