package dev.modelc.runtime.plot;

import dev.modelc.runtime.checkpoint.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Pictures of training, written as PNG or SVG by the file's extension: the loss curve of a
 * run, with the descent over the loss's contour lines beside it for a model with two scalar
 * parameters, and the curves of several runs together. PNGs are drawn without a display.
 */
public final class Plots {
    /** Points per side of the grid the loss is evaluated on for contour lines. */
    public static final int GRID = 61;
    /** The size of a loss curve alone, and of a curve with its descent beside it. */
    public static final int WIDTH = 800;
    public static final int HEIGHT = 500;
    public static final int DESCENT_WIDTH = 1400;
    public static final int DESCENT_HEIGHT = 560;

    /** One run's losses: {@code losses[i]} after {@code steps[i]} updates. */
    public record Curve(String label, double[] steps, double[] losses, boolean diverged) {
        public Curve {
            if (steps.length != losses.length) {
                throw new IllegalArgumentException(steps.length + " steps but " + losses.length + " losses");
            }
        }
    }

    /**
     * A chart of curves over the steps: its title, the label of its y axis, the highest value it
     * shows ({@link #topOf}, or infinity to show every finite value), and the place in the palette
     * of its first curve's color, so that a series keeps its color from chart to chart.
     */
    public record Chart(String title, String yLabel, List<Curve> curves, double top, int firstColor) {
        public Chart {
            curves = List.copyOf(curves);
        }

        public Chart(String title, String yLabel, List<Curve> curves, double top) {
            this(title, yLabel, curves, top, 0);
        }

        public Chart(String title, String yLabel, List<Curve> curves) {
            this(title, yLabel, curves, Double.POSITIVE_INFINITY, 0);
        }
    }

    /** The size of one chart in a figure of several. */
    public static final int CHART_WIDTH = 700;
    public static final int CHART_HEIGHT = 460;

    /** The loss as a function of the two scalar parameters, for contour lines. */
    public interface Surface {
        double loss(double x, double y);
    }

    /**
     * The parameters' path, step by step, and the loss over them. A path that stops being
     * finite is drawn up to its last finite point.
     */
    public record Descent(String xName, String yName, double[] xs, double[] ys, Surface surface) {
        public Descent {
            if (xs.length != ys.length) {
                throw new IllegalArgumentException(xs.length + " x values but " + ys.length + " y values");
            }
            int finite = 0;
            while (finite < xs.length && Double.isFinite(xs[finite]) && Double.isFinite(ys[finite])) {
                finite++;
            }
            if (finite == 0) {
                throw new IllegalArgumentException("the path has no finite point");
            }
            xs = java.util.Arrays.copyOf(xs, finite);
            ys = java.util.Arrays.copyOf(ys, finite);
        }
    }

    private Plots() {
    }

