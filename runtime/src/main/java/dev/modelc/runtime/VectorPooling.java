package dev.modelc.runtime;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector loops of {@link Pooling}'s 2x2 windows in float: a vector holds the pairs of
 * columns of several windows side by side, the lanes of each pair exchanged by a shuffle so that
 * every lane sees its window's four elements. The maximum is exact; the gradient's comparisons
 * are the scalar loop's, in its order, and choose by masks, without branches.
 */
final class VectorPooling {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int FL = F.length();
    /** Each lane's partner in its pair: 1, 0, 3, 2, ... */
    private static final VectorShuffle<Float> SWAP = VectorShuffle.fromOp(F, i -> i ^ 1);
    /** Lane i takes element i / 2: each window's value for both lanes of its pair. */
    private static final VectorShuffle<Float> PAIRS = VectorShuffle.fromOp(F, i -> i / 2);
    /** Lane i takes element 2i: the first lane of each pair, to the front. */
    private static final VectorShuffle<Float> FIRSTS = VectorShuffle.fromOp(F, i -> (2 * i) % FL);
    private static final VectorMask<Float> ODD = VectorMask.fromLong(F, 0xAAAAAAAAAAAAAAAAL);
    private static final VectorMask<Float> EVEN = ODD.not();

    private VectorPooling() {
    }

    /**
     * Row pair (a, b) of x to the output row at o, for the columns c from 0 while a whole vector
     * of them fits in the row and its maxima fit before {@code end}; returns the first column left.
     */
    static int maxRow(float[] x, int a, int b, float[] y, int o, int width, int end) {
        int c = 0;
        for (; c + FL <= width && o + c / 2 + FL <= end; c += FL) {
            FloatVector top = FloatVector.fromArray(F, x, a + c);
            FloatVector bottom = FloatVector.fromArray(F, x, b + c);
            FloatVector m = top.lanewise(VectorOperators.MAX, top.rearrange(SWAP))
                    .lanewise(VectorOperators.MAX, bottom.lanewise(VectorOperators.MAX, bottom.rearrange(SWAP)));
            // The even lanes hold the windows' maxima; the lanes after them, written too, are the next ones'.
            m.rearrange(FIRSTS).intoArray(y, o + c / 2);
        }
        return c;
    }

    /**
     * The gradient of row pair (a, b) of x from the cotangents at o, for the columns c from 0
     * while a whole vector fits in the row and FL cotangents can be read before {@code end};
     * returns the first column left.
     */
    static int gradientRow(float[] x, float[] g, float[] dx, int a, int b, int o, int width, int end) {
        FloatVector zero = FloatVector.zero(F);
        int c = 0;
        for (; c + FL <= width && o + c / 2 + FL <= end; c += FL) {
            FloatVector top = FloatVector.fromArray(F, x, a + c);
            FloatVector bottom = FloatVector.fromArray(F, x, b + c);
            FloatVector topSwapped = top.rearrange(SWAP);
            FloatVector bottomSwapped = bottom.rearrange(SWAP);
            FloatVector x0 = top.blend(topSwapped, ODD);
            FloatVector x1 = topSwapped.blend(top, ODD);
            FloatVector x2 = bottom.blend(bottomSwapped, ODD);
            FloatVector x3 = bottomSwapped.blend(bottom, ODD);
            VectorMask<Float> c1 = x1.compare(VectorOperators.GT, x0);
            FloatVector m1 = x0.blend(x1, c1);
            VectorMask<Float> c2 = x2.compare(VectorOperators.GT, m1);
            FloatVector m2 = m1.blend(x2, c2);
            VectorMask<Float> c3 = x3.compare(VectorOperators.GT, m2);
            VectorMask<Float> later = c2.or(c3);
            VectorMask<Float> first = c1.or(later).not().and(EVEN).or(c1.andNot(later).and(ODD));
            VectorMask<Float> second = c2.andNot(c3).and(EVEN).or(c3.and(ODD));
            FloatVector v = FloatVector.fromArray(F, g, o + c / 2).rearrange(PAIRS);
            zero.blend(v, first).intoArray(dx, a + c);
            zero.blend(v, second).intoArray(dx, b + c);
        }
        return c;
    }
}
