package dev.modelc.runtime;

/**
 * A float product shared by a team when one operand, packed whole, fits in L2 (a layer's
 * product over a batch of a few hundred rows, and its gradients): that operand is packed once
 * for the whole team, and the other is cut into pieces that each member takes from a counter,
 * packs into its own workspace and multiplies to the end of the reduction, with no barrier
 * between pieces. The shared operand is A for a short A, pieces being panels of B's columns;
 * B for a small B (a weight gradient {@code Xᵀ @ dY}), pieces being blocks of A's rows.
 *
 * <p>The blocked product meets at two barriers for every block of the reduction and of A's
 * rows, sixteen for a 128 x 784 x 256 product, and a member descheduled by other load holds up
 * the team at each. Here the shared operand's slivers are also taken from a counter, so a
 * member waits only for slivers another member has begun, once, before its first tile. The
 * reduction is cut into the blocked product's blocks, and every tile is the same tile, so each
 * element of C has the same bits as there, on any thread count.
 */
final class SharedMatmul {
    /** The most elements of the operand packed whole for the team: 512 KiB of floats, this core's L2. */
    static final long SHARED = 1L << 17;
    /** B's slivers in a panel that a member takes at a time when A is shared. */
    static final int PANEL = 2;
    /** Row tiles in a block of A that a member takes at a time when B is shared. */
    static final int ROW_TILES = 4;
    /** Slivers of the shared operand a member packs at a time. */
    private static final int PACK = 2;

    private SharedMatmul() {
    }

    /** Whether a team's float product takes this path. */
    static boolean fits(int m, int k, int n, int mr, int nr) {
        int kc = BlockedMatmul.reductionBlock32(m, k, n);
        return Math.min(sharedA(m, k, kc, mr), sharedB(n, k, kc, nr)) <= SHARED;
    }

    /** Whether B rather than A is the operand packed whole. */
    static boolean sharesB(int m, int k, int n, int mr, int nr) {
        int kc = BlockedMatmul.reductionBlock32(m, k, n);
        return sharedB(n, k, kc, nr) < sharedA(m, k, kc, mr);
    }

    /** Elements of the shared operand, for {@code packing}'s A buffer before the team starts. */
    static int sharedSize(int m, int k, int n, int mr, int nr) {
        int kc = BlockedMatmul.reductionBlock32(m, k, n);
        return (int) (sharesB(m, k, n, mr, nr) ? sharedB(n, k, kc, nr) : sharedA(m, k, kc, mr));
    }

    private static long sharedA(int m, int k, int kc, int mr) {
        return (long) BlockedMatmul.roundUp(m, mr) * BlockedMatmul.roundUp(k, kc);
    }

    private static long sharedB(int n, int k, int kc, int nr) {
        return (long) BlockedMatmul.roundUp(n, nr) * BlockedMatmul.roundUp(k, kc);
    }

    /**
     * Member {@code member}'s part of {@code c = op(a) @ op(b)}: the shared operand lives in
     * {@code packing}'s A buffer (grown by the team's caller), the member's pieces and edge
     * tile in {@code work}.
     */
    static void multiply(float[] a, boolean ta, float[] b, boolean tb, float[] c, int m, int k, int n,
                         boolean vector, MatmulPool team, MatmulWorkspace packing, MatmulWorkspace work) {
        int mr = vector ? VectorTiles.MR : ScalarTiles.MR;
        int nr = vector ? VectorTiles.NR_F32 : ScalarTiles.NR;
        int kcMax = BlockedMatmul.reductionBlock32(m, k, n);
        float[] shared = packing.packedA32(sharedSize(m, k, n, mr, nr));
        float[] edge = work.tile32();
        if (sharesB(m, k, n, mr, nr)) {
            int cols = BlockedMatmul.roundUp(n, nr);
            int slivers = cols / nr;
            for (int s = team.packClaim(PACK); s < slivers; s = team.packClaim(PACK)) {
                int end = Math.min(slivers, s + PACK);
                int width = Math.min(n, end * nr) - s * nr;
                for (int pc = 0; pc < k; pc += kcMax) {
                    int kc = Math.min(kcMax, k - pc);
                    MatmulPacking.packB(b, tb, k, n, pc, kc, s * nr, width, nr, shared, pc * cols + s * kc * nr);
                }
                team.packed(end - s);
            }
            int block = ROW_TILES * mr;
            int blocks = (m + block - 1) / block;
            float[] mine = work.packedA32(block * kcMax);
            boolean ready = false;
            for (int t = team.claim(1); t < blocks; t = team.claim(1)) {
                int i0 = t * block;
                int mc = Math.min(block, m - i0);
                for (int pc = 0; pc < k; pc += kcMax) {
                    int kc = Math.min(kcMax, k - pc);
                    MatmulPacking.packA(a, ta, m, k, i0, mc, pc, kc, mr, mine, 0);
                    if (!ready) {
                        team.awaitPacked(slivers);
                        ready = true;
                    }
                    for (int jr = 0; jr < n; jr += nr) {
                        for (int ir = 0; ir < mc; ir += mr) {
                            BlockedMatmul.tile(mine, ir * kc, shared, pc * cols + jr * kc, kc, c, (i0 + ir) * n + jr,
                                    n, pc > 0, Math.min(mr, mc - ir), Math.min(nr, n - jr), mr, nr, vector, edge);
                        }
                    }
                }
            }
        } else {
            int rows = BlockedMatmul.roundUp(m, mr);
            int slivers = rows / mr;
            for (int s = team.packClaim(PACK); s < slivers; s = team.packClaim(PACK)) {
                int end = Math.min(slivers, s + PACK);
                int height = Math.min(m, end * mr) - s * mr;
                for (int pc = 0; pc < k; pc += kcMax) {
                    int kc = Math.min(kcMax, k - pc);
                    MatmulPacking.packA(a, ta, m, k, s * mr, height, pc, kc, mr, shared, pc * rows + s * kc * mr);
                }
                team.packed(end - s);
            }
            int bSlivers = (n + nr - 1) / nr;
            float[] panel = work.packedB32(PANEL * nr * BlockedMatmul.roundUp(k, kcMax));
            boolean ready = false;
            for (int t = team.claim(PANEL); t < bSlivers; t = team.claim(PANEL)) {
                int cols = Math.min(n, (t + PANEL) * nr) - t * nr;
                for (int pc = 0; pc < k; pc += kcMax) {
                    int kc = Math.min(kcMax, k - pc);
                    MatmulPacking.packB(b, tb, k, n, pc, kc, t * nr, cols, nr, panel, pc * PANEL * nr);
                }
                if (!ready) {
                    team.awaitPacked(slivers);
                    ready = true;
                }
                for (int pc = 0; pc < k; pc += kcMax) {
                    int kc = Math.min(kcMax, k - pc);
                    for (int jr = 0; jr < cols; jr += nr) {
                        for (int ir = 0; ir < m; ir += mr) {
                            BlockedMatmul.tile(shared, pc * rows + ir * kc, panel, pc * PANEL * nr + jr * kc, kc, c,
                                    ir * n + t * nr + jr, n, pc > 0, Math.min(mr, m - ir), Math.min(nr, cols - jr),
                                    mr, nr, vector, edge);
                        }
                    }
                }
            }
        }
    }
}
