package dev.modelc;

import java.util.List;
import java.util.Set;

/**
 * A scalar expression over parameters {@code p0, p1, ...}: what the gradient property test
 * generates, writes as .model text and evaluates on its own in double.
 */
sealed interface ScalarExpr {

    /** Parameter {@code p<index>}. */
    record Param(int index) implements ScalarExpr {
    }

    /** A literal. */
    record Constant(double value) implements ScalarExpr {
    }

    /** An operation on one or two operands. */
    record Apply(ScalarOp op, List<ScalarExpr> operands) implements ScalarExpr {
        public Apply {
            operands = List.copyOf(operands);
            if (operands.size() != op.arity()) {
                throw new IllegalArgumentException(op + " takes " + op.arity() + " operands");
            }
            if (op == ScalarOp.POWER_CONSTANT && !(operands.get(1) instanceof Constant)) {
                throw new IllegalArgumentException("a constant power needs a literal exponent");
            }
        }

        ScalarExpr operand(int i) {
            return operands.get(i);
        }
    }

    static ScalarExpr apply(ScalarOp op, ScalarExpr... operands) {
        return new Apply(op, List.of(operands));
    }

    /** The value at {@code point} (parameter i has value point[i]), by plain {@link Math}. */
    default double eval(double[] point) {
        if (this instanceof Param p) {
            return point[p.index()];
        }
        if (this instanceof Constant c) {
            return c.value();
        }
        Apply a = (Apply) this;
        double left = a.operand(0).eval(point);
        return a.op().apply(left, a.op().arity() == 2 ? a.operand(1).eval(point) : Double.NaN);
    }

    /** The expression as .model text, every operation parenthesized so precedence cannot matter. */
    default String text() {
        if (this instanceof Param p) {
            return "p" + p.index();
        }
        if (this instanceof Constant c) {
            String literal = Double.toString(Math.abs(c.value()));
            return c.value() < 0 || (c.value() == 0 && 1 / c.value() < 0) ? "(-" + literal + ")" : literal;
        }
        Apply a = (Apply) this;
        if (a.op().isCall()) {
            List<String> arguments = a.operands().stream().map(ScalarExpr::text).toList();
            return a.op().symbol() + "(" + String.join(", ", arguments) + ")";
        }
        if (a.op() == ScalarOp.NEGATE) {
            return "(-" + a.operand(0).text() + ")";
        }
        return "(" + a.operand(0).text() + " " + a.op().symbol() + " " + a.operand(1).text() + ")";
    }

    /** Operations on the longest path from the root to a leaf; 0 for a leaf. */
    default int depth() {
        if (this instanceof Apply a) {
            return 1 + a.operands().stream().mapToInt(ScalarExpr::depth).max().orElse(0);
        }
        return 0;
    }

    /** Nodes in the tree. */
    default int size() {
        if (this instanceof Apply a) {
            return 1 + a.operands().stream().mapToInt(ScalarExpr::size).sum();
        }
        return 1;
    }

    /** Adds the operations used anywhere in the tree to {@code ops}. */
    default void collectOps(Set<ScalarOp> ops) {
        if (this instanceof Apply a) {
            ops.add(a.op());
            a.operands().forEach(o -> o.collectOps(ops));
        }
    }

    /** Adds the indices of the parameters used anywhere in the tree to {@code params}. */
    default void collectParams(Set<Integer> params) {
        if (this instanceof Param p) {
            params.add(p.index());
        } else if (this instanceof Apply a) {
            a.operands().forEach(o -> o.collectParams(params));
        }
    }
}
