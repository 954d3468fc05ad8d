package dev.modelc.graph;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape of each op's result from its attribute and its inputs' shapes: one entry per
 * non-leaf op. A rule throws {@link IllegalArgumentException} for inputs the op cannot take;
 * the checker reports user errors long before, so here it means a compiler bug.
 */
public final class ShapeRules {
    /** One op's result shape. */
    @FunctionalInterface
    interface Rule {
        Shape apply(Object attribute, List<Node> inputs);
    }

    private static final Map<Op, Rule> RULES = new EnumMap<>(Op.class);

    static {
        for (Op op : Op.values()) {
            if (op.isElementwise()) {
                RULES.put(op, (a, in) -> elementwise(in));
            }
        }
        RULES.put(Op.EXPAND, ShapeRules::expand);
        RULES.put(Op.RESHAPE, ShapeRules::reshape);
        RULES.put(Op.TRANSPOSE, (a, in) -> {
            Shape s = in.get(0).shape();
            require(s.rank() == 2, "transpose of " + s);
            return Shape.of(s.dim(1), s.dim(0));
        });
        RULES.put(Op.ONEHOT, (a, in) -> {
            List<Integer> dims = new ArrayList<>(in.get(0).shape().dims());
            dims.add((Integer) a);
            return new Shape(dims);
        });
        RULES.put(Op.SLICE, ShapeRules::slice);
        RULES.put(Op.CONCAT, ShapeRules::concat);
        RULES.put(Op.GATHER, (a, in) -> {
            Shape table = in.get(0).shape();
            require(table.rank() >= 1 && table.dim(0) != Shape.BATCH, "gather from " + table);
            List<Integer> dims = new ArrayList<>(in.get(1).shape().dims());
            dims.addAll(table.dims().subList(1, table.rank()));
            return new Shape(dims);
        });
        RULES.put(Op.SCATTER_ADD, (a, in) -> {
            Shape table = (Shape) a;
            List<Integer> dims = new ArrayList<>(in.get(1).shape().dims());
            dims.addAll(table.dims().subList(1, table.rank()));
            require(in.get(0).shape().equals(new Shape(dims)), "scatter_add of " + in.get(0).shape() + " to " + table);
            return table;
        });
        for (Op op : List.of(Op.SUM, Op.MAX, Op.LOGSUMEXP, Op.ARGMAX)) {
            RULES.put(op, ShapeRules::reduce);
        }
        RULES.put(Op.FIRST_MAX, (a, in) -> {
            reduce(a, in);
            return in.get(0).shape();
        });
        RULES.put(Op.MAX_POOL2D, (a, in) -> pooled(in.get(0).shape(), (Integer) a));
        RULES.put(Op.MAX_POOL2D_GRAD, (a, in) -> {
            Shape x = in.get(0).shape();
            require(pooled(x, (Integer) a).equals(in.get(1).shape()),
                    "max_pool2d_grad of " + in.get(1).shape() + " to " + x);
            return x;
        });
        RULES.put(Op.MATMUL, (a, in) -> {
            Shape x = in.get(0).shape();
            Shape y = in.get(1).shape();
            require(x.rank() == 2 && y.rank() == 2 && x.dim(1) == y.dim(0), "matmul " + x + " @ " + y);
            return Shape.of(x.dim(0), y.dim(1));
        });
        RULES.put(Op.CONV2D, (a, in) -> convolved(in.get(0).shape(), in.get(1).shape(), (Window) a));
        RULES.put(Op.CONV2D_INPUT, (a, in) -> {
            Window w = (Window) a;
            require(convolved(w.result(), in.get(1).shape(), w).equals(in.get(0).shape()),
                    "conv2d_input of " + in.get(0).shape() + " to " + w.result());
            return w.result();
        });
        RULES.put(Op.CONV2D_KERNEL, (a, in) -> {
            Window w = (Window) a;
            require(convolved(in.get(0).shape(), w.result(), w).equals(in.get(1).shape()),
                    "conv2d_kernel of " + in.get(1).shape() + " to " + w.result());
            return w.result();
        });
    }

    /** The shape of x [n, c, h, w] in windows of size x size: [n, c, h / size, w / size]. */
    private static Shape pooled(Shape x, int size) {
        require(x.rank() == 4 && x.dims().lastIndexOf(Shape.BATCH) <= 0 && size >= 1 && size <= x.dim(2)
                && size <= x.dim(3), "max_pool2d of " + x + " in windows of " + size);
        return Shape.of(x.dim(0), x.dim(1), x.dim(2) / size, x.dim(3) / size);
    }

