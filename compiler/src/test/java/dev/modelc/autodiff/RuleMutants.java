package dev.modelc.autodiff;

import static dev.modelc.autodiff.DerivativeRules.add;
import static dev.modelc.autodiff.DerivativeRules.mul;
import static dev.modelc.autodiff.DerivativeRules.neg;
import static dev.modelc.autodiff.DerivativeRules.recip;

import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Shape;
import dev.modelc.graph.Slice;
import dev.modelc.graph.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Wrong derivative rules the tests must catch, one row per differentiable op. From each row come
 * mutants of the real rule: each cotangent dropped, and each off by half, separately; every
 * cotangent off by half at one rank only, for each rank the op takes; off by half along one axis
 * only, for reductions; off by half for non-square matrices only, for products and transposes;
 * and the row's own mistakes, such as a forgotten factor. A mutant that is wrong only for some
 * nodes keeps the real rule elsewhere, so it shows only where the tests reach that shape.
 *
 * <p>A new op gets its row here; {@code WrongRuleMutationTest} fails, naming the op, until it has one.
 */
public final class RuleMutants {
    /** How much a cotangent is off in the mutants that are off: half again, neither a sign nor a factor 2. */
    static final double OFF = 1.5;

    /** A wrong rule and the nodes it is wrong at; elsewhere it is the real rule. */
    public record Mutant(Op op, String mistake, Predicate<Node> wrongAt, DerivativeRules.Rule wrong) {
        /** The rule the compiler runs with this mutant in place. */
        public DerivativeRules.Rule rule() {
            DerivativeRules.Rule real = real(op);
            return (y, g) -> wrongAt.test(y) ? wrong.vjp(y, g) : real.vjp(y, g);
        }

        @Override
        public String toString() {
            return op.mnemonic() + ": " + mistake;
        }
    }

    /** A mutant written by hand, with the body of a small model whose loss goes through the op where it is wrong. */
    public record Mistake(Mutant mutant, String model) {
    }

    /**
     * An op's row: the body of a small model whose loss goes through the op, the ranks its rule
     * works at (the largest rank of the node and its inputs), whether it reduces along axes or
     * multiplies matrices, and mistakes of its own.
     */
    public record Row(Op op, String model, int minRank, int maxRank, boolean axes, boolean matrices,
                      List<Mistake> mistakes, Set<Integer> withoutCotangent) {
        Row(Op op, String model, int minRank, int maxRank, boolean axes, boolean matrices) {
            this(op, model, minRank, maxRank, axes, matrices, List.of(), Set.of());
        }

        /** The same row for an op whose argument {@code k} never gets a cotangent (a condition, indices). */
        Row withoutCotangentTo(int k) {
            return new Row(op, model, minRank, maxRank, axes, matrices, mistakes, Set.of(k));
        }

        /** With a mistake made everywhere, shown by the row's model. */
        Row mistake(String what, DerivativeRules.Rule wrong) {
            return mistake(what, y -> true, model, wrong);
        }

        /** With a mistake made only where {@code where} holds, shown by {@code shownBy}, a model of its own. */
        Row mistake(String what, Predicate<Node> where, String shownBy, DerivativeRules.Rule wrong) {
            List<Mistake> more = new ArrayList<>(mistakes);
            more.add(new Mistake(new Mutant(op, what, where, wrong), shownBy));
            return new Row(op, model, minRank, maxRank, axes, matrices, more, withoutCotangent);
        }
    }

    /** The axes a reduction in the tests can have: one fewer than the highest rank they generate. */
    static final int AXES = 5;
    /** The real rules, taken before any test puts a wrong one in their place. */
    private static final Map<Op, DerivativeRules.Rule> REAL = new EnumMap<>(Op.class);

    static {
        for (Op op : Op.values()) {
            if (DerivativeRules.rule(op) != null) {
                REAL.put(op, DerivativeRules.rule(op));
            }
        }
    }

    private static Row elementwise(Op op, String model) {
        return new Row(op, model, 0, 5, false, false);
    }

