import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Sequences for {@code rnn.model}: six values t0..t5 drawn uniformly from [0, 1) (3 decimals),
 * and the label {@code rising}: 1 when at least 3 of the 5 steps go up (t[i] > t[i-1]), which
 * holds for half of all orderings. No single value or sum tells it: a model must compare each
 * step with the one before. The same seed gives the same rows; JDK only:
 * {@code java samples/data/RiseRows.java ROWS SEED OUT.csv}.
 */
public final class RiseRows {
    static final int STEPS = 6;

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: RiseRows ROWS SEED OUT.csv");
            System.exit(2);
        }
        int rows = Integer.parseInt(args[0]);
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[1]));
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[2])))) {
            StringBuilder header = new StringBuilder();
            for (int t = 0; t < STEPS; t++) {
                header.append('t').append(t).append(',');
            }
            out.print(header.append("rising\n"));
            double[] values = new double[STEPS];
            for (int r = 0; r < rows; r++) {
                StringBuilder line = new StringBuilder();
                for (int t = 0; t < STEPS; t++) {
                    values[t] = random.nextInt(1000) / 1000.0;
                    line.append(String.format(Locale.ROOT, "%.3f,", values[t]));
                }
                out.print(line.append(rises(values) >= 3 ? 1 : 0).append('\n'));
            }
        }
    }

    static int rises(double[] values) {
        int rises = 0;
        for (int t = 1; t < values.length; t++) {
            rises += values[t] > values[t - 1] ? 1 : 0;
        }
        return rises;
    }
}
