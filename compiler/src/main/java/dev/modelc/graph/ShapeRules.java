package dev.modelc.graph;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The shape of each op's result from its inputs' shapes: one entry per op. */
public final class ShapeRules {
    private static final Map<Op, Function<List<Node>, Shape>> RULES = new EnumMap<>(Op.class);

    static {
        for (Op op : Op.values()) {
            if (op.isLeaf()) {
                RULES.put(op, inputs -> {
                    throw new IllegalStateException("leaves carry their own shape");
                });
            } else {
                RULES.put(op, ShapeRules::elementwise);
            }
        }
    }

    private ShapeRules() {
    }

    public static Shape resultShape(Op op, List<Node> inputs) {
        return RULES.get(op).apply(inputs);
    }

    /** Ops that have a rule; a test checks it is every op. */
    public static java.util.Set<Op> covered() {
        return RULES.keySet();
    }

    private static Shape elementwise(List<Node> inputs) {
        Shape shape = inputs.get(0).shape();
        for (Node input : inputs) {
            if (!input.shape().equals(shape)) {
                throw new IllegalArgumentException("elementwise op over shapes " + shape + " and " + input.shape());
            }
        }
        return shape;
    }
}
