package dev.modelc;

import dev.modelc.ScalarExpr.Apply;
import dev.modelc.ScalarExpr.Constant;
import dev.modelc.ScalarExpr.Param;
import dev.modelc.testing.property.Shrinks;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Simpler expressions than a failing one, boldest first: an operand in place of the whole,
 * a leaf in place of a subtree, then the same changes deeper down, then plainer literals and
 * lower-numbered parameters. Every candidate has fewer nodes or, with as many, simpler leaves.
 */
final class ScalarExprShrinks {
    /** Literals shrink toward 1, which keeps them clear of the kinks and edges at 0. */
    private static final double SIMPLEST_CONSTANT = 1.0;

    private ScalarExprShrinks() {
    }

    static Stream<ScalarExpr> candidates(ScalarExpr expr) {
        if (expr instanceof Param p) {
            return p.index() == 0 ? Stream.of(new Constant(SIMPLEST_CONSTANT)) : Stream.of(new Param(0));
        }
        if (expr instanceof Constant c) {
            return Shrinks.decimal(c.value(), SIMPLEST_CONSTANT).map(Constant::new);
        }
        Apply apply = (Apply) expr;
        return Stream.of(apply.operands().stream(),
                        Stream.<ScalarExpr>of(new Param(0), new Constant(SIMPLEST_CONSTANT)),
                        IntStream.range(0, apply.operands().size()).boxed().flatMap(i -> inOperand(apply, i)))
                .flatMap(s -> s);
    }

    /** The node with operand {@code i} replaced by each of its own candidates. */
    private static Stream<ScalarExpr> inOperand(Apply apply, int i) {
        return candidates(apply.operand(i))
                .filter(smaller -> apply.op() != ScalarOp.POWER_CONSTANT || i == 0 || smaller instanceof Constant)
                .map(smaller -> {
                    List<ScalarExpr> operands = new ArrayList<>(apply.operands());
                    operands.set(i, smaller);
                    return new Apply(apply.op(), operands);
                });
    }

    /** The expression with parameter {@code removed} gone and the ones above it numbered one lower. */
    static ScalarExpr withoutParam(ScalarExpr expr, int removed) {
        if (expr instanceof Param p) {
            if (p.index() == removed) {
                throw new IllegalArgumentException("p" + removed + " is still used");
            }
            return p.index() > removed ? new Param(p.index() - 1) : p;
        }
        if (expr instanceof Apply a) {
            return new Apply(a.op(), a.operands().stream().map(o -> withoutParam(o, removed)).toList());
        }
        return expr;
    }
}
