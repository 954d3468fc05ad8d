package dev.modelc.runtime.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Paints on an image with Java2D, antialiased, and encodes it as PNG. Works without a display:
 * {@link Plots} sets {@code java.awt.headless} before the first image is made. A machine
 * without fonts still gets the picture, without its text.
 */
final class PngCanvas implements Canvas {
    private final BufferedImage image;
    private final Graphics2D g;
    private boolean fontsWork = true;

    PngCanvas(int width, int height) {
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
    }

    @Override
    public int width() {
        return image.getWidth();
    }

    @Override
    public int height() {
        return image.getHeight();
    }

    @Override
    public void polyline(double[] xs, double[] ys, int count, Stroke stroke) {
        if (count < 2) {
            return;
        }
        Path2D.Double path = new Path2D.Double();
        path.moveTo(xs[0], ys[0]);
        for (int i = 1; i < count; i++) {
            path.lineTo(xs[i], ys[i]);
        }
        use(stroke);
        g.draw(path);
    }

    @Override
    public void segments(double[] xy, int count, Stroke stroke) {
        Path2D.Double path = new Path2D.Double();
        for (int i = 0; i < count; i++) {
            path.moveTo(xy[4 * i], xy[4 * i + 1]);
            path.lineTo(xy[4 * i + 2], xy[4 * i + 3]);
        }
        use(stroke);
        g.draw(path);
    }

    @Override
    public void rect(double x, double y, double width, double height, String fill, Stroke stroke) {
        Rectangle2D.Double shape = new Rectangle2D.Double(x, y, width, height);
        if (fill != null) {
            g.setColor(Color.decode(fill));
            g.fill(shape);
        }
        if (stroke != null) {
            use(stroke);
            g.draw(shape);
        }
    }

    @Override
    public void circle(double x, double y, double radius, String fill, Stroke stroke) {
        Ellipse2D.Double shape = new Ellipse2D.Double(x - radius, y - radius, 2 * radius, 2 * radius);
        if (fill != null) {
            g.setColor(Color.decode(fill));
            g.fill(shape);
        }
        if (stroke != null) {
            use(stroke);
            g.draw(shape);
        }
    }

    @Override
    public void text(double x, double y, String text, double size, Anchor anchor, String color, boolean rotated) {
        if (!fontsWork) {
            return;
        }
        try {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, (int) Math.round(size)));
            FontMetrics metrics = g.getFontMetrics();
            double shift = switch (anchor) {
                case START -> 0;
                case MIDDLE -> metrics.stringWidth(text) / 2.0;
                case END -> metrics.stringWidth(text);
            };
            g.setColor(Color.decode(color));
            AffineTransform saved = g.getTransform();
            g.translate(x, y);
            if (rotated) {
                g.rotate(-Math.PI / 2);
            }
            g.drawString(text, (float) -shift, 0f);
            g.setTransform(saved);
        } catch (RuntimeException | LinkageError e) {
            // A JDK without usable fonts fails here; the lines and shapes are still worth having.
            fontsWork = false;
        }
    }

    @Override
    public void clip(double x, double y, double width, double height) {
        g.setClip(new Rectangle2D.Double(x, y, width, height));
    }

    @Override
    public void unclip() {
        g.setClip(null);
    }

    byte[] png() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("this Java has no PNG writer");
        }
        return out.toByteArray();
    }

    private void use(Stroke stroke) {
        g.setColor(Color.decode(stroke.color()));
        g.setStroke(stroke.dashed()
                ? new BasicStroke((float) stroke.width(), BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                new float[] {6f, 4f}, 0f)
                : new BasicStroke((float) stroke.width(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    }
}
