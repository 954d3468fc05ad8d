package dev.modelc.graph;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * A value in the graph IR: an op applied to input nodes. Nodes are immutable and
 * hash-consed: building the same node twice returns the same object, so common
 * subexpressions merge as they are built and "unchanged" is an identity check.
 */
public final class Node {
    private static final Map<Node, WeakReference<Node>> INTERNED = new WeakHashMap<>();

    private final Op op;
    private final List<Node> inputs;
    private final Object attribute;
    private final Shape shape;
    private final int hash;

    private Node(Op op, List<Node> inputs, Object attribute, Shape shape) {
        this.op = op;
        this.inputs = inputs;
        this.attribute = attribute;
        this.shape = shape;
        int h = op.hashCode() * 31 + Objects.hashCode(attribute);
        for (Node input : inputs) {
            h = h * 31 + System.identityHashCode(input);
        }
        this.hash = h * 31 + shape.hashCode();
    }

    /** The node for {@code op(inputs)}, its shape given by {@link ShapeRules}. */
    public static Node of(Op op, Node... inputs) {
        return of(op, null, inputs);
    }

    /** The node for {@code op[attribute](inputs)}: axes of a reduction, the shape of a view. */
    public static Node of(Op op, Object attribute, Node... inputs) {
        if (op.isLeaf()) {
            throw new IllegalArgumentException(op + " is a leaf; use constant(), param(), input() or batchSize()");
        }
        if (inputs.length != op.arity()) {
            throw new IllegalArgumentException(op + " takes " + op.arity() + " inputs, got " + inputs.length);
        }
        List<Node> list = List.of(inputs);
        return intern(new Node(op, list, attribute, ShapeRules.resultShape(op, attribute, list)));
    }

    public static Node constant(double value) {
        // -0.0 and 0.0 compare equal as doubles but not as Double objects; keep them distinct.
        return intern(new Node(Op.CONST, List.of(), value, Shape.SCALAR));
    }

    public static Node param(String name, Shape shape) {
        return intern(new Node(Op.PARAM, List.of(), name, shape));
    }

    /** A model input; integer inputs hold class labels. */
    public static Node input(String name, Shape shape, boolean integer) {
        return intern(new Node(Op.INPUT, List.of(), new InputKey(name, integer), shape));
    }

    /** The number of rows of the current batch, a scalar known only at run time. */
    public static Node batchSize() {
        return intern(new Node(Op.BATCH_SIZE, List.of(), null, Shape.SCALAR));
    }

    /** A value of {@code shape} with every element {@code value}. */
    public static Node fill(double value, Shape shape) {
        Node c = constant(value);
        return shape.isScalar() ? c : of(Op.EXPAND, shape, c);
    }

    /** The attribute of an {@link Op#INPUT}. */
    public record InputKey(String name, boolean integer) {
    }

    private static Node intern(Node candidate) {
        synchronized (INTERNED) {
            WeakReference<Node> ref = INTERNED.get(candidate);
            Node existing = ref == null ? null : ref.get();
            if (existing != null) {
                return existing;
            }
            INTERNED.put(candidate, new WeakReference<>(candidate));
            return candidate;
        }
    }

    /** The same op and attribute over other inputs; this node itself if they are the same. */
    public Node withInputs(List<Node> newInputs) {
        if (newInputs.equals(inputs)) {
            return this;
        }
        return of(op, attribute, newInputs.toArray(Node[]::new));
    }

    public Op op() {
        return op;
    }

    public List<Node> inputs() {
        return inputs;
    }

    public Node input(int index) {
        return inputs.get(index);
    }

    public Shape shape() {
        return shape;
    }

    public boolean isConstant() {
        return op == Op.CONST;
    }

    public boolean isConstant(double value) {
        return op == Op.CONST && constantValue() == value;
    }

    /** The value of a {@link Op#CONST} node. */
    public double constantValue() {
        if (op != Op.CONST) {
            throw new IllegalStateException(op + " is not a constant");
        }
        return (Double) attribute;
    }

    /** The name of a {@link Op#PARAM} or {@link Op#INPUT} node. */
    public String name() {
        if (op == Op.PARAM) {
            return (String) attribute;
        }
        if (op == Op.INPUT) {
            return ((InputKey) attribute).name();
        }
        throw new IllegalStateException(op + " has no name");
    }

    /** Whether this is an integer input (class labels). */
    public boolean isIntegerInput() {
        return op == Op.INPUT && ((InputKey) attribute).integer();
    }

    /** The axes of a reduction or {@link Op#ARGMAX}, ascending. */
    @SuppressWarnings("unchecked")
    public List<Integer> axes() {
        return (List<Integer>) attribute;
    }

    /** The class count of a {@link Op#ONEHOT}. */
    public int classes() {
        return (Integer) attribute;
    }

    /** The attribute as the IR printer shows it: a value, a name, axes, a shape; null if none. */
    public Object attribute() {
        return attribute;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Node other) || hash != other.hash || op != other.op
                || !Objects.equals(attribute, other.attribute) || !shape.equals(other.shape)
                || inputs.size() != other.inputs.size()) {
            return false;
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i) != other.inputs.get(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return ExpressionPrinter.print(this);
    }
}