    static final List<Row> ROWS = List.of(
            elementwise(Op.ADD, "param a = 0.7\nparam b = -1.3\nloss L = (a + b) * b")
                    .mistake("second cotangent negated", (y, g) -> new Node[] {g, neg(g)}),
            elementwise(Op.MUL, "param a = 0.7\nparam b = -1.3\nloss L = a * b")
                    .mistake("operands swapped", (y, g) -> new Node[] {mul(g, y.input(0)), mul(g, y.input(1))}),
            elementwise(Op.NEG, "param a = 0.7\nloss L = -a + a^2")
                    .mistake("sign dropped", (y, g) -> new Node[] {g}),
            elementwise(Op.RECIP, "param a = 0.7\nloss L = 1 / (a^2 + 1)")
                    .mistake("-1/x instead of -1/x^2", (y, g) -> new Node[] {neg(mul(g, y))}),
            elementwise(Op.POW, "param a = 0.7\nparam b = 1.3\nloss L = a^3 + a^b")
                    .mistake("exponent not lowered", (y, g) -> new Node[] {mul(g, mul(y.input(1), y)),
                        REAL.get(Op.POW).vjp(y, g)[1]}),
            elementwise(Op.EXP, "param a = 0.7\nloss L = exp(a)")
                    .mistake("the factor exp(x) forgotten", (y, g) -> new Node[] {g}),
            elementwise(Op.LOG, "param a = 0.7\nloss L = log(a)")
                    .mistake("times x instead of over x", (y, g) -> new Node[] {mul(g, y.input(0))}),
            elementwise(Op.SQRT, "param a = 0.7\nloss L = sqrt(a)")
                    .mistake("the 2 forgotten", (y, g) -> new Node[] {mul(g, recip(y))}),
            elementwise(Op.ABS, "param a = -0.7\nloss L = abs(a)")
                    .mistake("sign(x) forgotten", (y, g) -> new Node[] {g}),
            elementwise(Op.TANH, "param a = 0.7\nloss L = tanh(a)")
                    .mistake("1 + tanh^2", (y, g) -> new Node[] {mul(g, add(Node.constant(1), mul(y, y)))}),
            elementwise(Op.SIGMOID, "param a = 0.7\nloss L = sigmoid(a)")
                    .mistake("the factor 1 - s forgotten", (y, g) -> new Node[] {mul(g, y)}),
            elementwise(Op.SOFTPLUS, "param a = 0.7\nloss L = softplus(a)")
                    .mistake("sigmoid(-x)", (y, g) -> new Node[] {mul(g, Node.of(Op.SIGMOID, neg(y.input(0))))}),
            elementwise(Op.RELU, "param a = -0.7\nloss L = relu(a) + a^2")
                    .mistake("step(x) forgotten", (y, g) -> new Node[] {g}),
            elementwise(Op.SIN, "param a = 0.7\nloss L = sin(a)")
                    .mistake("-cos", (y, g) -> new Node[] {neg(mul(g, Node.of(Op.COS, y.input(0))))}),
            elementwise(Op.COS, "param a = 0.7\nloss L = cos(a)")
                    .mistake("sign dropped", (y, g) -> new Node[] {mul(g, Node.of(Op.SIN, y.input(0)))}),
            elementwise(Op.LOG1P, "param a = 0.7\nloss L = log1p(a)")
                    .mistake("1/x instead of 1/(1 + x)", (y, g) -> new Node[] {mul(g, recip(y.input(0)))}),
            elementwise(Op.EXPM1, "param a = 0.7\nloss L = expm1(a)")
                    .mistake("e^x - 1 instead of e^x", (y, g) -> new Node[] {mul(g, y)}),
            elementwise(Op.ERF, "param a = 0.7\nloss L = erf(a)")
                    .mistake("the factor 2/sqrt(pi) forgotten", (y, g) -> new Node[] {
                        mul(g, Node.of(Op.EXP, neg(mul(y.input(0), y.input(0)))))}),
            elementwise(Op.WHERE, "param a = 0.7\nparam b = -1.3\nloss L = where(a > b, a * b, b^2)")
                    .withoutCotangentTo(0)
                    .mistake("the cotangent sent down both branches", (y, g) -> new Node[] {null, g, g}),
            new Row(Op.EXPAND, "input x : [batch, 3]\nparam b : [3] = normal(0, 1)\nloss L = mean((x + b)^2)",
                    1, 5, false, false)
                    .mistake("summed back, then doubled", scaledEverywhere(Op.EXPAND, 2)),
            // Doubled, not negated: the vector product reshapes twice, and two sign flips cancel.
            new Row(Op.RESHAPE, "input x : [batch, 3]\nparam w : [3] = normal(0, 1)\nloss L = mean((x @ w)^2)",
                    2, 5, false, false)
                    .mistake("passed back doubled", scaledEverywhere(Op.RESHAPE, 2)),
            new Row(Op.TRANSPOSE, "param A : [2, 3] = normal(0, 1)\nparam B : [3, 2] = normal(0, 1)\n"
                    + "loss L = sum(transpose(A) * B)", 2, 2, false, true)
                    .mistake("not transposed back, for a square matrix", y -> square(y.shape()), "param A : [2, 2] ="
                            + " normal(0, 1)\nparam B : [2, 2] = normal(0, 1)\nloss L = sum(transpose(A) * B)",
                            (y, g) -> new Node[] {g})
                    .mistake("reshaped back instead of transposed", (y, g) -> new Node[] {
                        Node.of(Op.RESHAPE, y.input(0).shape(), g)}),
            new Row(Op.SLICE, "input x : [batch, 4]\nparam w : [4] = normal(0, 1)\n"
                    + "loss L = mean(sum(((x * w)[:, 1:3])^2, axis = 1))", 1, 5, false, false)
                    .mistake("placed at the start of the axis, not where the slice began", (y, g) -> {
                        Slice slice = (Slice) y.attribute();
                        return new Node[] {Indexes.unslice(g, y.input(0).shape(),
                                new Slice(slice.axis(), 0, slice.to() - slice.from()))};
                    }),
            new Row(Op.CONCAT, "param a : [2] = normal(0, 1)\nparam b : [2] = normal(0, 1)\n"
                    + "param c : [4] = normal(0, 1)\nloss L = sum(concat(a, b) * c * concat(b, a))", 1, 5, false, false)
                    .mistake("both halves from the front", (y, g) -> {
                        int axis = y.axes().get(0);
                        int first = y.input(0).shape().dim(axis);
                        return new Node[] {Node.of(Op.SLICE, new Slice(axis, 0, first), g),
                            Node.of(Op.SLICE, new Slice(axis, 0, first), g)};
                    }),
            new Row(Op.GATHER, "input ids : int[batch, 3]\nparam E : [3, 2] = normal(0, 1)\nloss L = mean(E[ids]^3)",
                    2, 5, false, false).withoutCotangentTo(1)
                    .mistake("each row's cotangent halved", (y, g) -> new Node[] {
                        Node.of(Op.SCATTER_ADD, y.input(0).shape(), mul(g, Node.constant(0.5)), y.input(1)), null}),
            new Row(Op.CONV2D, "input x : [batch, 2, 5, 5]\nparam K : [3, 2, 3, 3] = normal(0, 1)\n"
                    + "loss L = mean(tanh(conv2d(x, K, padding = 1)))", 4, 4, false, false)
                    .mistake("the kernel's gradient halved where the stride is above 1",
                            y -> ((Window) y.attribute()).stride() > 1, "input x : [batch, 2, 5, 5]\n"
                                    + "param K : [3, 2, 3, 3] = normal(0, 1)\nloss L = mean(tanh(conv2d(x, K, stride = 2)))",
                            (y, g) -> {
                                Node[] real = REAL.get(Op.CONV2D).vjp(y, g);
                                return new Node[] {real[0], mul(real[1], Node.constant(0.5))};
                            }),
            new Row(Op.SUM, "input x : [batch, 3]\nparam w : [3] = normal(0, 1)\n"
                    + "loss L = mean(sum(x * w, axis = 1)^2)", 1, 5, true, false)
                    .mistake("spread at half", scaledEverywhere(Op.SUM, 0.5))
                    .mistake("spread at half for inputs of rank 4 or more", y -> y.input(0).shape().rank() >= 4,
                            "input x : [batch, 2, 3, 2]\nparam w : [3, 2] = normal(0, 1)\n"
                                    + "loss L = mean(sum(x * w, axis = 2)^2)", scaledEverywhere(Op.SUM, 0.5)),
            new Row(Op.MAX, "input x : [batch, 3]\nparam w : [3] = normal(0, 1)\nloss L = mean(max(x * w, axis = 1))",
                    1, 5, true, false)
                    .mistake("spread to every element, not only the largest", (y, g) -> new Node[] {
                        Broadcasts.unreduce(g, y.input(0).shape(), y.axes())}),
            new Row(Op.MAX_POOL2D, "input x : [batch, 2, 4, 4]\nparam w : [2, 4, 4] = normal(0, 1)\n"
                    + "loss L = mean(max_pool2d(x * w, 2)^2)", 4, 4, false, false)
                    .mistake("spread to every element of its window", (y, g) -> new Node[] {
                        Node.of(Op.RESHAPE, y.input(0).shape(), Broadcasts.unreduce(g, windows(y), List.of(3, 5)))}),
            new Row(Op.LOGSUMEXP, "input x : [batch, 3]\nparam w : [3] = normal(0, 1)\n"
                    + "loss L = mean(logsumexp(x * w, axis = 1))", 1, 5, true, false)
                    .mistake("softmax forgotten", (y, g) -> new Node[] {
                        Broadcasts.unreduce(g, y.input(0).shape(), y.axes())}),
            new Row(Op.MATMUL, "input x : [batch, 2]\nparam W1 : [2, 3] = normal(0, 1)\n"
                    + "param W2 : [3, 2] = normal(0, 1)\nloss L = mean(tanh(x @ W1) @ W2)", 2, 2, false, true)
                    .mistake("g @ b instead of g @ b^T, for a square b", y -> square(y.input(1).shape())
                                    && y.input(1).shape().dim(0) > 1,
                            "input x : [batch, 2]\nparam W1 : [2, 2] = normal(0, 1)\nparam W2 : [2, 2] = normal(0, 1)"
                                    + "\nloss L = mean(tanh(x @ W1) @ W2)", (y, g) -> new Node[] {
                                Node.of(Op.MATMUL, g, y.input(1)),
                                Node.of(Op.MATMUL, Node.of(Op.TRANSPOSE, y.input(0)), g)}));