    /** The shape of x [n, c, h, w] convolved with a kernel [f, c, kh, kw]: [n, f, oh, ow]. */
    private static Shape convolved(Shape x, Shape kernel, Window w) {
        require(x.rank() == 4 && kernel.rank() == 4 && x.dim(1) == kernel.dim(1) && !kernel.hasBatch()
                && x.dims().lastIndexOf(Shape.BATCH) <= 0 && w.stride() >= 1 && w.padding() >= 0
                && x.dim(2) + 2 * w.padding() >= kernel.dim(2) && x.dim(3) + 2 * w.padding() >= kernel.dim(3),
                "conv2d of " + x + " with " + kernel);
        return Shape.of(x.dim(0), kernel.dim(0), w.outSize(x.dim(2), kernel.dim(2)), w.outSize(x.dim(3), kernel.dim(3)));
    }

    private ShapeRules() {
    }

    public static Shape resultShape(Op op, Object attribute, List<Node> inputs) {
        Rule rule = RULES.get(op);
        if (rule == null) {
            throw new IllegalStateException("no shape rule for " + op);
        }
        return rule.apply(attribute, inputs);
    }

    /** Ops that have a rule; a test checks it is every non-leaf op. */
    public static Set<Op> covered() {
        return RULES.keySet();
    }

    private static Shape elementwise(List<Node> inputs) {
        Shape shape = Shape.SCALAR;
        for (Node input : inputs) {
            Shape s = input.shape();
            if (s.isScalar()) {
                continue;
            }
            require(shape.isScalar() || shape.equals(s), "elementwise op over " + shape + " and " + s);
            shape = s;
        }
        return shape;
    }

    private static Shape expand(Object attribute, List<Node> inputs) {
        Shape target = (Shape) attribute;
        Shape from = inputs.get(0).shape();
        if (!from.isScalar()) {
            require(from.rank() == target.rank(), "expand " + from + " to " + target);
            for (int i = 0; i < from.rank(); i++) {
                require(from.dim(i) == 1 || from.dim(i) == target.dim(i), "expand " + from + " to " + target);
            }
        }
        return target;
    }

    private static Shape reshape(Object attribute, List<Node> inputs) {
        Shape target = (Shape) attribute;
        Shape from = inputs.get(0).shape();
        require(from.size(7) == target.size(7) && from.size(11) == target.size(11), "reshape " + from + " to " + target);
        return target;
    }

    private static Shape slice(Object attribute, List<Node> inputs) {
        Slice slice = (Slice) attribute;
        Shape from = inputs.get(0).shape();
        require(slice.axis() >= 0 && slice.axis() < from.rank() && from.dim(slice.axis()) != Shape.BATCH
                && 0 <= slice.from() && slice.from() < slice.to() && slice.to() <= from.dim(slice.axis()),
                "slice " + slice + " of " + from);
        List<Integer> dims = new ArrayList<>(from.dims());
        dims.set(slice.axis(), slice.to() - slice.from());
        return new Shape(dims);
    }

    private static Shape concat(Object attribute, List<Node> inputs) {
        @SuppressWarnings("unchecked")
        int axis = ((List<Integer>) attribute).get(0);
        Shape a = inputs.get(0).shape();
        Shape b = inputs.get(1).shape();
        require(a.rank() == b.rank() && axis >= 0 && axis < a.rank() && a.dim(axis) != Shape.BATCH
                && b.dim(axis) != Shape.BATCH && a.without(axis).equals(b.without(axis)), "concat of " + a + " and " + b);
        List<Integer> dims = new ArrayList<>(a.dims());
        dims.set(axis, a.dim(axis) + b.dim(axis));
        return new Shape(dims);
    }

    private static Shape reduce(Object attribute, List<Node> inputs) {
        @SuppressWarnings("unchecked")
        List<Integer> axes = (List<Integer>) attribute;
        Shape from = inputs.get(0).shape();
        for (int axis : axes) {
            require(axis >= 0 && axis < from.rank(), "axis " + axis + " of " + from);
        }
        return from.removing(axes);
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalArgumentException("ill-shaped " + what);
        }
    }
}
