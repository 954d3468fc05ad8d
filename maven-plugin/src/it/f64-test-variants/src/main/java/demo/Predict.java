package demo;

/** The application's side: the f32 class, trained on float data. */
public final class Predict {
    private Predict() {
    }

    public static Line train(float[] x, float[] y, int steps) {
        Line line = new Line(1L, x.length);
        line.bind(x, y, x.length);
        for (int i = 0; i < steps; i++) {
            line.trainStep();
        }
        return line;
    }
}
