package dev.modelc.runtime.plot;

/**
 * One chart's frame inside its panel: the plotting area within margins for the tick labels,
 * the axes with ticks and light grid lines, the title above and the axis labels.
 */
final class Frame {
    static final String INK = "#222222";
    private static final String GRID = "#e4e4e4";
    final double left;
    final double top;
    final double right;
    final double bottom;

    Frame(double x, double y, double width, double height) {
        this.left = x + 78;
        this.top = y + 44;
        this.right = x + width - 24;
        this.bottom = y + height - 56;
    }

    Scale horizontal(double low, double high, boolean log) {
        return new Scale(low, high, log, left, right);
    }

    Scale vertical(double low, double high, boolean log) {
        return new Scale(low, high, log, bottom, top);
    }

    double width() {
        return right - left;
    }

    void draw(Canvas canvas, Scale x, Scale y, String title, String xLabel, String yLabel) {
        Canvas.Stroke grid = Canvas.Stroke.solid(GRID, 1);
        Canvas.Stroke ink = Canvas.Stroke.solid(INK, 1);
        for (double tick : x.ticks()) {
            double px = x.pixel(tick);
            canvas.line(px, top, px, bottom, grid);
            canvas.line(px, bottom, px, bottom + 5, ink);
            canvas.text(px, bottom + 20, x.label(tick), 12, Canvas.Anchor.MIDDLE, INK, false);
        }
        for (double tick : y.ticks()) {
            double py = y.pixel(tick);
            canvas.line(left, py, right, py, grid);
            canvas.line(left - 5, py, left, py, ink);
            canvas.text(left - 8, py + 4, y.label(tick), 12, Canvas.Anchor.END, INK, false);
        }
        canvas.rect(left, top, right - left, bottom - top, null, ink);
        canvas.text((left + right) / 2, top - 16, title, 15, Canvas.Anchor.MIDDLE, INK, false);
        canvas.text((left + right) / 2, bottom + 44, xLabel, 13, Canvas.Anchor.MIDDLE, INK, false);
        canvas.text(left - 58, (top + bottom) / 2, yLabel, 13, Canvas.Anchor.MIDDLE, INK, true);
    }

    /** Only the plotting area shows what is drawn next. */
    void clip(Canvas canvas) {
        canvas.clip(left, top, right - left, bottom - top);
    }
}
