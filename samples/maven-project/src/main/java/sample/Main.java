package sample;

import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.runtime.checkpoint.CheckpointException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The application: loads the model that {@link Train} trained, shipped in the jar as
 * {@code sample/linear_regression.safetensors}, and predicts y for each row given as an argument
 * ({@code x0,x1,x2}), or for three example rows when none is given:
 * <pre>
 * java --add-modules jdk.incubator.vector -jar target/linear-regression-app-1.0.jar 0.5,-0.25,1
 * </pre>
 */
public final class Main {
    /** The checkpoint, beside this class in the jar. */
    static final String CHECKPOINT = "linear_regression.safetensors";
    /** The most rows one call of the predictor takes. */
    static final int BATCH = 256;
    private static final String[] EXAMPLES = {"0,0,0", "1,0,0", "0.5,-0.25,1"};

    private Main() {
    }

    public static void main(String[] args) throws IOException, CheckpointException {
        System.exit(run(args, System.out, System.err));
    }

    /** Prints a line per row, {@code x = (...)  ->  y = ...}; returns the exit code, 2 for a row not of 3 numbers. */
    static int run(String[] args, PrintStream out, PrintStream err) throws IOException, CheckpointException {
        String[] rows = args.length == 0 ? EXAMPLES : args;
        float[] x = new float[rows.length * 3];
        for (int r = 0; r < rows.length; r++) {
            String[] cells = rows[r].split(",", -1);
            try {
                if (cells.length != 3) {
                    throw new NumberFormatException(cells.length + " values");
                }
                for (int j = 0; j < 3; j++) {
                    x[r * 3 + j] = Float.parseFloat(cells[j].trim());
                }
            } catch (NumberFormatException e) {
                err.println("error: row " + (r + 1) + ", \"" + rows[r] + "\": expected three numbers x0,x1,x2");
                return 2;
            }
        }
        float[] y = predict(load().predictor(), x, rows.length);
        for (int r = 0; r < rows.length; r++) {
            out.printf(Locale.ROOT, "x = (%s, %s, %s)  ->  y = %.4f%n", x[r * 3], x[r * 3 + 1], x[r * 3 + 2], y[r]);
        }
        return 0;
    }

    /** A model with the shipped checkpoint's params, predicting up to {@link #BATCH} rows at a time. */
    static LinearRegression load() throws IOException, CheckpointException {
        // Checkpoints are read from files; inside a jar the resource is not one, so it is copied out first.
        Path file = Files.createTempFile("linear_regression", ".safetensors");
        try (InputStream in = Main.class.getResourceAsStream(CHECKPOINT)) {
            if (in == null) {
                throw new IOException(CHECKPOINT + " is not beside " + Main.class.getName() + "; run sample.Train");
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            LinearRegression model = new LinearRegression(0L, BATCH);
            Checkpoint.read(file).initialize(model);
            return model;
        } finally {
            Files.delete(file);
        }
    }

    /**
     * Predicts any number of rows ({@code x} row-major, three features a row) in batches of at most
     * {@link #BATCH}; the predictor is thread-safe, so many threads may share one.
     */
    static float[] predict(LinearRegression.Predictor predictor, float[] x, int rows) {
        float[] y = new float[rows];
        float[] batchX = new float[BATCH * 3];
        float[] batchY = new float[BATCH];
        for (int start = 0; start < rows; start += BATCH) {
            int count = Math.min(BATCH, rows - start);
            System.arraycopy(x, start * 3, batchX, 0, count * 3);
            predictor.predict(batchX, count, batchY);
            System.arraycopy(batchY, 0, y, start, count);
        }
        return y;
    }
}
