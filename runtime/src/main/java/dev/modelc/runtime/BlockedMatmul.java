package dev.modelc.runtime;

/**
 * Matrix products computed the way fast BLAS libraries do: B is packed in blocks of {@link #KC}
 * x {@link #NC} (kept in the last-level cache), A in blocks of {@link #MC} x {@link #KC} (kept
 * in L2), and a register tile multiplies one sliver of each, its B sliver staying in L1 while
 * it meets every A sliver of the block.
 *
 * <p>A product shared by threads is cut into the same blocks and tiles: the threads pack each
 * block together, then take slivers of B's columns in turn from a counter, so a core slowed by
 * other work takes fewer. The reduction's blocks depend on the shape alone, never on the thread
 * count, and an edge tile is computed by the same tile code through a scratch tile, so each
 * element of C gets the same bits whichever thread computes it.
 */
final class BlockedMatmul {
    static final int KC = 256;
    /**
     * The reduction block of a float product whose C is larger than L2: each block reloads C's
     * tiles from the last-level cache, a latency each tile waits for before its first
     * multiply-add, so such products take longer blocks, with B's sliver read from L2.
     */
    static final int KC_LARGE_C = 512;
    /** Elements of a float C beyond which it is larger than L2 (512 KiB). */
    private static final long LARGE_C = 1L << 17;
    /** A multiple of every tile's row count (6, 5 and 4). */
    static final int MC = 120;
    static final int NC = 4096;

    private BlockedMatmul() {
    }