    /**
     * MAX's cotangent sent to every element equal to the maximum rather than to the first: finite
     * differences cannot tell (at a tie they give each element half), so {@code MaxTiesTest},
     * with explicit ties, is the test that must catch it.
     */
    public static final Mutant EVERY_TIED_MAXIMUM = new Mutant(Op.MAX, "every tied maximum", y -> true, (y, g) -> {
        Node x = y.input(0);
        Node isMax = Node.of(Op.EQ, x, Broadcasts.unreduce(y, x.shape(), y.axes()));
        return new Node[] {mul(Broadcasts.unreduce(g, x.shape(), y.axes()), isMax)};
    });

    /**
     * Max pooling's cotangent to every element equal to its window's maximum, for windows that
     * tile x; {@code MaxTiesTest} must catch it, as for {@link #EVERY_TIED_MAXIMUM}.
     */
    public static final Mutant EVERY_TIED_POOLED_MAXIMUM = new Mutant(Op.MAX_POOL2D, "every tied maximum",
            y -> true, (y, g) -> {
                Shape windows = windows(y);
                List<Integer> axes = List.of(3, 5);
                Node x = Node.of(Op.RESHAPE, windows, y.input(0));
                Node isMax = Node.of(Op.EQ, x, Broadcasts.unreduce(y, windows, axes));
                return new Node[] {Node.of(Op.RESHAPE, y.input(0).shape(),
                        mul(Broadcasts.unreduce(g, windows, axes), isMax))};
            });

