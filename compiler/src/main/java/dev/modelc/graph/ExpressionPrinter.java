package dev.modelc.graph;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Prints a node as an infix expression in the model language, with as few parentheses as
 * precedence allows, and with {@code a + -b} shown as {@code a - b} and {@code a * recip(b)}
 * as {@code a / b}. Named values can stand in for their subgraphs. A graph shares nodes but
 * text repeats them, so the text can grow exponentially with the graph: past
 * {@link #MAX_NODES} nodes, or {@link #MAX_DEPTH} levels down, the rest is shown as {@code ...}.
 */
public final class ExpressionPrinter {
    /** The most nodes one printed expression shows. */
    public static final int MAX_NODES = 1000;
    /** The deepest a printed expression nests; this bounds the printer's recursion. */
    public static final int MAX_DEPTH = 100;

    private static final int COMPARE = Op.Precedence.COMPARE.ordinal();
    private static final int ADD = Op.Precedence.ADD.ordinal();
    private static final int MUL = Op.Precedence.MUL.ordinal();
    private static final int UNARY = Op.Precedence.UNARY.ordinal();
    private static final int POW = Op.Precedence.POW.ordinal();
    private static final int ATOM = Op.Precedence.ATOM.ordinal();

    private final Function<Node, String> names;
    private final Consumer<Node> rendered;
    private int nodesLeft = MAX_NODES;
    private int depth;

    private ExpressionPrinter(Function<Node, String> names, Consumer<Node> rendered) {
        this.names = names;
        this.rendered = rendered;
    }

    public static String print(Node node) {
        return print(node, n -> null);
    }

    /** Prints with {@code names} giving a name for nodes to show by name, or null. */
    public static String print(Node node, Function<Node, String> names) {
        return print(node, names, n -> { });
    }

    /** The same, telling {@code rendered} of every node written out as an operation, as often as it is. */
    public static String print(Node node, Function<Node, String> names, Consumer<Node> rendered) {
        return new ExpressionPrinter(names, rendered).text(node, COMPARE);
    }

    /** Formats a constant the way a person writes it: {@code 2}, {@code 0.1}, {@code 1e-08}. */
    public static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value).toLowerCase(java.util.Locale.ROOT);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return (value == 0 && 1 / value < 0 ? "-" : "") + Long.toString((long) value);
        }
        String text = Double.toString(value);
        return text.replace("E", "e");
    }

    private String text(Node node, int context) {
        String name = node.op() == Op.PARAM || node.op() == Op.INPUT ? node.name() : names.apply(node);
        if (name != null) {
            return name;
        }
        if (nodesLeft-- <= 0 || depth >= MAX_DEPTH) {
            return "...";
        }
        depth++;
        rendered.accept(node);
        try {
            return operation(node, context);
        } finally {
            depth--;
        }
    }

    private String operation(Node node, int context) {
        String out;
        int prec;
        switch (node.op()) {
            case CONST -> {
                out = number(node.constantValue());
                prec = out.startsWith("-") ? UNARY : ATOM;
            }
            case ADD -> {
                prec = ADD;
                Node right = node.input(1);
                if (right.op() == Op.NEG) {
                    out = text(node.input(0), ADD) + " - " + text(right.input(0), ADD + 1);
                } else if (right.isConstant() && right.constantValue() < 0) {
                    out = text(node.input(0), ADD) + " - " + number(-right.constantValue());
                } else if (right.op() == Op.MUL && right.input(0).isConstant() && right.input(0).constantValue() < 0
                        && names.apply(right) == null) {
                    out = text(node.input(0), ADD) + " - " + number(-right.input(0).constantValue()) + " * "
                            + text(right.input(1), MUL + 1);
                } else {
                    out = text(node.input(0), ADD) + " + " + text(right, ADD + 1);
                }
            }
            case MUL -> {
                prec = MUL;
                Node right = node.input(1);
                Node left = node.input(0);
                if (right.op() == Op.RECIP) {
                    out = text(left, MUL) + " / " + text(right.input(0), MUL + 1);
                } else if (left.op() == Op.RECIP && names.apply(left) == null) {
                    out = text(right, MUL) + " / " + text(left.input(0), MUL + 1);
                } else {
                    out = text(node.input(0), MUL) + " * " + text(right, MUL + 1);
                }
            }
            case RECIP -> {
                prec = MUL;
                out = "1 / " + text(node.input(0), MUL + 1);
            }
            case NEG -> {
                prec = UNARY;
                out = node.op().symbol() + text(node.input(0), UNARY);
            }
            case POW -> {
                prec = POW;
                out = text(node.input(0), POW + 1) + node.op().symbol() + text(node.input(1), POW);
            }
            case EXPAND, RESHAPE -> {
                return text(node.input(0), context);
            }
            case EXP -> {
                prec = ATOM;
                Node softmaxOf = softmaxArgument(node);
                out = softmaxOf != null ? "softmax(" + text(softmaxOf, COMPARE) + ")"
                        : "exp(" + text(node.input(0), COMPARE) + ")";
            }
            case DROPOUT -> {
                prec = ATOM;
                out = "dropout(" + text(node.input(0), COMPARE) + ", " + ((DropoutSite) node.attribute()).rate() + ")";
            }
            case TRAINING -> {
                prec = ATOM;
                out = "training(" + text(node.input(0), COMPARE) + ", " + text(node.input(1), COMPARE) + ")";
            }
            case ONEHOT -> {
                prec = ATOM;
                out = "onehot(" + text(node.input(0), COMPARE) + ", " + node.classes() + ")";
            }
            case SLICE -> {
                prec = ATOM;
                Slice slice = (Slice) node.attribute();
                out = text(node.input(0), ATOM) + "[" + ":, ".repeat(slice.axis()) + slice.from() + ":" + slice.to()
                        + "]";
            }
            case GATHER -> {
                prec = ATOM;
                out = text(node.input(0), ATOM) + "[" + text(node.input(1), COMPARE) + "]";
            }
            case CONCAT -> {
                prec = ATOM;
                out = "concat(" + text(node.input(0), COMPARE) + ", " + text(node.input(1), COMPARE) + ", axis = "
                        + node.axes().get(0) + ")";
            }
            case CONV2D, CONV2D_INPUT, CONV2D_KERNEL -> {
                // The adjoints take the forward convolution's stride and padding: without them the
                // printed gradient would be another function.
                prec = ATOM;
                Window w = (Window) node.attribute();
                out = node.op().mnemonic() + "(" + text(node.input(0), COMPARE) + ", " + text(node.input(1), COMPARE)
                        + (w.stride() == 1 ? "" : ", stride = " + w.stride())
                        + (w.padding() == 0 ? "" : ", padding = " + w.padding()) + ")";
            }
            case MAX_POOL2D -> {
                prec = ATOM;
                out = "max_pool2d(" + text(node.input(0), COMPARE) + ", " + node.attribute() + ")";
            }
            case MAX_POOL2D_GRAD -> {
                prec = ATOM;
                out = "max_pool2d_grad(" + text(node.input(0), COMPARE) + ", " + text(node.input(1), COMPARE) + ", "
                        + node.attribute() + ")";
            }
            case BATCH_SIZE -> {
                prec = ATOM;
                out = "batch";
            }
            case SUM, MAX, LOGSUMEXP, ARGMAX, FIRST_MAX -> {
                prec = ATOM;
                out = node.op().mnemonic() + "(" + text(node.input(0), COMPARE) + axesText(node) + ")";
            }
            default -> {
                if (node.op().symbol() != null) {
                    return infix(node, context);
                }
                prec = ATOM;
                StringBuilder call = new StringBuilder(node.op().mnemonic()).append('(');
                for (int i = 0; i < node.inputs().size(); i++) {
                    call.append(i == 0 ? "" : ", ").append(text(node.input(i), COMPARE));
                }
                out = call.append(')').toString();
            }
        }
        return prec < context ? "(" + out + ")" : out;
    }

    /** x when {@code node} is exp(x - logsumexp(x)), the stable form of softmax(x); else null. */
    private static Node softmaxArgument(Node node) {
        Node sum = node.input(0);
        if (sum.op() != Op.ADD || sum.input(1).op() != Op.NEG) {
            return null;
        }
        Node spread = sum.input(1).input(0);
        while (spread.op() == Op.EXPAND || spread.op() == Op.RESHAPE) {
            spread = spread.input(0);
        }
        return spread.op() == Op.LOGSUMEXP && spread.input(0) == sum.input(0) ? sum.input(0) : null;
    }

    /** {@code a @ b}, {@code a < b}: comparisons do not chain, so both operands bind tighter. */
    private String infix(Node node, int context) {
        int prec = node.op().precedence().ordinal();
        String out = text(node.input(0), prec == COMPARE ? prec + 1 : prec) + " " + node.op().symbol() + " "
                + text(node.input(1), prec + 1);
        return prec < context ? "(" + out + ")" : out;
    }

    /**
     * {@code ""} over every axis, {@code ", axis = 1"} over one, {@code ", axes = [3, 5]"} over
     * several (a pooling window's).
     */
    private static String axesText(Node node) {
        List<Integer> axes = node.axes();
        if (axes.size() == node.input(0).shape().rank()) {
            return "";
        }
        return axes.size() == 1 ? ", axis = " + axes.get(0) : ", axes = " + axes;
    }
}
