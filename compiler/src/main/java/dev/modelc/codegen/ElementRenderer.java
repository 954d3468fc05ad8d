package dev.modelc.codegen;

import com.palantir.javapoet.CodeBlock;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Slice;
import dev.modelc.plan.Reshapes;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders one element of a node as a Java expression, at a multi-index over the node's
 * shape: a variable's element, or the node's own expression with its inline operands
 * rendered at the matching element, so that a chain of elementwise ops and views becomes
 * one expression inside one loop.
 */
final class ElementRenderer implements JavaExpressions.Operands {
    /** The views this renderer reads through, never copying; a test checks it is every view op. */
    static final java.util.Set<Op> VIEWS = java.util.EnumSet.of(Op.EXPAND, Op.RESHAPE, Op.TRANSPOSE, Op.ONEHOT,
            Op.SLICE, Op.CONCAT, Op.GATHER);

    private final Variables variables;
    private final Dtype dtype;
    private List<CodeBlock> current = List.of();
    /** Elements of params read into locals before the loop being rendered, by their reads; null when not collecting. */
    private java.util.Map<String, String> hoisted;

    ElementRenderer(Variables variables, Dtype dtype) {
        this.variables = variables;
        this.dtype = dtype;
    }

    @Override
    public CodeBlock flatIndex(Node node) {
        return Indexing.flat(current, node.shape());
    }

    /** The element of {@code node} at {@code index}: its variable when it has one. */
    JavaExpressions.Java at(Node node, List<CodeBlock> index) {
        String variable = variables.of(node);
        if (variable != null) {
            if (!node.shape().isScalar()) {
                return element(node, variable, Indexing.flat(index, node.shape()));
            }
            // Inputs are the arrays bind() was given, even a scalar one.
            CodeBlock code = node.op() == Op.INPUT ? CodeBlock.of("$N[0]", variable) : CodeBlock.of("$N", variable);
            return new JavaExpressions.Java(code, JavaExpressions.ATOM);
        }
        return expression(node, index);
    }

    /** {@code variable[position]}, the array of {@code node}; or the local holding it, once read before the loop. */
    JavaExpressions.Java element(Node node, String variable, CodeBlock position) {
        if (hoisted != null && node.op() == Op.PARAM && position.toString().matches("[0-9]+")) {
            String local = hoisted.computeIfAbsent(variable + "[" + position + "]",
                    read -> variables.local(variable + "_" + position));
            return new JavaExpressions.Java(CodeBlock.of("$N", local), JavaExpressions.ATOM);
        }
        return new JavaExpressions.Java(CodeBlock.of("$N[$L]", variable, position), JavaExpressions.ATOM);
    }

    /**
     * From here until {@link #hoistedReads}, an element of a param at a fixed position (a bias
     * of one element broadcast over a loop, {@code b[0]}) renders as a local read before the
     * loop. A param is written only by the update, never in a loop of the passes; but the JIT,
     * which cannot tell two float arrays apart, would load it again after every store of the
     * loop and leave the loop scalar.
     */
    void hoistParamElements() {
        hoisted = new java.util.LinkedHashMap<>();
    }

    // float b_0 = b[0];
    /** The declarations of the locals read since {@link #hoistParamElements}; stops collecting. */
    CodeBlock hoistedReads() {
        CodeBlock.Builder code = CodeBlock.builder();
        hoisted.forEach((read, local) -> code.addStatement("$T $N = $L", dtype.type(), local, read));
        hoisted = null;
        return code.build();
    }

    /** The node's own expression at {@code index}, even when it has a variable. */
    JavaExpressions.Java expression(Node node, List<CodeBlock> index) {
        switch (node.op()) {
            case CONST:
                return JavaExpressions.constant(node.constantValue(), dtype);
            case BATCH_SIZE:
                return new JavaExpressions.Java(CodeBlock.of("rows"), JavaExpressions.ATOM);
            case EXPAND:
                return at(node.input(0), expandedIndex(node, index));
            case RESHAPE:
                return reshaped(node, index);
            case TRANSPOSE:
                return at(node.input(0), List.of(index.get(1), index.get(0)));
            case ONEHOT:
                return onehot(node, index);
            case SLICE:
                return sliced(node, index);
            case CONCAT:
                return concatenated(node, index);
            case GATHER:
                return at(node.input(0), tableIndex(node.input(1), index));
            default:
                break;
        }
        if (!node.op().isElementwise()) {
            throw new IllegalStateException(node.op() + " must be materialized before it is read");
        }
        List<CodeBlock> saved = current;
        current = index;
        try {
            return JavaExpressions.render(node, dtype, this);
        } finally {
            current = saved;
        }
    }