    private RuleMutants() {
    }

    /** A max pooling's input [n, c, h, w], whose windows tile it, as [n, c, h / size, size, w / size, size]. */
    private static Shape windows(Node pool) {
        Shape x = pool.input(0).shape();
        int size = (Integer) pool.attribute();
        return Shape.of(x.dim(0), x.dim(1), x.dim(2) / size, size, x.dim(3) / size, size);
    }

    /** Runs {@code body} with the mutant in place of its op's rule, then puts the real rule back. */
    public static void withMutant(Mutant mutant, Runnable body) {
        DerivativeRules.withOverride(mutant.op(), mutant.rule(), body);
    }

    /** The row of {@code op}, or null. */
    public static Row row(Op op) {
        return ROWS.stream().filter(r -> r.op() == op).findFirst().orElse(null);
    }

    /** Every mutant of every row: the derived ones first, then the row's own mistakes. */
    public static List<Mutant> all() {
        List<Mutant> all = new ArrayList<>();
        for (Row row : ROWS) {
            all.addAll(derived(row));
            row.mistakes().forEach(m -> all.add(m.mutant()));
        }
        return all;
    }

    /** The mutants every row gets from the real rule, per argument and across shapes. */
    static List<Mutant> derived(Row row) {
        Op op = row.op();
        List<Mutant> mutants = new ArrayList<>();
        for (int k = 0; k < op.arity(); k++) {
            if (row.withoutCotangent().contains(k)) {
                continue;
            }
            int argument = k;
            mutants.add(new Mutant(op, "cotangent " + k + " dropped", y -> true,
                    (y, g) -> withCotangent(real(op).vjp(y, g), argument, null)));
            mutants.add(new Mutant(op, "cotangent " + k + " off by half", y -> true, (y, g) -> {
                Node[] cotangents = real(op).vjp(y, g);
                return withCotangent(cotangents, argument, off(cotangents[argument]));
            }));
        }
        for (int rank = row.minRank(); rank <= row.maxRank(); rank++) {
            int r = rank;
            mutants.add(new Mutant(op, "off by half at rank " + r + " only", y -> rank(y) == r, offEverywhere(op)));
        }
        if (row.axes()) {
            for (int axis = 0; axis < AXES; axis++) {
                List<Integer> alone = List.of(axis);
                mutants.add(new Mutant(op, "off by half along axis " + axis + " only", y -> y.axes().equals(alone),
                        offEverywhere(op)));
            }
        }
        if (row.matrices()) {
            mutants.add(new Mutant(op, "off by half for a matrix that is not square only", RuleMutants::notSquare,
                    offEverywhere(op)));
        }
        return mutants;
    }

