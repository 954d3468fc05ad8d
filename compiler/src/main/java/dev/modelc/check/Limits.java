package dev.modelc.check;

import dev.modelc.graph.Shape;
import java.util.Locale;

/**
 * The sizes modelc accepts, as README.md's "Limits" lists them, and how messages state them.
 * Each bound keeps every array a generated class allocates, and every index into it, within
 * Java's {@code int}, and is checked where the model declares or computes the value.
 */
public final class Limits {
    /** The most elements one declared dimension may have. */
    public static final long MAX_DIM = 1 << 24;
    /** The most elements one value may have apart from the batch dimension; also all params together. */
    public static final long MAX_ELEMENTS = 1 << 28;
    /** The most dimensions one value may have. */
    public static final int MAX_RANK = Shape.MAX_RANK;
    /** The most rows the train block's {@code batch} may ask for. */
    public static final int MAX_BATCH = 1 << 20;
    /** The longest array every JVM allocates: a few words below {@code Integer.MAX_VALUE} go to its header. */
    public static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private Limits() {
    }

    /**
     * The value with the most elements per batch row: {@code what} names it in a message, as
     * {@code `h`} or {@code a value in `L`}; empty when no value has the batch dimension.
     */
    public record Widest(String what, Shape shape) {
        /** Before any value with the batch dimension is seen: one element a row. */
        public static final Widest NONE = new Widest("", Shape.of(Shape.BATCH));

        public long rowElements() {
            return shape.sizeWithoutBatch();
        }

        /** This, or the other value if it has the batch dimension and more elements a row. */
        public Widest or(String otherWhat, Shape other) {
            return other != null && other.hasBatch() && other.sizeWithoutBatch() > rowElements()
                    ? new Widest(otherWhat, other) : this;
        }

        /** How a message names the declaration {@code name}, or a value computed inside it. */
        public static String of(String name, boolean itself) {
            return (itself ? "`" : "a value in `") + name + "`";
        }
    }

    /** The most rows of {@code rowElements} elements each that one array holds. */
    public static int maxRows(long rowElements) {
        return (int) (MAX_ARRAY / rowElements);
    }

    /** Why a batch of {@code rows} rows does not fit the widest value. */
    public static String tooManyRows(int rows, Widest widest) {
        return String.format(Locale.ROOT, "a batch of %,d rows makes %s %s hold %,d elements, more than a Java "
                + "array can (%,d)", rows, widest.what(), widest.shape(), rows * widest.rowElements(), MAX_ARRAY);
    }

    /** What batch size would fit. */
    public static String fewerRows(Widest widest) {
        return String.format(Locale.ROOT, "use a batch of at most %,d rows", maxRows(widest.rowElements()));
    }

    /** A count as messages write it: 268,435,456. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
