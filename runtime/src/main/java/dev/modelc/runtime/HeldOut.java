package dev.modelc.runtime;

/**
 * The value a model watches over its held-out rows: the loss, or the metric its
 * {@code stop when test_<metric> ...} names; what {@code --save-best} keeps the best of.
 */
public final class HeldOut {
    private HeldOut() {
    }

    /** Whether the model's held-out stop condition holds for this epoch's measure of the held-out rows. */
    static boolean stops(ModelSignature signature, Trainer.Evaluation test) {
        ModelSignature.HeldOutStop stop = signature.train() == null ? null : signature.train().heldOutStop();
        return stop != null && test != null && stop.holds(value(signature, test));
    }

    /** The name of the value watched: {@code test_accuracy} when the stop condition watches it, else {@code test_loss}. */
    public static String name(ModelSignature signature) {
        ModelSignature.HeldOutStop stop = signature.train() == null ? null : signature.train().heldOutStop();
        return stop == null ? "test_loss" : stop.name();
    }

    /** The value watched, in this measure of the held-out rows. */
    public static double value(ModelSignature signature, Trainer.Evaluation test) {
        ModelSignature.HeldOutStop stop = signature.train() == null ? null : signature.train().heldOutStop();
        if (stop == null || stop.metric() == null) {
            return test.loss();
        }
        return test.metrics().get(signature.metrics().indexOf(stop.metric()));
    }

    /** Whether {@code value} is better than {@code best}: higher for a condition that asks for more, else lower. */
    public static boolean better(ModelSignature signature, double value, double best) {
        ModelSignature.HeldOutStop stop = signature.train() == null ? null : signature.train().heldOutStop();
        boolean higher = stop != null && stop.higherIsBetter();
        return Double.isNaN(best) ? !Double.isNaN(value) : higher ? value > best : value < best;
    }
}