    /** The largest rank of the node and its inputs: the rank its rule works at. */
    static int rank(Node y) {
        int rank = y.shape().rank();
        for (Node input : y.inputs()) {
            rank = Math.max(rank, input.shape().rank());
        }
        return rank;
    }

    /** Whether the node or one of its inputs is a matrix that is not square. */
    static boolean notSquare(Node y) {
        List<Shape> shapes = new ArrayList<>();
        shapes.add(y.shape());
        y.inputs().forEach(input -> shapes.add(input.shape()));
        return shapes.stream().anyMatch(s -> s.rank() == 2 && !square(s));
    }

    private static boolean square(Shape s) {
        return s.rank() == 2 && s.dim(0) == s.dim(1);
    }

    static DerivativeRules.Rule real(Op op) {
        return REAL.get(op);
    }

    private static DerivativeRules.Rule offEverywhere(Op op) {
        return (y, g) -> Arrays.stream(real(op).vjp(y, g)).map(RuleMutants::off).toArray(Node[]::new);
    }

    /** The rule's own result, each cotangent scaled by {@code factor}. */
    private static DerivativeRules.Rule scaledEverywhere(Op op, double factor) {
        return (y, g) -> Arrays.stream(real(op).vjp(y, g)).map(c -> c == null ? null : mul(c, Node.constant(factor)))
                .toArray(Node[]::new);
    }

    private static Node off(Node cotangent) {
        return cotangent == null ? null : mul(cotangent, Node.constant(OFF));
    }

    private static Node[] withCotangent(Node[] cotangents, int k, Node replacement) {
        Node[] copy = cotangents.clone();
        copy[k] = replacement;
        return copy;
    }
}
