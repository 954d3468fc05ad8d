import dev.modelc.runtime.Rng;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Many rows like the Wisconsin breast cancer data, for training at scale: each row is one of the
 * 569 real rows, drawn at random, with normal noise added to every feature (a quarter of that
 * feature's deviation within the row's class), kept to float precision; the label is the real
 * row's. The rows keep the real features' correlations, and so about the real data's accuracy.
 * The same seed gives the same rows. Writes a Parquet file (30 double columns x0..x29, then an
 * int column label) and, when asked, the same rows as CSV with a header line, as
 * {@code logistic_regression.model} reads them on one machine (skip = 1).
 *
 * <p>Run by {@code breast_cancer_rows.sh}: {@code java BreastCancerRows.java ROWS SEED OUT.parquet [OUT.csv]}.
 */
public final class BreastCancerRows {
    private static final int FEATURES = 30;
    /** The noise added to a feature, as a share of its deviation within the class. */
    private static final double NOISE = 0.25;

    public static void main(String[] args) throws IOException {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: BreastCancerRows ROWS SEED OUT.parquet [OUT.csv]");
            System.exit(2);
        }
        long rows = Long.parseLong(args[0]);
        long seed = Long.parseLong(args[1]);
        Path source = Path.of(System.getProperty("modelc.samples", "samples"), "data", "breast_cancer.csv");
        List<double[]> real = rows(Files.readAllLines(source));
        double[][][] stats = classStatistics(real);
        Rng rng = new Rng(seed);
        MessageType schema = schema();
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        Path parquet = Path.of(args[2]);
        Path csv = args.length == 4 ? Path.of(args[3]) : null;
        try (ParquetWriter<Group> out = ExampleParquetWriter.builder(new LocalOutputFile(parquet)).withType(schema)
                .withCompressionCodec(CompressionCodecName.SNAPPY).withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build();
             BufferedWriter text = csv == null ? null : Files.newBufferedWriter(csv)) {
            if (text != null) {
                text.write(header());
            }
            StringBuilder line = new StringBuilder();
            for (long r = 0; r < rows; r++) {
                double[] drawn = real.get(rng.nextInt(real.size()));
                int label = (int) drawn[FEATURES];
                Group row = groups.newGroup();
                line.setLength(0);
                for (int k = 0; k < FEATURES; k++) {
                    String shown = Float.toString((float) rng.normal(drawn[k], NOISE * stats[label][1][k]));
                    row.append("x" + k, Double.parseDouble(shown));
                    line.append(shown).append(',');
                }
                row.append("label", label);
                out.write(row);
                if (text != null) {
                    text.append(line).append(Integer.toString(label)).append('\n');
                }
            }
        }
    }

    /** The real rows: 30 features and the label, after the header line. */
    private static List<double[]> rows(List<String> lines) {
        List<double[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                String[] cells = line.split(",");
                double[] row = new double[cells.length];
                for (int c = 0; c < cells.length; c++) {
                    row[c] = Double.parseDouble(cells[c].trim());
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** Per class (0, 1): the features' means, their deviations (over n), and the class's row count. */
    private static double[][][] classStatistics(List<double[]> rows) {
        double[][][] stats = new double[2][3][FEATURES];
        for (double[] row : rows) {
            double[][] s = stats[(int) row[FEATURES]];
            s[2][0]++;
            for (int k = 0; k < FEATURES; k++) {
                s[0][k] += row[k];
            }
        }
        for (double[][] s : stats) {
            for (int k = 0; k < FEATURES; k++) {
                s[0][k] /= s[2][0];
            }
        }
        for (double[] row : rows) {
            double[][] s = stats[(int) row[FEATURES]];
            for (int k = 0; k < FEATURES; k++) {
                s[1][k] += (row[k] - s[0][k]) * (row[k] - s[0][k]);
            }
        }
        for (double[][] s : stats) {
            for (int k = 0; k < FEATURES; k++) {
                s[1][k] = Math.sqrt(s[1][k] / s[2][0]);
            }
        }
        return stats;
    }

    private static MessageType schema() {
        Types.MessageTypeBuilder message = Types.buildMessage();
        for (int k = 0; k < FEATURES; k++) {
            message.required(PrimitiveTypeName.DOUBLE).named("x" + k);
        }
        return message.required(PrimitiveTypeName.INT32).named("label").named("breast_cancer_row");
    }

    private static String header() {
        StringBuilder header = new StringBuilder();
        for (int k = 0; k < FEATURES; k++) {
            header.append('x').append(k).append(',');
        }
        return header.append("label\n").toString();
    }
}
