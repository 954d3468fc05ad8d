package dev.modelc.runtime.plot;

import java.util.Arrays;
import java.util.Locale;

/**
 * The descent of a model with two scalar parameters: contour lines of the loss over a grid of
 * the two, colored from blue (low) to red (high), and the path the parameters took across
 * them, a dot per step, from the start (a ring) to the end (a filled dot).
 */
final class ContourChart {
    private static final int LEVELS = 14;
    private static final String[] RAMP = {"#3b4cc0", "#5d8ce8", "#48b5c4", "#6cc26a", "#d6c64a", "#f08a3c",
        "#d1372b"};
    private final String title;
    private final Plots.Descent descent;
    private final double[] gridX;
    private final double[] gridY;
    private final double[][] values;

    ContourChart(String title, Plots.Descent descent, double[] gridX, double[] gridY, double[][] values) {
        this.title = title;
        this.descent = descent;
        this.gridX = gridX;
        this.gridY = gridY;
        this.values = values;
    }

    void draw(Canvas canvas, double x, double y, double width, double height) {
        Frame frame = new Frame(x, y, width, height);
        Scale xs = frame.horizontal(gridX[0], gridX[gridX.length - 1], false);
        Scale ys = frame.vertical(gridY[0], gridY[gridY.length - 1], false);
        frame.draw(canvas, xs, ys, title, descent.xName(), descent.yName());
        frame.clip(canvas);
        double[] levels = levels();
        for (int k = 0; k < levels.length; k++) {
            double[] segments = Contours.segments(gridX, gridY, values, levels[k]);
            for (int i = 0; i < segments.length; i += 2) {
                segments[i] = xs.pixel(segments[i]);
                segments[i + 1] = ys.pixel(segments[i + 1]);
            }
            String color = RAMP[(int) Math.round((RAMP.length - 1) * k / (double) Math.max(1, levels.length - 1))];
            canvas.segments(segments, segments.length / 4, Canvas.Stroke.solid(color, 1.2));
        }
        drawPath(canvas, xs, ys);
        canvas.unclip();
    }

    /**
     * Levels at quantiles of the grid's finite values, so the lines spread over the picture
     * whatever the loss's shape: closer together towards the minimum, where the path slows, and
     * short of the grid's corners, so the outermost lines still close. Repeated levels (flat
     * regions) are drawn once.
     */
    double[] levels() {
        double[] finite = Arrays.stream(values).flatMapToDouble(Arrays::stream).filter(Double::isFinite).sorted()
                .toArray();
        if (finite.length == 0) {
            return new double[0];
        }
        double[] levels = new double[LEVELS];
        for (int k = 0; k < LEVELS; k++) {
            double q = 0.95 * Math.pow((k + 1.0) / LEVELS, 1.5);
            levels[k] = finite[(int) Math.min(finite.length - 1, Math.round(q * (finite.length - 1)))];
        }
        return Arrays.stream(levels).distinct().toArray();
    }

    private void drawPath(Canvas canvas, Scale xs, Scale ys) {
        double[] px = new double[descent.xs().length];
        double[] py = new double[px.length];
        for (int i = 0; i < px.length; i++) {
            px[i] = xs.pixel(descent.xs()[i]);
            py[i] = ys.pixel(descent.ys()[i]);
        }
        canvas.polyline(px, py, px.length, Canvas.Stroke.solid(Frame.INK, 1.5));
        int every = Math.max(1, px.length / 150);
        for (int i = 0; i < px.length; i += every) {
            canvas.circle(px[i], py[i], 2.6, Frame.INK, null);
        }
        if (px.length > 0) {
            int last = px.length - 1;
            canvas.circle(px[0], py[0], 6, null, Canvas.Stroke.solid(Frame.INK, 2));
            canvas.circle(px[last], py[last], 5, "#d1372b", Canvas.Stroke.solid(Frame.INK, 1.5));
            canvas.text(px[0] + 10, py[0] - 8, "start " + point(0), 12, Canvas.Anchor.START, Frame.INK, false);
            canvas.text(px[last] + 10, py[last] - 8, "end " + point(last), 12, Canvas.Anchor.START, Frame.INK,
                    false);
        }
    }

    private String point(int i) {
        return String.format(Locale.ROOT, "(%.4g, %.4g)", descent.xs()[i], descent.ys()[i]);
    }
}
