package dev.modelc.testing;

import java.util.List;
import java.util.Optional;

/**
 * What one {@link GradCheck} found: whether the model's gradients agree with finite differences
 * of its loss, and the comparison that came closest to failing, or failed by most.
 *
 * @param model the model's name
 * @param method how the gradients were compared, with the step and the tolerances
 * @param loss the loss at the point checked; when it is not finite nothing was compared
 * @param checked how many values were compared: elements, or directions in the fast mode
 * @param skipped comparisons set aside because the analytic value agrees with a one-sided
 *     difference but not with the central one, as at a kink (relu, abs, max) within the step
 * @param worst the element with the largest error for its tolerance; in the fast mode, found by
 *     checking every element once a direction failed, and empty when all directions passed
 * @param worstDirection in the fast mode, the direction with the largest error for its tolerance
 * @param passed whether every comparison was within its tolerance
 */
public record GradCheckReport(String model, String method, double loss, int checked, int skipped,
                              Optional<Element> worst, Optional<Direction> worstDirection, boolean passed) {

    /**
     * One parameter element: the gradient the model computed and the central difference of its
     * loss. The tolerance is {@code atol + rtol * max(|analytic|, |numeric|)}.
     *
     * @param position the element's index along each dimension of the param; empty for a scalar
     */
    public record Element(String param, int index, List<Integer> position, double analytic, double numeric,
                          double tolerance) {
        public Element {
            position = List.copyOf(position);
        }

        public double absError() {
            return Math.abs(analytic - numeric);
        }

        /** The error relative to the larger magnitude of the two values; 0 when both are 0. */
        public double relError() {
            double scale = Math.max(Math.abs(analytic), Math.abs(numeric));
            return scale == 0 ? absError() : absError() / scale;
        }

        public boolean passed() {
            return absError() <= tolerance;
        }

        /** Like {@code W1[0, 17]}; a scalar is its name alone. */
        public String name() {
            return position.isEmpty() ? param : param + position;
        }

        @Override
        public String toString() {
            return name() + " (flat index " + index + "): " + Comparison.text(analytic, numeric, tolerance);
        }
    }

    /** One random direction of the fast mode: the gradient's dot product with it, and the central difference. */
    public record Direction(int index, int of, double analytic, double numeric, double tolerance) {
        public boolean passed() {
            return Math.abs(analytic - numeric) <= tolerance;
        }

        @Override
        public String toString() {
            return "direction " + (index + 1) + " of " + of + ": " + Comparison.text(analytic, numeric, tolerance);
        }
    }

    public boolean lossFinite() {
        return Double.isFinite(loss);
    }

    /** Several lines: the verdict, what was compared, and the worst comparison. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("gradcheck ").append(model).append(": ")
                .append(passed ? "passed" : "FAILED").append(" (").append(method).append(")\n");
        if (!lossFinite()) {
            return text.append("  the loss is ").append(loss).append(" here, so there is nothing to compare")
                    .toString();
        }
        text.append("  loss ").append(loss).append("; ").append(checked)
                .append(worstDirection.isPresent() ? " direction" : " element").append(checked == 1 ? "" : "s")
                .append(" compared");
        if (skipped > 0) {
            text.append(", ").append(skipped).append(" set aside: they agree with a one-sided difference only,"
                    + " as at a kink within the step");
        }
        worstDirection.ifPresent(d -> text.append("\n  worst ").append(d));
        if (worst.isPresent()) {
            String where = worstDirection.isPresent() ? "worst element, by central differences: " : "worst: ";
            text.append("\n  ").append(where).append(worst.get());
        } else if (!passed && worstDirection.isPresent()) {
            text.append("\n  no single element is off by more than its tolerance: the error is spread thin");
        }
        return text.toString();
    }

    /** The text both kinds of comparison share. */
    static final class Comparison {
        private Comparison() {
        }

        static String text(double analytic, double numeric, double tolerance) {
            if (!Double.isFinite(analytic) || !Double.isFinite(numeric)) {
                return "analytic " + analytic + ", numeric " + numeric + ": not finite";
            }
            double abs = Math.abs(analytic - numeric);
            double scale = Math.max(Math.abs(analytic), Math.abs(numeric));
            return "analytic " + analytic + ", numeric " + numeric + ", abs error " + Decimals.compact(abs)
                    + ", rel error " + Decimals.compact(scale == 0 ? abs : abs / scale)
                    + (abs <= tolerance ? " within " : " over ") + "tolerance " + Decimals.compact(tolerance);
        }
    }
}
