package dev.modelc.runtime.plot;

import java.util.ArrayList;
import java.util.List;

/**
 * Loss curves over steps in one frame, with a legend. The y axis is logarithmic when every
 * value is positive and they span more than two decades. Values above the chart's top, and
 * values that are not finite, leave the frame: a curve is cut there and marked with a cross,
 * so a diverging run shows where it left rather than squeezing every other curve flat.
 */
final class LineChart {
    static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

    private final String title;
    private final String yLabel;
    private final List<Plots.Curve> curves;
    private final double top;
    private final int firstColor;

    /** {@code top} is the highest value shown, or infinity to show every finite value. */
    LineChart(String title, String yLabel, List<Plots.Curve> curves, double top) {
        this(title, yLabel, curves, top, 0);
    }

    /** The same, the curves colored from the palette's {@code firstColor}-th color on. */
    LineChart(String title, String yLabel, List<Plots.Curve> curves, double top, int firstColor) {
        this.title = title;
        this.yLabel = yLabel;
        this.curves = List.copyOf(curves);
        this.top = top;
        this.firstColor = firstColor;
    }

    private String color(int curve) {
        return PALETTE[(firstColor + curve) % PALETTE.length];
    }

    void draw(Canvas canvas, double x, double y, double width, double height) {
        Frame frame = new Frame(x, y, width, height);
        double[] bounds = bounds();
        boolean log = bounds[0] > 0 && bounds[1] / bounds[0] > 100;
        double[] yRange = Scale.range(bounds[0], bounds[1], log);
        double lastStep = 1;
        for (Plots.Curve c : curves) {
            lastStep = Math.max(lastStep, c.steps().length == 0 ? 1 : c.steps()[c.steps().length - 1]);
        }
        Scale xs = frame.horizontal(0, lastStep, false);
        Scale ys = frame.vertical(yRange[0], yRange[1], log);
        frame.draw(canvas, xs, ys, title, "step", yLabel + (log ? " (log scale)" : ""));
        frame.clip(canvas);
        for (int i = 0; i < curves.size(); i++) {
            drawCurve(canvas, frame, xs, ys, curves.get(i), color(i));
        }
        canvas.unclip();
        legend(canvas, frame);
    }

    /** The least and greatest value shown: finite, at most the top, and above 0 when possible. */
    private double[] bounds() {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Plots.Curve c : curves) {
            for (double v : c.losses()) {
                if (Double.isFinite(v) && v <= top) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (min > max) {
            return new double[] {0, 1};
        }
        if (Double.isFinite(top)) {
            max = top;
        }
        return new double[] {min, max};
    }

    private void drawCurve(Canvas canvas, Frame frame, Scale xs, Scale ys, Plots.Curve curve, String color) {
        double[] steps = curve.steps();
        double[] losses = curve.losses();
        int shown = 0;
        while (shown < losses.length && Double.isFinite(losses[shown]) && losses[shown] <= top
                && (!ys.log() || losses[shown] > 0)) {
            shown++;
        }
        double[] px = new double[shown];
        double[] py = new double[shown];
        for (int i = 0; i < shown; i++) {
            px[i] = xs.pixel(steps[i]);
            py[i] = ys.pixel(losses[i]);
        }
        int count = Decimation.byColumn(px, py, shown);
        canvas.polyline(px, py, count, Canvas.Stroke.solid(color, 2));
        if (shown == 1) {
            canvas.circle(px[0], py[0], 2.5, color, null);
        }
        if (shown < losses.length && shown > 0) {
            double exitX = xs.pixel(steps[shown]);
            double exitY = Double.isFinite(losses[shown]) && losses[shown] > top ? frame.top : py[count - 1];
            canvas.line(px[count - 1], py[count - 1], exitX, exitY, Canvas.Stroke.solid(color, 2));
            cross(canvas, exitX, Math.max(exitY, frame.top + 6), color);
        }
    }

    private static void cross(Canvas canvas, double x, double y, String color) {
        Canvas.Stroke stroke = Canvas.Stroke.solid(color, 2.5);
        canvas.line(x - 6, y - 6, x + 6, y + 6, stroke);
        canvas.line(x - 6, y + 6, x + 6, y - 6, stroke);
    }

    private void legend(Canvas canvas, Frame frame) {
        List<String> labels = new ArrayList<>();
        for (Plots.Curve c : curves) {
            labels.add(c.label() + (c.diverged() ? " (diverged)" : ""));
        }
        if (labels.size() == 1 && labels.get(0).isEmpty()) {
            return;
        }
        int longest = labels.stream().mapToInt(String::length).max().orElse(0);
        double boxWidth = 44 + 7.2 * longest;
        double boxX = frame.right - boxWidth - 10;
        double boxY = frame.top + 10;
        canvas.rect(boxX, boxY, boxWidth, 10 + 20 * labels.size(), "#ffffff", Canvas.Stroke.solid("#bbbbbb", 1));
        for (int i = 0; i < labels.size(); i++) {
            double rowY = boxY + 20 + 20 * i;
            String color = color(i);
            canvas.line(boxX + 8, rowY - 4, boxX + 32, rowY - 4, Canvas.Stroke.solid(color, 2));
            canvas.text(boxX + 38, rowY, labels.get(i), 12, Canvas.Anchor.START, Frame.INK, false);
        }
    }
}
