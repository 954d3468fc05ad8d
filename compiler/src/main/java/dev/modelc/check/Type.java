package dev.modelc.check;

import dev.modelc.graph.Shape;

/** The type of a value in a model: integer (class labels, argmax) or floating point, and a shape. */
public record Type(boolean integer, Shape shape) {
    public static final Type SCALAR = new Type(false, Shape.SCALAR);

    public static Type floating(Shape shape) {
        return new Type(false, shape);
    }

    public Type asFloat() {
        return integer ? new Type(false, shape) : this;
    }

    @Override
    public String toString() {
        return (integer ? "int" : "") + shape;
    }
}
