package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.graph.Evaluator;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.testing.property.Property;
import java.util.List;

/**
 * The scalar gradient property for one case, shared by {@link ScalarGradientPropertyTest} and the
 * mutation tests that prove it fails for wrong derivative rules.
 */
final class ScalarGradientCheck {
    private ScalarGradientCheck() {
    }

    /**
     * The property for one case: the reference interpreter's value of the lowered IR and the
     * compiled forward value are the loss, and every gradient the central difference of the
     * test's own evaluation. {@code model} is a fresh instance of the case's class; discards the
     * case near a kink or where finite differences cannot be trusted.
     */
    static void check(GradientCase c, ModelIr ir, TrainableModel model) {
        double[] point = c.pointArray();
        Property.assume(!c.usedParams().isEmpty(), "the loss uses no parameter");
        assumeSafe(c.loss(), point);
        double[] expected = new double[point.length];
        for (int i = 0; i < point.length; i++) {
            FiniteDifferences.Estimate estimate = FiniteDifferences.derivative(c.loss(), point, i);
            Property.assume(estimate.isTrustworthy(tolerance(estimate.derivative())),
                    "finite differences unreliable");
            expected[i] = estimate.derivative();
        }

        for (int i = 0; i < point.length; i++) {
            assertEquals(point[i], model.param(i, 0), "initial value of p" + i);
        }
        double value = c.loss().eval(point);
        Node root = ir.loss().node();
        double interpreted = Evaluator.evaluate(List.of(root), name -> point[Integer.parseInt(name.substring(1))])
                .get(root);
        assertTrue(Math.abs(interpreted - value) <= 1e-9 * (1 + Math.abs(value)),
                "the interpreter of the lowered IR gives " + interpreted + " but the loss is " + value);
        double forward = model.forward();
        assertTrue(Math.abs(forward - value) <= 1e-9 * (1 + Math.abs(value)),
                "forward() gave " + forward + " but the loss is " + value);
        model.backward();
        for (int i = 0; i < point.length; i++) {
            double gradient = model.gradient(i, 0);
            assertTrue(Math.abs(gradient - expected[i]) <= tolerance(expected[i]),
                    "dL/dp" + i + ": compiled gradient " + gradient + " but finite differences give " + expected[i]);
        }
    }

    /** Discards a case with an operation near a kink or edge, at the point or where the differences probe. */
    private static void assumeSafe(ScalarExpr loss, double[] point) {
        DomainSafety.violation(loss, point).ifPresent(why -> Property.assume(false, why));
        for (double[] probe : FiniteDifferences.probes(point)) {
            DomainSafety.violation(loss, probe).ifPresent(why -> Property.assume(false, why + " near the point"));
        }
    }

    private static double tolerance(double derivative) {
        return 1e-6 + 1e-4 * Math.abs(derivative);
    }
}
