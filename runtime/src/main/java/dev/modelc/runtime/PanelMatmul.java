package dev.modelc.runtime;

/**
 * {@code c = op(a) @ Bᵀ} for a short A (at most {@link #ROWS} rows), such as a layer's input
 * gradient {@code dY @ Wᵀ}: A is packed whole, once, and B in panels of
 * {@link MatmulPool#CLAIM} slivers over the whole reduction, each panel computed to the end
 * before the next is packed.
 *
 * <p>The blocked order packs B a reduction block at a time, {@link BlockedMatmul#KC} elements
 * of each of its rows, so a large B stored n x k is read as thousands of short pieces far
 * apart, which the memory prefetchers do not follow; a panel reads its rows from end to end.
 * Threads pack A together, then each takes whole panels into its own workspace, with no
 * barrier between them. The reduction is cut into the blocked product's blocks and every tile
 * is the same tile, so each element of C has the same bits as there, on any thread count.
 */
final class PanelMatmul {
    /** The most rows of A: a block of A, {@code ROWS x KC}, stays in L2 while a panel's slivers meet it. */
    static final int ROWS = 256;
    /** The most elements of A packed whole (16 MiB of floats). */
    private static final long PACKED_A = 1L << 22;

    private PanelMatmul() {
    }

    /** Whether a product with B transposed takes this path. */
    static boolean fits(boolean tb, int m, int k) {
        // m + 5 rows: A's rows rounded up to whole tiles of at most six.
        return tb && m <= ROWS && (long) (m + 5) * k <= PACKED_A;
    }

    /** A packed whole, in its reduction blocks, for tiles of {@code mr} rows. */
    static int packedASize(int m, int k, int mr) {
        return BlockedMatmul.roundUp(m, mr) * BlockedMatmul.roundUp(k, BlockedMatmul.reductionBlock(k));
    }

    /**
     * Member {@code member}'s part of the product, alone when {@code team} is null; the packed
     * A lives in {@code packing} (grown by the caller of a team), the panels and the edge tile in
     * {@code work}.
     */
    static void multiply(float[] a, boolean ta, float[] b, float[] c, int m, int k, int n, boolean vector,
                         MatmulPool team, int member, MatmulWorkspace packing, MatmulWorkspace work) {
        int mr = vector ? VectorTiles.MR : ScalarTiles.MR;
        int nr = vector ? VectorTiles.NR_F32 : ScalarTiles.NR;
        int kcMax = BlockedMatmul.reductionBlock(k);
        int rows = BlockedMatmul.roundUp(m, mr);
        int members = team == null ? 1 : team.members();
        float[] packedA = packing.packedA32(packedASize(m, k, mr));
        int aSlivers = rows / mr;
        int s0 = BlockedMatmul.share(aSlivers, member, members);
        int s1 = BlockedMatmul.share(aSlivers, member + 1, members);
        for (int pc = 0; pc < k; pc += kcMax) {
            int kc = Math.min(kcMax, k - pc);
            int mine = Math.min(m, s1 * mr) - s0 * mr;
            if (mine > 0) {
                MatmulPacking.packA(a, ta, m, k, s0 * mr, mine, pc, kc, mr, packedA, pc * rows + s0 * kc * mr);
            }
        }
        if (team != null) {
            team.await();
        }
        int bSlivers = (n + nr - 1) / nr;
        float[] panel = work.packedB32(MatmulPool.CLAIM * nr * BlockedMatmul.roundUp(k, kcMax));
        float[] edge = work.tile32();
        int t = team == null ? 0 : team.claim();
        while (t < bSlivers) {
            int cols = Math.min(n, (t + MatmulPool.CLAIM) * nr) - t * nr;
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                MatmulPacking.packB(b, true, k, n, pc, kc, t * nr, cols, nr, panel, pc * MatmulPool.CLAIM * nr);
            }
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                for (int jr = 0; jr < cols; jr += nr) {
                    for (int ir = 0; ir < m; ir += mr) {
                        BlockedMatmul.tile(packedA, pc * rows + ir * kc, panel, pc * MatmulPool.CLAIM * nr + jr * kc,
                                kc, c, ir * n + t * nr + jr, n, pc > 0, Math.min(mr, m - ir), Math.min(nr, cols - jr),
                                mr, nr, vector, edge);
                    }
                }
            }
            t = team == null ? t + MatmulPool.CLAIM : team.claim();
        }
    }
}
