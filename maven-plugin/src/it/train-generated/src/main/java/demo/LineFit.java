package demo;

/** Fits the generated {@link Line} to points, the way an application would use a generated class. */
public final class LineFit {
    private LineFit() {
    }

    /** Gradient descent on all points for {@code steps} updates; the returned model holds w and b. */
    public static Line fit(double[] x, double[] y, int steps) {
        Line line = new Line(1L, x.length);
        line.bind(x, y, x.length);
        for (int i = 0; i < steps; i++) {
            line.trainStep();
        }
        return line;
    }
}
