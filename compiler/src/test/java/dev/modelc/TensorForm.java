package dev.modelc;

import dev.modelc.TensorExpr.Apply;
import dev.modelc.graph.Shape;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The forms of tensor operations the property test must exercise beyond the operations
 * themselves: reductions over everything, over an axis, over the batch; every operand form of
 * {@code @}; every kind of broadcasting.
 */
enum TensorForm {
    REDUCE_EVERYTHING, REDUCE_AXIS, REDUCE_OVER_BATCH,
    VECTOR_DOT_VECTOR, MATRIX_TIMES_VECTOR, VECTOR_TIMES_MATRIX, BATCH_TIMES_MATRIX, MATRIX_TIMES_MATRIX,
    MATMUL_OVER_BATCH,
    /** A product with a matrix that is not square, {@code [2, 5] @ [5, 3]}: a swapped index shows. */
    NON_SQUARE_PRODUCT,
    /** The transpose of a matrix that is not square. */
    NON_SQUARE_TRANSPOSE,
    /** A scalar against a tensor. */
    BROADCAST_SCALAR,
    /** Fewer dimensions against more, such as [n] against [m, n]. */
    BROADCAST_FEWER_DIMS,
    /** A dimension of 1 against a longer one, such as [m, 1] against [m, n]. */
    BROADCAST_SIZE_ONE,
    /** A value without the batch dimension against every batch row. */
    BROADCAST_OVER_BATCH_ROWS,
    /** A name for a value used twice, so its gradient has two contributions. */
    SHARED_VALUE;

    /** The forms that occur in {@code loss}. */
    static Set<TensorForm> of(TensorExpr loss) {
        Set<TensorForm> forms = EnumSet.noneOf(TensorForm.class);
        List<Apply> applies = new ArrayList<>();
        loss.collectApplies(applies);
        for (Apply a : applies) {
            switch (a.op().kind()) {
                case REDUCTION -> reduction(a, forms);
                case MATMUL -> matmul(a.operand(0).shape(), a.operand(1).shape(), forms);
                case TRANSPOSE -> {
                    if (!square(a.shape())) {
                        forms.add(NON_SQUARE_TRANSPOSE);
                    }
                }
                case ELEMENTWISE, MSE -> {
                    if (a.operands().size() == 2) {
                        Shape full = TensorShapes.broadcast(a.operand(0).shape(), a.operand(1).shape());
                        a.operands().forEach(o -> broadcast(o.shape(), full, forms));
                    }
                }
                default -> {
                }
            }
        }
        if (applies.size() > applies.stream().distinct().count()) {
            forms.add(SHARED_VALUE);
        }
        return forms;
    }

    private static void reduction(Apply a, Set<TensorForm> forms) {
        Shape x = a.operand(0).shape();
        Integer axis = a.resolvedAxis();
        forms.add(axis == null ? REDUCE_EVERYTHING : REDUCE_AXIS);
        if (axis == null ? x.hasBatch() : x.dim(axis) == Shape.BATCH) {
            forms.add(REDUCE_OVER_BATCH);
        }
    }

    private static void matmul(Shape a, Shape b, Set<TensorForm> forms) {
        if (a.rank() == 1) {
            forms.add(b.rank() == 1 ? VECTOR_DOT_VECTOR : VECTOR_TIMES_MATRIX);
        } else if (b.rank() == 1) {
            forms.add(MATRIX_TIMES_VECTOR);
        } else {
            forms.add(a.dim(0) == Shape.BATCH ? BATCH_TIMES_MATRIX : MATRIX_TIMES_MATRIX);
        }
        if (b.dim(0) == Shape.BATCH) {
            forms.add(MATMUL_OVER_BATCH);
        }
        if (a.rank() == 2 && !square(a) || b.rank() == 2 && !square(b)) {
            forms.add(NON_SQUARE_PRODUCT);
        }
    }

    private static boolean square(Shape matrix) {
        return matrix.dim(0) == matrix.dim(1);
    }

    private static void broadcast(Shape operand, Shape full, Set<TensorForm> forms) {
        if (operand.equals(full)) {
            return;
        }
        if (operand.isScalar()) {
            forms.add(BROADCAST_SCALAR);
            return;
        }
        if (operand.rank() < full.rank()) {
            forms.add(BROADCAST_FEWER_DIMS);
        }
        for (int i = 0; i < operand.rank(); i++) {
            if (TensorShapes.fromRight(operand, i) == 1 && TensorShapes.fromRight(full, i) != 1) {
                forms.add(BROADCAST_SIZE_ONE);
            }
        }
        if (full.hasBatch() && !operand.hasBatch()) {
            forms.add(BROADCAST_OVER_BATCH_ROWS);
        }
    }
}