    /**
     * {@code c = op(a) @ op(b)}, or member {@code member}'s part of it when {@code team} shares it:
     * its share of every packed block, then slivers of B's columns taken from the team's counter.
     * Alone ({@code team} null), the one member packs every block and takes every sliver in
     * turn. The packed blocks live in {@code packing}, which a team's caller has grown with
     * {@link #reserve32} before the members start; {@code work} holds this thread's edge tile.
     */
    static void multiply(float[] a, boolean ta, float[] b, boolean tb, float[] c, int m, int k, int n,
                         boolean vector, MatmulPool team, int member, MatmulWorkspace packing,
                         MatmulWorkspace work) {
        int mr = vector ? VectorTiles.MR : ScalarTiles.MR;
        int nr = vector ? VectorTiles.NR_F32 : ScalarTiles.NR;
        if (team != null && SharedMatmul.fits(m, k, n, mr, nr)) {
            SharedMatmul.multiply(a, ta, b, tb, c, m, k, n, vector, team, packing, work);
            return;
        }
        if (PanelMatmul.fits(tb, m, k)) {
            PanelMatmul.multiply(a, ta, b, c, m, k, n, vector, team, member, packing, work);
            return;
        }
        int kcMax = reductionBlock32(m, k, n);
        float[] packedA = packing.packedA32(packedASize(m, kcMax, mr));
        float[] packedB = packing.packedB32(packedBSize(n, kcMax, nr));
        int members = team == null ? 1 : team.members();
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int bSlivers = (nc + nr - 1) / nr;
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    // No member still reads the blocks about to be packed over.
                    await(team);
                    if (ic == 0) {
                        int t0 = share(bSlivers, member, members);
                        int cols = Math.min(nc, share(bSlivers, member + 1, members) * nr) - t0 * nr;
                        if (cols > 0) {
                            MatmulPacking.packB(b, tb, k, n, pc, kc, jc + t0 * nr, cols, nr, packedB, t0 * kc * nr);
                        }
                    }
                    int aSlivers = (mc + mr - 1) / mr;
                    int s0 = share(aSlivers, member, members);
                    int rowsOfA = Math.min(mc, share(aSlivers, member + 1, members) * mr) - s0 * mr;
                    if (rowsOfA > 0) {
                        MatmulPacking.packA(a, ta, m, k, ic + s0 * mr, rowsOfA, pc, kc, mr, packedA, s0 * kc * mr);
                    }
                    await(team);
                    for (int t = claim(team, -MatmulPool.CLAIM); t < bSlivers; t = claim(team, t)) {
                        int end = Math.min(bSlivers, t + MatmulPool.CLAIM);
                        for (int jr = t * nr; jr < end * nr; jr += nr) {
                            for (int ir = 0; ir < mc; ir += mr) {
                                int rows = Math.min(mr, mc - ir);
                                int cols = Math.min(nr, nc - jr);
                                tile(packedA, ir * kc, packedB, jr * kc, kc, c, (ic + ir) * n + jc + jr, n,
                                        pc > 0, rows, cols, mr, nr, vector, work.tile32());
                            }
                        }
                    }
                }
            }
        }
    }

    /** One tile, through the scratch tile {@code edge} when it hangs over C's last rows or columns. */
    static void tile(float[] a, int ao, float[] b, int bo, int kc, float[] c, int co, int ldc,
                             boolean accumulate, int rows, int cols, int mr, int nr, boolean vector, float[] edge) {
        if (rows == mr && cols == nr) {
            if (vector) {
                VectorTiles.tile(a, ao, b, bo, kc, c, co, ldc, accumulate);
            } else {
                ScalarTiles.tile(a, ao, b, bo, kc, c, co, ldc, accumulate);
            }
            return;
        }
        if (accumulate) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(c, co + r * ldc, edge, r * nr, cols);
            }
        }
        if (vector) {
            VectorTiles.tile(a, ao, b, bo, kc, edge, 0, nr, accumulate);
        } else {
            ScalarTiles.tile(a, ao, b, bo, kc, edge, 0, nr, accumulate);
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(edge, r * nr, c, co + r * ldc, cols);
        }
    }

    /** {@link #multiply(float[], boolean, float[], boolean, float[], int, int, int, boolean, MatmulPool, int,
     * MatmulWorkspace, MatmulWorkspace)} in double. */
    static void multiply(double[] a, boolean ta, double[] b, boolean tb, double[] c, int m, int k, int n,
                         boolean vector, MatmulPool team, int member, MatmulWorkspace packing,
                         MatmulWorkspace work) {
        int mr = vector ? VectorTiles.MR : ScalarTiles.MR;
        int nr = vector ? VectorTiles.NR_F64 : ScalarTiles.NR;
        int kcMax = reductionBlock(k);
        double[] packedA = packing.packedA64(packedASize(m, kcMax, mr));
        double[] packedB = packing.packedB64(packedBSize(n, kcMax, nr));
        int members = team == null ? 1 : team.members();
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int bSlivers = (nc + nr - 1) / nr;
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    // No member still reads the blocks about to be packed over.
                    await(team);
                    if (ic == 0) {
                        int t0 = share(bSlivers, member, members);
                        int cols = Math.min(nc, share(bSlivers, member + 1, members) * nr) - t0 * nr;
                        if (cols > 0) {
                            MatmulPacking.packB(b, tb, k, n, pc, kc, jc + t0 * nr, cols, nr, packedB, t0 * kc * nr);
                        }
                    }
                    int aSlivers = (mc + mr - 1) / mr;
                    int s0 = share(aSlivers, member, members);
                    int rowsOfA = Math.min(mc, share(aSlivers, member + 1, members) * mr) - s0 * mr;
                    if (rowsOfA > 0) {
                        MatmulPacking.packA(a, ta, m, k, ic + s0 * mr, rowsOfA, pc, kc, mr, packedA, s0 * kc * mr);
                    }
                    await(team);
                    for (int t = claim(team, -MatmulPool.CLAIM); t < bSlivers; t = claim(team, t)) {
                        int end = Math.min(bSlivers, t + MatmulPool.CLAIM);
                        for (int jr = t * nr; jr < end * nr; jr += nr) {
                            for (int ir = 0; ir < mc; ir += mr) {
                                int rows = Math.min(mr, mc - ir);
                                int cols = Math.min(nr, nc - jr);
                                tile(packedA, ir * kc, packedB, jr * kc, kc, c, (ic + ir) * n + jc + jr, n,
                                        pc > 0, rows, cols, mr, nr, vector, work.tile64());
                            }
                        }
                    }
                }
            }
        }
    }

    private static void tile(double[] a, int ao, double[] b, int bo, int kc, double[] c, int co, int ldc,
                             boolean accumulate, int rows, int cols, int mr, int nr, boolean vector, double[] edge) {
        if (rows == mr && cols == nr) {
            if (vector) {
                VectorTiles.tile(a, ao, b, bo, kc, c, co, ldc, accumulate);
            } else {
                ScalarTiles.tile(a, ao, b, bo, kc, c, co, ldc, accumulate);
            }
            return;
        }
        if (accumulate) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(c, co + r * ldc, edge, r * nr, cols);
            }
        }
        if (vector) {
            VectorTiles.tile(a, ao, b, bo, kc, edge, 0, nr, accumulate);
        } else {
            ScalarTiles.tile(a, ao, b, bo, kc, edge, 0, nr, accumulate);
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(edge, r * nr, c, co + r * ldc, cols);
        }
    }

    /**
     * The reduction's block length: at most {@link #KC}, in equal blocks, so that no block is
     * a short remainder (784 = 4 x 196, not 3 x 256 + 16). It depends on k alone.
     */
    static int reductionBlock(int k) {
        return equalBlocks(k, KC);
    }

    /** The reduction's block length for a float product: at most {@link #KC_LARGE_C} when C is larger than L2. */
    static int reductionBlock32(int m, int k, int n) {
        return equalBlocks(k, (long) m * n > LARGE_C ? KC_LARGE_C : KC);
    }

    private static int equalBlocks(int k, int most) {
        int blocks = (k + most - 1) / most;
        return (k + blocks - 1) / blocks;
    }

    /** Whether a team shares the float product without barriers, any member free to stay out (see {@link SharedMatmul}). */
    static boolean open32(int m, int k, int n, boolean vector) {
        return SharedMatmul.fits(m, k, n, vector ? VectorTiles.MR : ScalarTiles.MR,
                vector ? VectorTiles.NR_F32 : ScalarTiles.NR);
    }

    /** Grows {@code packing}'s float blocks to what the product needs, before a team shares them. */
    static void reserve32(MatmulWorkspace packing, int m, int k, int n, boolean tb, boolean vector) {
        int mr = vector ? VectorTiles.MR : ScalarTiles.MR;
        int nr = vector ? VectorTiles.NR_F32 : ScalarTiles.NR;
        if (SharedMatmul.fits(m, k, n, mr, nr)) {
            packing.packedA32(SharedMatmul.sharedSize(m, k, n, mr, nr));
            return;
        }
        if (PanelMatmul.fits(tb, m, k)) {
            packing.packedA32(PanelMatmul.packedASize(m, k, mr));
            return;
        }
        int kc = reductionBlock32(m, k, n);
        packing.packedA32(packedASize(m, kc, mr));
        packing.packedB32(packedBSize(n, kc, nr));
    }

    /** {@link #reserve32} for double blocks. */
    static void reserve64(MatmulWorkspace packing, int m, int k, int n, boolean vector) {
        int nr = vector ? VectorTiles.NR_F64 : ScalarTiles.NR;
        packing.packedA64(packedASize(m, reductionBlock(k), vector ? VectorTiles.MR : ScalarTiles.MR));
        packing.packedB64(packedBSize(n, reductionBlock(k), nr));
    }

    private static int packedASize(int m, int kc, int mr) {
        return roundUp(Math.min(MC, m), mr) * kc;
    }

    private static int packedBSize(int n, int kc, int nr) {
        return roundUp(Math.min(NC, n), nr) * kc;
    }

    private static void await(MatmulPool team) {
        if (team != null) {
            team.await();
        }
    }

    /** The first of the next {@link MatmulPool#CLAIM} slivers: from the team's counter, or after {@code last}. */
    private static int claim(MatmulPool team, int last) {
        return team == null ? last + MatmulPool.CLAIM : team.claim();
    }

    /** Where part {@code part} of {@code count} items starts when they are shared out evenly among {@code parts}. */
    static int share(int count, int part, int parts) {
        return (int) ((long) count * part / parts);
    }

    static int roundUp(int value, int multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }
}
