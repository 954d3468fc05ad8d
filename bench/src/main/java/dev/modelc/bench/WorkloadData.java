package dev.modelc.bench;

import dev.modelc.runtime.Rng;

/**
 * A workload's data, generated from a fixed seed so that both sides see the same numbers:
 * inputs {@code x} (rows x width), targets as values {@code y} (rows x yWidth) or as class
 * labels, and for shuffled workloads the row order of each epoch.
 *
 * @param epochOrders row orders of successive epochs, cycled through; empty when not shuffled
 */
public record WorkloadData(int rows, int width, float[] x, int yWidth, float[] y, int[] labels, int[][] epochOrders) {
    /** Epoch orders made for shuffled workloads; epoch e uses order e mod this. */
    public static final int EPOCH_ORDERS = 16;

    /** The data of {@code workload}, or null for W1, which has none. */
    public static WorkloadData of(Workload workload) {
        switch (workload) {
            case W2:
                return linear(new Rng(202), 1000, 10);
            case W3:
                return logistic(new Rng(303), 1000, 20);
            case W4:
                return digits(new Rng(404), 1797, 64);
            case W5:
                return uniformClasses(new Rng(505), 4096, 784);
            case W6:
                return gaussianPairs(new Rng(606), 256, 1024);
            case W7:
                return images(new Rng(707), 1024, 28 * 28);
            default:
                return null;
        }
    }

    /** y = X w + 0.5 + 0.1 noise, with Gaussian X and w. */
    private static WorkloadData linear(Rng rng, int rows, int width) {
        float[] x = gaussian(rng, rows * width);
        float[] w = gaussian(rng, width);
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = (float) (dot(x, r * width, w) + 0.5 + 0.1 * rng.normal(0, 1));
        }
        return new WorkloadData(rows, width, x, 1, y, null, new int[0][]);
    }

    /** y ~ Bernoulli(sigmoid(X w)), with Gaussian X and w. */
    private static WorkloadData logistic(Rng rng, int rows, int width) {
        float[] x = gaussian(rng, rows * width);
        float[] w = gaussian(rng, width);
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            double p = 1 / (1 + Math.exp(-dot(x, r * width, w)));
            y[r] = rng.nextDouble() < p ? 1f : 0f;
        }
        return new WorkloadData(rows, width, x, 1, y, null, orders(rng, rows));
    }

    /** Pixels k/16 for k in 0..16 and labels 0..9, as in the 8x8 digits. */
    private static WorkloadData digits(Rng rng, int rows, int width) {
        float[] x = new float[rows * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(17) / 16f;
        }
        return new WorkloadData(rows, width, x, 0, null, labels(rng, rows), orders(rng, rows));
    }

    /** Values uniform in [0, 1) and labels 0..9, the size of MNIST's images. */
    private static WorkloadData uniformClasses(Rng rng, int rows, int width) {
        float[] x = new float[rows * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble();
        }
        return new WorkloadData(rows, width, x, 0, null, labels(rng, rows), new int[0][]);
    }

    /**
     * Pixels k/255 for k in 0..255 and labels 0..9, the shape of Fashion-MNIST's 28x28 images
     * (generated: the timing needs the shape and fixed numbers, not the pictures).
     */
    private static WorkloadData images(Rng rng, int rows, int width) {
        float[] x = new float[rows * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(256) / 255f;
        }
        return new WorkloadData(rows, width, x, 0, null, labels(rng, rows), new int[0][]);
    }

    /** Gaussian inputs and Gaussian targets of the same width. */
    private static WorkloadData gaussianPairs(Rng rng, int rows, int width) {
        return new WorkloadData(rows, width, gaussian(rng, rows * width), width, gaussian(rng, rows * width), null,
                new int[0][]);
    }

    private static float[] gaussian(Rng rng, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) rng.normal(0, 1);
        }
        return values;
    }

    private static int[] labels(Rng rng, int rows) {
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = rng.nextInt(10);
        }
        return labels;
    }

    /** Successive reshuffles of the rows, one per epoch. */
    private static int[][] orders(Rng rng, int rows) {
        int[] order = new int[rows];
        for (int r = 0; r < rows; r++) {
            order[r] = r;
        }
        int[][] orders = new int[EPOCH_ORDERS][];
        for (int e = 0; e < EPOCH_ORDERS; e++) {
            rng.shuffle(order);
            orders[e] = order.clone();
        }
        return orders;
    }

    private static double dot(float[] x, int from, float[] w) {
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            sum += x[from + i] * (double) w[i];
        }
        return sum;
    }
}
