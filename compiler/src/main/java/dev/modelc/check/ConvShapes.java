package dev.modelc.check;

import dev.modelc.graph.Shape;
import dev.modelc.graph.Window;

/**
 * The shape rules of convolution and pooling over {@code [batch, channels, height, width]},
 * with the errors a person sees.
 */
final class ConvShapes {
    private static final String IMAGES = "[batch, channels, height, width]";

    private ConvShapes() {
    }

    /** x [n, c, h, w] and a kernel [f, c, kh, kw] give [n, f, oh, ow]. */
    static Type conv2d(CallSite c) {
        Shape x = images(c);
        if (x == null) {
            return null;
        }
        Shape k = c.shape(1);
        if (k.rank() != 4 || k.hasBatch()) {
            return c.error(c.valueSpan(1), "`conv2d` takes a kernel of shape [filters, channels, height, width], "
                    + "but this one has shape " + k, "declare it as a param, such as `param K : [8, "
                    + dimText(x.dim(1)) + ", 3, 3] = he_normal`");
        }
        if (k.dim(1) != x.dim(1)) {
            return c.error(c.valueSpan(1), "`conv2d` of " + x.dim(1) + " channel" + (x.dim(1) == 1 ? "" : "s")
                    + " with a kernel for " + k.dim(1) + " (shapes " + x + " and " + k + ")",
                    "the kernel's second dimension is the channels of its input: [" + k.dim(0) + ", " + x.dim(1)
                            + ", " + k.dim(2) + ", " + k.dim(3) + "]");
        }
        Integer stride = positive(c, "stride", 1);
        Integer padding = atLeastZero(c, "padding");
        if (stride == null || padding == null) {
            return null;
        }
        if (x.dim(2) + 2L * padding < k.dim(2) || x.dim(3) + 2L * padding < k.dim(3)) {
            return c.error(c.span(), "a " + k.dim(2) + "x" + k.dim(3) + " kernel does not fit in " + x.dim(2) + "x"
                    + x.dim(3) + " images with padding " + padding, "pad them, such as `padding = "
                    + (Math.max(k.dim(2) - x.dim(2), k.dim(3) - x.dim(3)) + 1) / 2 + "`, or use a smaller kernel");
        }
        Window w = Window.of(stride, padding);
        return sized(c, Shape.of(x.dim(0), k.dim(0), w.outSize(x.dim(2), k.dim(2)), w.outSize(x.dim(3), k.dim(3))));
    }

    /** x [n, c, h, w] in windows of size x size, each one's largest or mean element: [n, c, h / size, w / size]. */
    static Type pool2d(CallSite c) {
        Shape x = images(c);
        if (x == null) {
            return null;
        }
        Integer size = positive(c, "size", null);
        if (size == null) {
            return null;
        }
        if (size > x.dim(2) || size > x.dim(3)) {
            return c.error(c.settings().span("size"), "`" + c.name() + "` windows of " + size + "x" + size
                    + " do not fit in " + x.dim(2) + "x" + x.dim(3) + " images", null);
        }
        return sized(c, Shape.of(x.dim(0), x.dim(1), x.dim(2) / size, x.dim(3) / size));
    }

    /** The first value's shape if it is a batch of images; null after saying why it is not. */
    private static Shape images(CallSite c) {
        Shape x = c.shape(0);
        for (int i = 0; i < c.values().size(); i++) {
            if (c.value(i).integer()) {
                c.error(c.valueSpan(i), "`" + c.name() + "` takes floats, but this value holds integers of shape "
                        + c.shape(i), null);
                return null;
            }
        }
        if (x.rank() != 4 || x.dims().lastIndexOf(Shape.BATCH) > 0) {
            c.error(c.valueSpan(0), "`" + c.name() + "` takes images as " + IMAGES + ", but this value has shape "
                    + x, x.hasBatch() && x.rank() == 2 ? "reshape rows of pixels first, such as `reshape(x, [batch, "
                    + "1, 8, 8])`" : null);
            return null;
        }
        return x;
    }

    private static Integer positive(CallSite c, String name, Integer otherwise) {
        Long value = c.settings().integer(name);
        if (value == null) {
            return otherwise;
        }
        if (value < 1 || value > Limits.MAX_DIM) {
            c.error(c.settings().span(name), "`" + name + "` must be a whole number from 1, got " + value, null);
            return null;
        }
        return value.intValue();
    }

    private static Integer atLeastZero(CallSite c, String name) {
        Long value = c.settings().integer(name);
        if (value == null) {
            return 0;
        }
        if (value < 0 || value > Limits.MAX_DIM) {
            c.error(c.settings().span(name), "`" + name + "` must be a whole number from 0, got " + value, null);
            return null;
        }
        return value.intValue();
    }

    private static String dimText(int dim) {
        return dim == Shape.BATCH ? "batch" : Integer.toString(dim);
    }

    private static Type sized(CallSite c, Shape shape) {
        Shape result = c.shapes().withinLimit(shape, "`" + c.name() + "`", c.span());
        return result == null ? null : Type.floating(result);
    }
}
