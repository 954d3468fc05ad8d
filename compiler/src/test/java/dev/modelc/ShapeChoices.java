package dev.modelc;

import dev.modelc.graph.Shape;
import dev.modelc.testing.property.RandomSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Random shapes for the tensor generator: ranks 0 to {@link #MAX_RANK}, with the batch dimension
 * first or without it (or second in a matrix, as a transpose leaves it); dimensions drawn from
 * {@link #DIMS}, 1 for the edges of broadcasting and primes so that no two axes are mistaken for
 * each other, at most {@link #MAX_ELEMENTS} elements apart from the batch; and the operand
 * shapes that give a wanted result shape under broadcasting, reductions and matrix products.
 */
final class ShapeChoices {
    static final int MAX_RANK = 5;
    /** Dimensions, each equally likely: 1 twice as often as the others. */
    static final List<Integer> DIMS = List.of(1, 1, 2, 3, 4, 5, 7);
    /** Elements of a value apart from the batch dimension, so that finite differences stay quick. */
    static final int MAX_ELEMENTS = 64;
    /** The chance of each rank from 0 to {@link #MAX_RANK} for a shape the generator is free to choose. */
    private static final double[] RANK_WEIGHTS = {0.1, 0.2, 0.25, 0.15, 0.15, 0.15};
    /** How often a dimension the generator is free to choose is the batch dimension. */
    private static final double BATCH_CHANCE = 0.3;

    private final RandomSource random;

    ShapeChoices(RandomSource random) {
        this.random = random;
    }

    /** The shapes the generator builds values of. */
    static boolean valid(Shape s) {
        int batch = s.dims().indexOf(Shape.BATCH);
        if (s.rank() > MAX_RANK || elements(s) > MAX_ELEMENTS) {
            return false;
        }
        if (batch < 0) {
            return true;
        }
        boolean single = s.dims().lastIndexOf(Shape.BATCH) == batch;
        return single && (batch == 0 || batch == 1 && s.rank() == 2);
    }

    /** Shapes a declared input or param can have: the batch dimension, if any, first. */
    static boolean declarable(Shape s) {
        return valid(s) && s.dims().indexOf(Shape.BATCH) <= 0;
    }

    /** The elements of a value of this shape apart from the batch dimension. */
    static long elements(Shape s) {
        return s.dims().stream().filter(d -> d != Shape.BATCH).mapToLong(Integer::longValue)
                .reduce(1, Math::multiplyExact);
    }

    /** A dimension from {@link #DIMS}. */
    int dim() {
        return random.pick(DIMS);
    }

    /** A dimension from {@link #DIMS} that keeps a value of {@code elements} elements within the limit. */
    private int dimWithin(long elements) {
        List<Integer> fitting = DIMS.stream().filter(d -> elements * d <= MAX_ELEMENTS).toList();
        return random.pick(fitting);
    }

    /** A shape of rank {@code minRank} or more, with the batch dimension first about half the time. */
    Shape any(int minRank) {
        int rank = rank(minRank);
        boolean batch = rank > 0 && random.chance(0.5);
        List<Integer> dims = new ArrayList<>();
        if (batch) {
            dims.add(Shape.BATCH);
        }
        long elements = 1;
        while (dims.size() < rank) {
            int d = dimWithin(elements);
            elements *= d;
            dims.add(d);
        }
        return new Shape(dims);
    }

    private int rank(int minRank) {
        double total = 0;
        for (int r = minRank; r <= MAX_RANK; r++) {
            total += RANK_WEIGHTS[r];
        }
        double draw = random.nextDouble() * total;
        for (int r = minRank; r < MAX_RANK; r++) {
            draw -= RANK_WEIGHTS[r];
            if (draw < 0) {
                return r;
            }
        }
        return MAX_RANK;
    }

    /**
     * Two operand shapes that broadcast to {@code target}: the same shape, or the target and a
     * shape that broadcasts to it (a scalar, fewer leading dimensions, or some dimensions 1),
     * or for a matrix a column against a row.
     */
    Shape[] broadcastPair(Shape target) {
        double draw = random.nextDouble();
        if (target.isScalar() || draw < 0.4) {
            return new Shape[] {target, target};
        }
        if (target.rank() == 2 && draw < 0.5) {
            return new Shape[] {withOne(target, 1), withOne(target, 0)};
        }
        Shape source = source(target);
        if (!valid(source)) {
            return new Shape[] {target, target};
        }
        return random.chance(0.5) ? new Shape[] {target, source} : new Shape[] {source, target};
    }

    /** A shape that broadcasts to {@code target} without being it, where there is one. */
    private Shape source(Shape target) {
        int kind = random.nextInt(0, 2);
        if (kind == 0) {
            return Shape.SCALAR;
        }
        if (kind == 1 && target.rank() > 1) {
            return new Shape(target.dims().subList(random.nextInt(1, target.rank() - 1), target.rank()));
        }
        Shape ones = target;
        for (int axis = 0; axis < target.rank(); axis++) {
            if (random.chance(0.5)) {
                ones = withOne(ones, axis);
            }
        }
        return ones.equals(target) ? withOne(target, random.nextInt(0, target.rank() - 1)) : ones;
    }

    private static Shape withOne(Shape s, int axis) {
        List<Integer> dims = new ArrayList<>(s.dims());
        dims.set(axis, 1);
        return new Shape(dims);
    }

    /** Operand shapes whose matrix product has shape {@code target}, or null when none is valid. */
    Shape[] matmulOperands(Shape target) {
        if (target.rank() > 2) {
            return null;
        }
        int inner = !target.hasBatch() && random.chance(BATCH_CHANCE) ? Shape.BATCH : dim();
        Shape[] operands = switch (target.rank()) {
            case 0 -> new Shape[] {Shape.of(inner), Shape.of(inner)};
            case 1 -> random.chance(0.5) ? new Shape[] {Shape.of(target.dim(0), inner), Shape.of(inner)}
                    : new Shape[] {Shape.of(inner), Shape.of(inner, target.dim(0))};
            default -> new Shape[] {Shape.of(target.dim(0), inner), Shape.of(inner, target.dim(1))};
        };
        return valid(operands[0]) && valid(operands[1]) ? operands : null;
    }

    /** {@code target} with one more dimension at {@code axis}, to be reduced away; null when not valid. */
    Shape withAxis(Shape target, int axis) {
        List<Integer> dims = new ArrayList<>(target.dims());
        boolean batch = axis == 0 && !target.hasBatch() && random.chance(BATCH_CHANCE);
        dims.add(axis, batch ? Shape.BATCH : dimWithin(elements(target)));
        Shape shape = new Shape(dims);
        return valid(shape) ? shape : null;
    }

    /** The matrix shape with its two dimensions swapped. */
    static Shape swapped(Shape s) {
        return Shape.of(s.dim(1), s.dim(0));
    }
}