    /** Whether the file name asks for a format these plots write: .png or .svg. */
    public static boolean supports(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".svg");
    }

    /** One run's loss curve, and beside it the descent over the contour lines when {@code descent} is given. */
    public static void run(Path file, String title, String lossName, Curve curve, Descent descent)
            throws IOException {
        LineChart chart = new LineChart(title, "loss " + lossName, List.of(curve), Double.POSITIVE_INFINITY);
        if (descent == null) {
            write(file, WIDTH, HEIGHT, canvas -> chart.draw(canvas, 0, 0, WIDTH, HEIGHT));
            return;
        }
        ContourChart contours = contours(descent, "descent of " + lossName + " over its contour lines");
        int half = DESCENT_WIDTH / 2;
        write(file, DESCENT_WIDTH, DESCENT_HEIGHT, canvas -> {
            chart.draw(canvas, 0, 0, half, DESCENT_HEIGHT);
            contours.draw(canvas, half, 0, half, DESCENT_HEIGHT);
        });
    }

    /**
     * Several runs' curves together. The top is set by the runs that did not diverge (or by the
     * starting losses), so a run that grows without bound leaves the chart, marked, instead of
     * flattening the others.
     */
    public static void compare(Path file, String title, String lossName, List<Curve> curves) throws IOException {
        LineChart chart = new LineChart(title, "loss " + lossName, curves, topOf(curves));
        write(file, WIDTH, HEIGHT, canvas -> chart.draw(canvas, 0, 0, WIDTH, HEIGHT));
    }

    /**
     * The top of a chart of losses: four times the highest value of the runs that did not diverge
     * (and the starting values of those that did), or infinity when there is none above 0.
     */
    public static double topOf(List<Curve> curves) {
        double top = Double.NEGATIVE_INFINITY;
        for (Curve c : curves) {
            for (int i = 0; i < c.losses().length; i++) {
                boolean counts = !c.diverged() || i == 0;
                if (counts && Double.isFinite(c.losses()[i])) {
                    top = Math.max(top, c.losses()[i]);
                }
            }
        }
        return top > 0 ? top * 4 : Double.POSITIVE_INFINITY;
    }

    /**
     * Charts two to a row, each {@link #CHART_WIDTH} by {@link #CHART_HEIGHT}; then, when {@code
     * descent} is given, the descent of the loss {@code lossName} over its contour lines.
     */
    public static void figure(Path file, List<Chart> charts, String lossName, Descent descent) throws IOException {
        ContourChart contours = descent == null ? null
                : contours(descent, "descent of " + lossName + " over its contour lines");
        int cells = charts.size() + (contours == null ? 0 : 1);
        int columns = Math.min(cells, 2);
        int rows = (cells + 1) / 2;
        write(file, columns * CHART_WIDTH, rows * CHART_HEIGHT, canvas -> {
            for (int i = 0; i < cells; i++) {
                double x = (i % 2) * CHART_WIDTH;
                double y = (i / 2) * CHART_HEIGHT;
                if (i < charts.size()) {
                    Chart c = charts.get(i);
                    new LineChart(c.title(), c.yLabel(), c.curves(), c.top(), c.firstColor()).draw(canvas, x, y,
                            CHART_WIDTH, CHART_HEIGHT);
                } else {
                    contours.draw(canvas, x, y, CHART_WIDTH, CHART_HEIGHT);
                }
            }
        });
    }

    /** The loss on a grid centered on the path's end and wide enough for the whole path. */
    static ContourChart contours(Descent descent, String title) {
        double[] gridX = axis(descent.xs());
        double[] gridY = axis(descent.ys());
        double[][] values = new double[GRID][GRID];
        for (int j = 0; j < GRID; j++) {
            for (int i = 0; i < GRID; i++) {
                values[j][i] = descent.surface().loss(gridX[i], gridY[j]);
            }
        }
        return new ContourChart(title, descent, gridX, gridY, values);
    }

    private static double[] axis(double[] path) {
        double end = path[path.length - 1];
        double reach = 0;
        for (double v : path) {
            reach = Math.max(reach, Math.abs(v - end));
        }
        double half = reach > 0 ? 1.25 * reach : Math.max(1, Math.abs(end) * 0.5);
        double[] axis = new double[GRID];
        for (int i = 0; i < GRID; i++) {
            axis[i] = end - half + 2 * half * i / (GRID - 1);
        }
        return axis;
    }

    private interface Drawing {
        void draw(Canvas canvas);
    }

    private static void write(Path file, int width, int height, Drawing drawing) throws IOException {
        if (!supports(file)) {
            throw new IllegalArgumentException(file + ": a plot is written as .png or .svg");
        }
        byte[] bytes;
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".svg")) {
            SvgCanvas canvas = new SvgCanvas(width, height);
            drawing.draw(canvas);
            bytes = canvas.document().getBytes(StandardCharsets.UTF_8);
        } else {
            if (System.getProperty("java.awt.headless") == null) {
                System.setProperty("java.awt.headless", "true");
            }
            PngCanvas canvas = new PngCanvas(width, height);
            drawing.draw(canvas);
            bytes = canvas.png();
        }
        AtomicFile.write(file, bytes);
    }
}
