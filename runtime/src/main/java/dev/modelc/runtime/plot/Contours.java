package dev.modelc.runtime.plot;

import java.util.Arrays;

/**
 * Contour lines of values on a grid by marching squares: each cell whose corners lie on both
 * sides of the level gets a segment between the crossing points of its edges, placed by linear
 * interpolation. A saddle cell is split as the mean of its corners says. Cells with a value
 * that is not finite are left out.
 */
final class Contours {
    private Contours() {
    }

    /**
     * The segments at {@code level}, as x1, y1, x2, y2 in grid coordinates; {@code values[j][i]}
     * is the value at {@code (xs[i], ys[j])}.
     */
    static double[] segments(double[] xs, double[] ys, double[][] values, double level) {
        double[] out = new double[64];
        int count = 0;
        for (int j = 0; j + 1 < ys.length; j++) {
            for (int i = 0; i + 1 < xs.length; i++) {
                double[] corner = {values[j][i], values[j][i + 1], values[j + 1][i + 1], values[j + 1][i]};
                if (!Arrays.stream(corner).allMatch(Double::isFinite)) {
                    continue;
                }
                double[] cell = cell(xs[i], xs[i + 1], ys[j], ys[j + 1], corner, level);
                if (count + cell.length > out.length) {
                    out = Arrays.copyOf(out, 2 * out.length + cell.length);
                }
                System.arraycopy(cell, 0, out, count, cell.length);
                count += cell.length;
            }
        }
        return Arrays.copyOf(out, count);
    }

    /** Corners go counterclockwise from (x0, y0); edges are numbered after the corner they start at. */
    private static double[] cell(double x0, double x1, double y0, double y1, double[] v, double level) {
        int index = 0;
        for (int c = 0; c < 4; c++) {
            if (v[c] > level) {
                index |= 1 << c;
            }
        }
        if (index == 0 || index == 15) {
            return new double[0];
        }
        double[][] points = new double[4][];
        double[][] corners = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
        for (int e = 0; e < 4; e++) {
            int a = e;
            int b = (e + 1) % 4;
            if ((v[a] > level) != (v[b] > level)) {
                double t = (level - v[a]) / (v[b] - v[a]);
                points[e] = new double[] {corners[a][0] + t * (corners[b][0] - corners[a][0]),
                    corners[a][1] + t * (corners[b][1] - corners[a][1])};
            }
        }
        if (index == 5 || index == 10) {
            // A saddle: four crossings. When the center is high, the high corners connect through it.
            boolean centerHigh = (v[0] + v[1] + v[2] + v[3]) / 4 > level;
            boolean firstHigh = index == 5;
            return centerHigh == firstHigh ? join(points[0], points[1], points[2], points[3])
                    : join(points[0], points[3], points[1], points[2]);
        }
        double[] first = null;
        for (double[] p : points) {
            if (p != null && first == null) {
                first = p;
            } else if (p != null) {
                return new double[] {first[0], first[1], p[0], p[1]};
            }
        }
        return new double[0];
    }

    private static double[] join(double[] a, double[] b, double[] c, double[] d) {
        return new double[] {a[0], a[1], b[0], b[1], c[0], c[1], d[0], d[1]};
    }
}
