package dev.modelc;

import dev.modelc.graph.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tensor expression over declared params and inputs: what the tensor gradient property test
 * generates, writes as .model text and evaluates on its own. Shapes follow the test's own
 * reading of the language (NumPy broadcasting and matrix products), not the compiler's.
 */
sealed interface TensorExpr {

    Shape shape();

    /** A declared param or input, by name. */
    record Leaf(String name, Shape shape) implements TensorExpr {
    }

    /** A literal scalar. */
    record Constant(double value) implements TensorExpr {
        @Override
        public Shape shape() {
            return Shape.SCALAR;
        }
    }

    /** An operation; {@code axis} is the {@code axis =} argument as written, or null. */
    record Apply(TensorOp op, List<TensorExpr> operands, Integer axis, Shape shape) implements TensorExpr {
        public Apply {
            operands = List.copyOf(operands);
        }

        TensorExpr operand(int i) {
            return operands.get(i);
        }

        /** The axis counted from the front, defaulting as the language does; null for everything. */
        Integer resolvedAxis() {
            int rank = operand(0).shape().rank();
            if (axis == null) {
                return op.reducesEverythingWithoutAxis() || op.kind() == TensorOp.Kind.MATMUL ? null : rank - 1;
            }
            return axis < 0 ? axis + rank : axis;
        }

        Apply withOperand(int i, TensorExpr replacement) {
            List<TensorExpr> copy = new ArrayList<>(operands);
            copy.set(i, replacement);
            return TensorExpr.apply(op, axis, copy);
        }
    }

    /** The operation with its shape; throws when the operands do not fit it. */
    static Apply apply(TensorOp op, Integer axis, List<TensorExpr> operands) {
        if (operands.size() != op.arity()) {
            throw new IllegalArgumentException(op + " takes " + op.arity() + " operands");
        }
        List<Shape> shapes = operands.stream().map(TensorExpr::shape).toList();
        return new Apply(op, operands, axis, TensorShapes.result(op, shapes, axis));
    }

    static Apply apply(TensorOp op, TensorExpr... operands) {
        return apply(op, null, List.of(operands));
    }

    /** Operations on the longest path from the root to a leaf; 0 for a leaf. */
    default int depth() {
        if (this instanceof Apply a) {
            return 1 + a.operands().stream().mapToInt(TensorExpr::depth).max().orElse(0);
        }
        return 0;
    }

    /** Nodes in the tree, counting a repeated subtree each time. */
    default int size() {
        if (this instanceof Apply a) {
            return 1 + a.operands().stream().mapToInt(TensorExpr::size).sum();
        }
        return 1;
    }

    /** Adds the names of the leaves used anywhere in the tree to {@code names}. */
    default void collectLeaves(Set<String> names) {
        if (this instanceof Leaf leaf) {
            names.add(leaf.name());
        } else if (this instanceof Apply a) {
            a.operands().forEach(o -> o.collectLeaves(names));
        }
    }

    /** Counts each node of the tree, so that repeated subtrees can be named once. */
    default void countNodes(Map<TensorExpr, Integer> counts) {
        if (counts.merge(this, 1, Integer::sum) == 1 && this instanceof Apply a) {
            a.operands().forEach(o -> o.countNodes(counts));
        }
    }

    /** The operations of the tree, parents before their operands. */
    default void collectApplies(List<Apply> applies) {
        if (this instanceof Apply a) {
            applies.add(a);
            a.operands().forEach(o -> o.collectApplies(applies));
        }
    }
}
