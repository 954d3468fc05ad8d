package dev.modelc.runtime.plot;

/**
 * Thins a long curve to what its pixels can show: of the points that fall in one pixel column,
 * the first, the lowest, the highest and the last are kept, in order, so spikes survive.
 */
final class Decimation {
    private Decimation() {
    }

    /** Rewrites the first {@code count} points in place; returns how many remain. */
    static int byColumn(double[] xs, double[] ys, int count) {
        if (count <= 4) {
            return count;
        }
        int kept = 0;
        int start = 0;
        while (start < count) {
            long column = (long) Math.floor(xs[start]);
            int end = start;
            int low = start;
            int high = start;
            while (end + 1 < count && (long) Math.floor(xs[end + 1]) == column) {
                end++;
                low = ys[end] < ys[low] ? end : low;
                high = ys[end] > ys[high] ? end : high;
            }
            int[] picks = {start, Math.min(low, high), Math.max(low, high), end};
            int previous = -1;
            for (int pick : picks) {
                if (pick != previous) {
                    xs[kept] = xs[pick];
                    ys[kept] = ys[pick];
                    kept++;
                    previous = pick;
                }
            }
            start = end + 1;
        }
        return kept;
    }
}
