package dev.modelc.runtime.plot;

import java.util.Locale;

/** Draws as SVG text: one element per shape, numbers with two decimals, so output is byte-stable. */
final class SvgCanvas implements Canvas {
    private final int width;
    private final int height;
    private final StringBuilder body = new StringBuilder();
    private int clips;
    private boolean clipped;

    SvgCanvas(int width, int height) {
        this.width = width;
        this.height = height;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public void polyline(double[] xs, double[] ys, int count, Stroke stroke) {
        if (count < 2) {
            return;
        }
        body.append("<polyline fill=\"none\"").append(stroke(stroke)).append(" points=\"");
        for (int i = 0; i < count; i++) {
            body.append(i == 0 ? "" : " ").append(number(xs[i])).append(',').append(number(ys[i]));
        }
        body.append("\"/>\n");
    }

    @Override
    public void segments(double[] xy, int count, Stroke stroke) {
        if (count == 0) {
            return;
        }
        body.append("<path fill=\"none\"").append(stroke(stroke)).append(" d=\"");
        for (int i = 0; i < count; i++) {
            body.append(i == 0 ? "M" : " M").append(number(xy[4 * i])).append(',').append(number(xy[4 * i + 1]))
                    .append('L').append(number(xy[4 * i + 2])).append(',').append(number(xy[4 * i + 3]));
        }
        body.append("\"/>\n");
    }

    @Override
    public void rect(double x, double y, double width, double height, String fill, Stroke stroke) {
        body.append("<rect x=\"").append(number(x)).append("\" y=\"").append(number(y)).append("\" width=\"")
                .append(number(width)).append("\" height=\"").append(number(height)).append("\" fill=\"")
                .append(fill == null ? "none" : fill).append('"').append(stroke == null ? "" : stroke(stroke))
                .append("/>\n");
    }

    @Override
    public void circle(double x, double y, double radius, String fill, Stroke stroke) {
        body.append("<circle cx=\"").append(number(x)).append("\" cy=\"").append(number(y)).append("\" r=\"")
                .append(number(radius)).append("\" fill=\"").append(fill == null ? "none" : fill).append('"')
                .append(stroke == null ? "" : stroke(stroke)).append("/>\n");
    }

    @Override
    public void text(double x, double y, String text, double size, Anchor anchor, String color, boolean rotated) {
        String anchorName = switch (anchor) {
            case START -> "start";
            case MIDDLE -> "middle";
            case END -> "end";
        };
        body.append("<text x=\"").append(number(x)).append("\" y=\"").append(number(y)).append("\" font-size=\"")
                .append(number(size)).append("\" text-anchor=\"").append(anchorName).append("\" fill=\"")
                .append(color).append('"');
        if (rotated) {
            body.append(" transform=\"rotate(-90 ").append(number(x)).append(' ').append(number(y)).append(")\"");
        }
        body.append('>').append(escape(text)).append("</text>\n");
    }

    @Override
    public void clip(double x, double y, double width, double height) {
        unclip();
        String id = "clip" + (++clips);
        body.append("<clipPath id=\"").append(id).append("\"><rect x=\"").append(number(x)).append("\" y=\"")
                .append(number(y)).append("\" width=\"").append(number(width)).append("\" height=\"")
                .append(number(height)).append("\"/></clipPath>\n<g clip-path=\"url(#").append(id).append(")\">\n");
        clipped = true;
    }

    @Override
    public void unclip() {
        if (clipped) {
            body.append("</g>\n");
            clipped = false;
        }
    }

    /** The whole document. */
    String document() {
        unclip();
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + height
                + "\" viewBox=\"0 0 " + width + " " + height + "\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n"
                + body + "</svg>\n";
    }

    private static String stroke(Stroke stroke) {
        return " stroke=\"" + stroke.color() + "\" stroke-width=\"" + number(stroke.width()) + "\""
                + (stroke.dashed() ? " stroke-dasharray=\"6,4\"" : "") + " stroke-linejoin=\"round\"";
    }

    private static String number(double value) {
        String text = String.format(Locale.ROOT, "%.2f", value);
        return text.endsWith(".00") ? text.substring(0, text.length() - 3) : text;
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
