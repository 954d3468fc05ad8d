package dev.modelc;

import dev.modelc.WholeModel.Training;

/**
 * The update rules of torch.optim's documentation, written out again for the whole-model
 * fuzzer: one update of every parameter element at once (the params as one vector), with the
 * rate of that update and {@code t} counting updates from 1, as PyTorch counts them. Keeps its
 * own state between updates.
 */
final class ReferenceOptimizer {
    private final Training training;
    private final double[] first;
    private final double[] second;
    private final double[] average;

    ReferenceOptimizer(Training training, int size) {
        this.training = training;
        this.first = new double[size];
        this.second = new double[size];
        this.average = new double[size];
        java.util.Arrays.fill(second, training.optimizer().equals("adagrad")
                ? training.setting("initial_accumulator_value", 0) : 0);
    }

    /** A copy that goes on from the same state, to see how much the update moves under a changed gradient. */
    ReferenceOptimizer copy() {
        ReferenceOptimizer copy = new ReferenceOptimizer(training, first.length);
        System.arraycopy(first, 0, copy.first, 0, first.length);
        System.arraycopy(second, 0, copy.second, 0, first.length);
        System.arraycopy(average, 0, copy.average, 0, first.length);
        return copy;
    }

    /** Updates {@code p} in place by the gradient {@code g}, clipped first when the train block says so. */
    void step(double[] p, double[] g, double lr, int t) {
        double[] gradient = clipped(g);
        switch (training.optimizer()) {
            case "gd" -> sgd(p, gradient, lr, 0, 0, 0, false, t);
            case "sgd" -> sgd(p, gradient, lr, training.setting("momentum", 0), training.setting("dampening", 0),
                    training.setting("weight_decay", 0), training.setting("nesterov", 0) != 0, t);
            case "adam" -> adam(p, gradient, lr, training.setting("weight_decay", 0), false, t);
            case "adamw" -> adam(p, gradient, lr, training.setting("weight_decay", 1e-2), true, t);
            case "rmsprop" -> rmsprop(p, gradient, lr);
            case "adagrad" -> adagrad(p, gradient, lr, t);
            default -> throw new IllegalArgumentException(training.optimizer());
        }
    }

    /** torch.nn.utils.clip_grad_norm_: scale by min(1, max_norm / (norm + 1e-6)). */
    private double[] clipped(double[] g) {
        if (training.clipNorm() == 0) {
            return g;
        }
        double sum = 0;
        for (double v : g) {
            sum += v * v;
        }
        double scale = Math.min(1, training.clipNorm() / (Math.sqrt(sum) + 1e-6));
        double[] scaled = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            scaled[i] = g[i] * scale;
        }
        return scaled;
    }

    private void sgd(double[] p, double[] gradient, double lr, double momentum, double dampening, double decay,
                     boolean nesterov, int t) {
        for (int i = 0; i < p.length; i++) {
            double g = gradient[i] + decay * p[i];
            if (momentum != 0) {
                first[i] = t > 1 ? momentum * first[i] + (1 - dampening) * g : g;
                g = nesterov ? g + momentum * first[i] : first[i];
            }
            p[i] = p[i] - lr * g;
        }
    }

    private void adam(double[] p, double[] gradient, double lr, double decay, boolean decoupled, int t) {
        double beta1 = training.setting("beta1", 0.9);
        double beta2 = training.setting("beta2", 0.999);
        double eps = training.setting("eps", 1e-8);
        for (int i = 0; i < p.length; i++) {
            double g = gradient[i];
            if (decoupled) {
                p[i] = p[i] - lr * decay * p[i];
            } else {
                g = g + decay * p[i];
            }
            first[i] = beta1 * first[i] + (1 - beta1) * g;
            second[i] = beta2 * second[i] + (1 - beta2) * g * g;
            double mHat = first[i] / (1 - Math.pow(beta1, t));
            double vHat = second[i] / (1 - Math.pow(beta2, t));
            p[i] = p[i] - lr * mHat / (Math.sqrt(vHat) + eps);
        }
    }

    private void rmsprop(double[] p, double[] gradient, double lr) {
        double alpha = training.setting("alpha", 0.99);
        double eps = training.setting("eps", 1e-8);
        double momentum = training.setting("momentum", 0);
        boolean centered = training.setting("centered", 0) != 0;
        for (int i = 0; i < p.length; i++) {
            double g = gradient[i] + training.setting("weight_decay", 0) * p[i];
            second[i] = alpha * second[i] + (1 - alpha) * g * g;
            double vTilde = second[i];
            if (centered) {
                average[i] = average[i] * alpha + (1 - alpha) * g;
                vTilde = vTilde - average[i] * average[i];
            }
            if (momentum > 0) {
                first[i] = momentum * first[i] + g / (Math.sqrt(vTilde) + eps);
                p[i] = p[i] - lr * first[i];
            } else {
                p[i] = p[i] - lr * g / (Math.sqrt(vTilde) + eps);
            }
        }
    }

    private void adagrad(double[] p, double[] gradient, double lr, int t) {
        double rate = lr / (1 + (t - 1) * training.setting("lr_decay", 0));
        double eps = training.setting("eps", 1e-10);
        for (int i = 0; i < p.length; i++) {
            double g = gradient[i] + training.setting("weight_decay", 0) * p[i];
            second[i] = second[i] + g * g;
            p[i] = p[i] - rate * g / (Math.sqrt(second[i]) + eps);
        }
    }
}
