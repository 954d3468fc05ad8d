package dev.modelc.testing;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Rng;
import dev.modelc.runtime.TrainableModel;
import java.util.List;
import java.util.Optional;

/**
 * The comparisons behind {@link GradCheck}, on one model at the inputs bound to it: the
 * gradients from its backward pass against central differences of its forward pass. Every
 * param is put back exactly as it was after each probe.
 */
final class FiniteDifferences {
    /** A central difference with the two one-sided differences made from the same loss values. */
    private record Probe(double central, double forward, double backward) {
    }

    private enum Verdict {
        WITHIN, ONE_SIDED, FAILED
    }

    private final TrainableModel model;
    private final GradCheck settings;
    private final List<ModelSignature.Param> params;
    private final double base;
    private final double[][] analytic;

    private FiniteDifferences(TrainableModel model, GradCheck settings, double base) {
        this.model = model;
        this.settings = settings;
        this.params = model.signature().params();
        this.base = base;
        this.analytic = new double[params.size()][];
        for (int p = 0; p < params.size(); p++) {
            analytic[p] = new double[params.get(p).size()];
            for (int i = 0; i < analytic[p].length; i++) {
                analytic[p][i] = model.gradient(p, i);
            }
        }
    }

    static GradCheckReport check(TrainableModel model, GradCheck settings) {
        String name = model.signature().name();
        double loss = model.forward();
        if (!Double.isFinite(loss)) {
            return new GradCheckReport(name, settings.describe(), loss, 0, 0, Optional.empty(), Optional.empty(),
                    false);
        }
        model.backward();
        FiniteDifferences differences = new FiniteDifferences(model, settings, loss);
        GradCheckReport report = settings.isFast() ? differences.directional() : differences.elementwise();
        // The probes left the model's stored values at a perturbed point: compute them again at its own.
        model.forward();
        model.backward();
        return report;
    }

    private GradCheckReport elementwise() {
        int checked = 0;
        int skipped = 0;
        boolean passed = true;
        GradCheckReport.Element worst = null;
        for (int p = 0; p < params.size(); p++) {
            for (int i = 0; i < analytic[p].length; i++) {
                Probe probe = probeElement(p, i);
                double a = analytic[p][i];
                double tolerance = settings.allowedError(a, probe.central());
                Verdict verdict = judge(a, probe, tolerance);
                checked++;
                if (verdict == Verdict.ONE_SIDED) {
                    skipped++;
                    continue;
                }
                passed &= verdict == Verdict.WITHIN;
                if (worst == null || ratio(a, probe.central(), tolerance)
                        > ratio(worst.analytic(), worst.numeric(), worst.tolerance())) {
                    worst = new GradCheckReport.Element(params.get(p).name(), i, position(params.get(p), i), a,
                            probe.central(), tolerance);
                }
            }
        }
        return new GradCheckReport(model.signature().name(), settings.describe(), base, checked, skipped,
                Optional.ofNullable(worst), Optional.empty(), passed);
    }

    /**
     * Compares along random directions; when one fails, compares every element too, so the
     * report can name the culprit. Passing costs two forward passes per direction.
     */
    private GradCheckReport directional() {
        Rng rng = new Rng(settings.directionSeed());
        int skipped = 0;
        boolean passed = true;
        GradCheckReport.Direction worst = null;
        for (int d = 0; d < settings.directions(); d++) {
            double[][] direction = new double[params.size()][];
            double dot = 0;
            for (int p = 0; p < params.size(); p++) {
                direction[p] = new double[analytic[p].length];
                for (int i = 0; i < direction[p].length; i++) {
                    direction[p][i] = rng.normal(0, 1);
                    dot += analytic[p][i] * direction[p][i];
                }
            }
            Probe probe = probeDirection(direction);
            double tolerance = settings.allowedError(dot, probe.central());
            Verdict verdict = judge(dot, probe, tolerance);
            if (verdict == Verdict.ONE_SIDED) {
                skipped++;
                continue;
            }
            passed &= verdict == Verdict.WITHIN;
            if (worst == null || ratio(dot, probe.central(), tolerance)
                    > ratio(worst.analytic(), worst.numeric(), worst.tolerance())) {
                worst = new GradCheckReport.Direction(d, settings.directions(), dot, probe.central(), tolerance);
            }
        }
        Optional<GradCheckReport.Element> element = passed ? Optional.empty() : elementwise().worst();
        return new GradCheckReport(model.signature().name(), settings.describe(), base, settings.directions(),
                skipped, element, Optional.ofNullable(worst), passed);
    }

    private Probe probeElement(int p, int i) {
        double at = model.param(p, i);
        double up = at + settings.eps();
        double down = at - settings.eps();
        model.setParam(p, i, up);
        double lossUp = model.forward();
        model.setParam(p, i, down);
        double lossDown = model.forward();
        model.setParam(p, i, at);
        // The steps actually taken, which rounding makes differ from eps when the param is large.
        return new Probe((lossUp - lossDown) / (up - down), (lossUp - base) / (up - at),
                (base - lossDown) / (at - down));
    }

    private Probe probeDirection(double[][] direction) {
        double eps = settings.eps();
        double[][] saved = new double[params.size()][];
        for (int p = 0; p < params.size(); p++) {
            saved[p] = new double[direction[p].length];
            for (int i = 0; i < saved[p].length; i++) {
                saved[p][i] = model.param(p, i);
            }
        }
        move(saved, direction, eps);
        double lossUp = model.forward();
        move(saved, direction, -eps);
        double lossDown = model.forward();
        restore(saved);
        return new Probe((lossUp - lossDown) / (2 * eps), (lossUp - base) / eps, (base - lossDown) / eps);
    }

    private void move(double[][] from, double[][] direction, double step) {
        for (int p = 0; p < from.length; p++) {
            for (int i = 0; i < from[p].length; i++) {
                model.setParam(p, i, from[p][i] + step * direction[p][i]);
            }
        }
    }

    private void restore(double[][] saved) {
        for (int p = 0; p < saved.length; p++) {
            for (int i = 0; i < saved[p].length; i++) {
                model.setParam(p, i, saved[p][i]);
            }
        }
    }

    /**
     * Within tolerance of the central difference; or else, where the two one-sided differences
     * disagree (a kink or a sharp bend within the step), an analytic value between them is set
     * aside rather than failed: it is the derivative on one side of the kink.
     */
    private static Verdict judge(double analytic, Probe probe, double tolerance) {
        if (Math.abs(analytic - probe.central()) <= tolerance) {
            return Verdict.WITHIN;
        }
        double low = Math.min(probe.forward(), probe.backward());
        double high = Math.max(probe.forward(), probe.backward());
        boolean sidesDisagree = high - low > tolerance;
        return sidesDisagree && analytic >= low - tolerance && analytic <= high + tolerance
                ? Verdict.ONE_SIDED : Verdict.FAILED;
    }

    /** How far over or under its tolerance a comparison is; NaN counts as the worst. */
    private static double ratio(double analytic, double numeric, double tolerance) {
        double ratio = Math.abs(analytic - numeric) / tolerance;
        return Double.isNaN(ratio) ? Double.POSITIVE_INFINITY : ratio;
    }

    /** The row-major flat index as one index per dimension. */
    private static List<Integer> position(ModelSignature.Param param, int flat) {
        List<Integer> shape = param.shape();
        Integer[] position = new Integer[shape.size()];
        int rest = flat;
        for (int d = shape.size() - 1; d >= 0; d--) {
            position[d] = rest % shape.get(d);
            rest /= shape.get(d);
        }
        return List.of(position);
    }
}