    private static List<CodeBlock> expandedIndex(Node expand, List<CodeBlock> index) {
        Node from = expand.input(0);
        if (from.shape().isScalar()) {
            return List.of();
        }
        List<CodeBlock> mapped = new ArrayList<>();
        for (int d = 0; d < from.shape().rank(); d++) {
            boolean broadcast = from.shape().dim(d) == 1 && expand.shape().dim(d) != 1;
            mapped.add(broadcast ? Indexing.ZERO : index.get(d));
        }
        return mapped;
    }

    private JavaExpressions.Java reshaped(Node reshape, List<CodeBlock> index) {
        Node from = reshape.input(0);
        String variable = variables.of(from);
        if (variable != null && !from.shape().isScalar()) {
            // Same buffer, same row-major order: the flat position does not change.
            return element(from, variable, Indexing.flat(index, reshape.shape()));
        }
        if (!Reshapes.isUnitReshape(reshape) && !from.shape().isScalar()) {
            throw new IllegalStateException("reshape of an inline value must only add or drop dimensions of size 1");
        }
        return at(from, from.shape().isScalar() ? List.of()
                : Indexing.throughUnitReshape(index, reshape.shape(), from.shape()));
    }

    private JavaExpressions.Java onehot(Node onehot, List<CodeBlock> index) {
        int last = index.size() - 1;
        JavaExpressions.Java label = at(onehot.input(0), index.subList(0, last));
        return new JavaExpressions.Java(CodeBlock.of("$L == $L ? $L : $L", label.at(JavaExpressions.COMPARE + 1),
                index.get(last), dtype.literal(1), dtype.literal(0)), JavaExpressions.TERNARY);
    }

    // x[i0 * 5 + i1 + 2]: the slice's start added to its axis's index
    private JavaExpressions.Java sliced(Node slice, List<CodeBlock> index) {
        Slice range = (Slice) slice.attribute();
        List<CodeBlock> mapped = new ArrayList<>(index);
        CodeBlock i = index.get(range.axis());
        mapped.set(range.axis(), range.from() == 0 ? i : i.toString().equals("0")
                ? CodeBlock.of("$L", range.from()) : CodeBlock.of("$L + $L", i, range.from()));
        return at(slice.input(0), mapped);
    }

    // i1 < 3 ? a[i0 * 3 + i1] : b[i0 * 2 + i1 - 3]
    private JavaExpressions.Java concatenated(Node concat, List<CodeBlock> index) {
        int axis = concat.axes().get(0);
        int first = concat.input(0).shape().dim(axis);
        CodeBlock i = index.get(axis);
        List<CodeBlock> second = new ArrayList<>(index);
        second.set(axis, CodeBlock.of("$L - $L", i, first));
        JavaExpressions.Java a = at(concat.input(0), index);
        JavaExpressions.Java b = at(concat.input(1), second);
        return new JavaExpressions.Java(CodeBlock.of("$L < $L ? $L : $L", i, first,
                a.at(JavaExpressions.TERNARY + 1), b.at(JavaExpressions.TERNARY)), JavaExpressions.TERNARY);
    }

    /**
     * The index into a table of the row that {@code ids} names at the leading part of {@code
     * index}, followed by the rest of it: {@code [ids[i0], i1]}, or {@code [(int) t3[i0], i1]} for
     * indices computed into a floating-point buffer.
     */
    List<CodeBlock> tableIndex(Node ids, List<CodeBlock> index) {
        int rank = ids.shape().rank();
        JavaExpressions.Java id = at(ids, index.subList(0, rank));
        List<CodeBlock> mapped = new ArrayList<>();
        mapped.add(isInteger(ids) ? id.code() : CodeBlock.of("(int) $L", id.at(JavaExpressions.UNARY)));
        mapped.addAll(index.subList(rank, index.size()));
        return mapped;
    }

    /** Whether the node's elements are Java ints: an integer input, or a view of integer inputs. */
    private static boolean isInteger(Node node) {
        if (node.op() == Op.INPUT) {
            return node.isIntegerInput();
        }
        return node.op().kind() == Op.Kind.VIEW && node.op() != Op.ONEHOT
                && node.inputs().stream().allMatch(ElementRenderer::isInteger);
    }

    @Override
    public JavaExpressions.Java java(Node operand) {
        return at(operand, operand.shape().isScalar() ? List.of() : current);
    }

    @Override
    public boolean isInline(Node operand) {
        return !operand.op().isLeaf() && variables.of(operand) == null;
    }
}
