package dev.modelc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.testing.property.Property;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Random chains of slices, positions, concatenations, stacks, reshapes, flattens, gathers (with
 * repeated indices), and of images convolutions, poolings and batch norms, compiled to Java in
 * f64: the interpreter of the lowered IR must give the test's own reading of the model, the generated forward pass the interpreter's loss, and
 * the generated backward pass the central differences of the interpreter's loss.
 */
class LayoutGradientPropertyTest {
    private static final int TRIES = 250;
    private static final long SEED = 20261207L;
    /** Every kind of step must occur in at least this share of the cases. */
    private static final double MIN_SHARE = 0.05;

    private final CompiledModels<LayoutCase> models = new CompiledModels<>(LayoutCase::modelText);
    private final Map<LayoutCase.Kind, Integer> checkedKinds = new EnumMap<>(LayoutCase.Kind.class);

    static Property<LayoutCase> property() {
        return Property.forAll("compiled layout gradients match finite differences", new LayoutCaseGen())
                .tries(TRIES).seed(SEED).maxShrinkAttempts(100).describedBy(LayoutCase::describe);
    }

    @Test
    void compiledLayoutGradientsMatchFiniteDifferences() {
        Property<LayoutCase> property = property();
        models.compileAll(property.cases());
        Property.Report report = property.check(c -> {
            LayoutGradientCheck.check(c, models.lowered(c), models.instantiate(c, LayoutGradientCheck.CAPACITY));
            c.steps().stream().map(LayoutCase.Step::kind).distinct().forEach(k -> checkedKinds.merge(k, 1, Integer::sum));
        });
        System.out.println("steps in checked cases: " + checkedKinds);
        for (LayoutCase.Kind kind : LayoutCase.Kind.values()) {
            assertTrue(checkedKinds.getOrDefault(kind, 0) >= MIN_SHARE * report.checked(),
                    kind + " was checked too rarely: " + checkedKinds);
        }
    }
}
