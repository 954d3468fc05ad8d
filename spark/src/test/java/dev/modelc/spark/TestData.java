package dev.modelc.spark;

import dev.modelc.runtime.Rng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Seeded rows for the tests: features drawn from a normal distribution, labels from a linear rule. */
final class TestData {
    private TestData() {
    }

    /**
     * {@code rows} rows of {@code features} features and a last label column: 0 or 1 for
     * {@code classes} = 2, else a class below {@code classes} (the largest of several linear scores).
     */
    static double[][] rows(int rows, int features, int classes, long seed) {
        Rng rng = new Rng(seed);
        double[][] weights = new double[Math.max(classes, 2)][features];
        for (double[] w : weights) {
            for (int k = 0; k < features; k++) {
                w[k] = rng.normal(0, 1);
            }
        }
        double[][] table = new double[rows][features + 1];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < features; k++) {
                table[r][k] = rng.normal(k, 1 + k);
            }
            table[r][features] = label(table[r], weights, classes, rng);
        }
        return table;
    }

    private static int label(double[] row, double[][] weights, int classes, Rng rng) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < weights.length; c++) {
            double score = rng.normal(0, 0.5);
            for (int k = 0; k < weights[c].length; k++) {
                score += weights[c][k] * (row[k] - k) / (1 + k);
            }
            if (score > bestScore) {
                bestScore = score;
                best = c;
            }
        }
        return classes == 2 ? (best == 0 ? 0 : 1) : best;
    }

    /** Writes rows as CSV, numbers as Java prints them so that they read back exactly. */
    static Path csv(Path folder, String name, double[][] rows, String header) throws IOException {
        StringBuilder text = new StringBuilder(header == null ? "" : header + "\n");
        for (double[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                text.append(c == 0 ? "" : ",").append(row[c] == Math.rint(row[c]) && c == row.length - 1
                        ? String.format(Locale.ROOT, "%d", (long) row[c]) : Double.toString(row[c]));
            }
            text.append('\n');
        }
        Path file = folder.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
