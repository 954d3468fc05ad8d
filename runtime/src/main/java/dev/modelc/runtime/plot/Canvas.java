package dev.modelc.runtime.plot;

/**
 * What a chart draws on, in pixels from the top left: lines, filled shapes and text. One
 * implementation writes SVG text, the other paints a PNG, so both formats show the same picture.
 */
interface Canvas {
    /** Where text is placed relative to its point: its start, middle or end. */
    enum Anchor {
        START, MIDDLE, END
    }

    /** A stroke: color as {@code #rrggbb}, width in pixels, and whether it is dashed. */
    record Stroke(String color, double width, boolean dashed) {
        static Stroke solid(String color, double width) {
            return new Stroke(color, width, false);
        }
    }

    int width();

    int height();

    void polyline(double[] xs, double[] ys, int count, Stroke stroke);

    /** Separate segments, {@code xy} holding x1, y1, x2, y2 of each in turn. */
    void segments(double[] xy, int count, Stroke stroke);

    default void line(double x1, double y1, double x2, double y2, Stroke stroke) {
        polyline(new double[] {x1, x2}, new double[] {y1, y2}, 2, stroke);
    }

    /** A rectangle filled with {@code fill} (or not, when null) and outlined with {@code stroke} (or not). */
    void rect(double x, double y, double width, double height, String fill, Stroke stroke);

    void circle(double x, double y, double radius, String fill, Stroke stroke);

    /** Text whose baseline passes through (x, y); {@code rotated} turns it a quarter counterclockwise. */
    void text(double x, double y, String text, double size, Anchor anchor, String color, boolean rotated);

    /** Only what is drawn inside the rectangle shows, until {@link #unclip()}. */
    void clip(double x, double y, double width, double height);

    void unclip();
}
