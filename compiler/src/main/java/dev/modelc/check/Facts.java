package dev.modelc.check;

import dev.modelc.diagnostics.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * What the checker knows of an expression: its type (null once an error made it unknown, so
 * that one mistake is reported once), whether it depends on a parameter, the
 * non-differentiable operations between a parameter and it, and whether an error was already
 * reported inside it (then its dependence on params is unknown too).
 */
record Facts(Type type, boolean dependsOnParam, List<Blocker> blockers, boolean isText, boolean errorInside) {
    static final Facts UNKNOWN = new Facts(null, false, List.of(), false, false);
    static final Facts TEXT = new Facts(null, false, List.of(), true, false);

    /** A non-differentiable operation whose operands depend on a parameter. */
    record Blocker(Span span, String what) {
    }

    static Facts of(Type type) {
        return new Facts(type, false, List.of(), false, false);
    }

    static Facts param(Type type) {
        return new Facts(type, true, List.of(), false, false);
    }

    Facts withType(Type newType) {
        return new Facts(newType, dependsOnParam, blockers, false, errorInside);
    }

    /** The dependencies of both; the type is set by the caller. */
    Facts join(Facts other) {
        List<Blocker> all = new ArrayList<>(blockers);
        all.addAll(other.blockers);
        return new Facts(type, dependsOnParam || other.dependsOnParam, List.copyOf(all), false,
                errorInside || other.errorInside);
    }

    Facts block(Span span, String what) {
        if (!dependsOnParam) {
            return this;
        }
        List<Blocker> all = new ArrayList<>(blockers);
        all.add(new Blocker(span, what));
        return new Facts(type, true, List.copyOf(all), false, errorInside);
    }

    /**
     * The facts of a value no gradient is taken through (a condition, indices): what it depends
     * on, and anything not differentiable on the way, no longer matter to the loss.
     */
    Facts withoutGradient() {
        return new Facts(type, false, List.of(), isText, errorInside);
    }

    /** The same facts, marked as coming from an expression with an error already reported. */
    Facts withErrorInside() {
        return new Facts(type, dependsOnParam, blockers, isText, true);
    }
}
