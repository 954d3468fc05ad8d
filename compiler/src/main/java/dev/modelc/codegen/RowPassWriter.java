package dev.modelc.codegen;

import com.palantir.javapoet.CodeBlock;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Shape;
import dev.modelc.plan.Plan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One loop over the rows for a product by a single column of a param and the statements after
 * it that work on its rows: elementwise assignments of the product's shape and a sum of all
 * their elements. A linear model's forward pass, {@code x @ W + b - y} and the sum of its
 * squares, then reads each row once, and the chains of additions of every row's dot product
 * and of the sum run side by side instead of one pass after another.
 *
 * <p>The values and their bits are those of the separate statements: each row's dot product
 * adds its terms in {@code Matmul.multiply}'s order, from zero, and the sum adds the rows in
 * order. A statement joins only if every array the pass writes is read by it at the element
 * being written, never through a view at another row.
 */
final class RowPassWriter {
    /** The longest reduction a row's dot product is written out for, term by term. */
    static final int MAX_TERMS = 16;

    private final Variables variables;
    private final Dtype dtype;
    private final ElementRenderer elements;
    private final StatementWriter statements;

    RowPassWriter(Variables variables, Dtype dtype, ElementRenderer elements, StatementWriter statements) {
        this.variables = variables;
        this.dtype = dtype;
        this.elements = elements;
        this.statements = statements;
    }

    /**
     * The end (exclusive) of the row pass that starts at {@code from} in {@code pass}, at most
     * {@code to}; {@code from} itself when no pass starts there.
     */
    int end(List<Plan.Assignment> pass, int from, int to) {
        Plan.Assignment first = pass.get(from);
        if (!isColumnProduct(first)) {
            return from;
        }
        Shape shape = first.node().shape();
        Map<Node, String> written = new HashMap<>();
        written.put(first.node(), variables.target(first));
        int end = from + 1;
        while (end < to) {
            Plan.Assignment a = pass.get(end);
            Node node = a.node();
            if (isTotal(a, shape)) {
                if (readsInPlace(node.input(0), shape, written, false)) {
                    end++;
                }
                break;
            }
            if (!node.shape().equals(shape) || !statements.isPlainElementwise(a)
                    || !readsInPlace(node, shape, written, false)) {
                break;
            }
            written.put(node, variables.target(a));
            end++;
        }
        return end;
    }

    /**
     * {@code x @ W} for a param {@code W} of one column and at most {@link #MAX_TERMS} rows,
     * {@code x} stored as it is (not transposed), over more than one row.
     */
    private boolean isColumnProduct(Plan.Assignment a) {
        Node node = a.node();
        if (node.op() != Op.MATMUL || variables.of(node) != null || a.role() == Plan.Role.GRADIENT) {
            return false;
        }
        Node x = node.input(0);
        Node w = node.input(1);
        int k = x.shape().dim(1);
        return node.shape().dim(1) == 1 && node.shape().dim(0) != 1 && k != Shape.BATCH && k <= MAX_TERMS
                && w.op() == Op.PARAM && variables.of(w) != null && variables.of(x) != null && x.op() != Op.TRANSPOSE
                && !variables.of(x).equals(variables.target(a));
    }

    /** A sum of every element of a value of {@code shape} into a scalar. */
    private static boolean isTotal(Plan.Assignment a, Shape shape) {
        Node node = a.node();
        return node.op() == Op.SUM && node.shape().isScalar() && node.input(0).shape().equals(shape)
                && a.role() != Plan.Role.GRADIENT;
    }

    /**
     * Whether {@code node}'s expression reads each array the pass writes ({@code written}: the
     * pass's nodes so far and their arrays) only as a value of {@code shape} at the element being
     * written, never through a view.
     */
    private boolean readsInPlace(Node node, Shape shape, Map<Node, String> written, boolean underView) {
        String variable = written.containsKey(node) ? written.get(node) : variables.of(node);
        if (variable != null) {
            return !written.containsValue(variable) || !underView && node.shape().equals(shape);
        }
        if (node.op().isLeaf()) {
            return true;
        }
        if (!node.op().isElementwise() && !ElementRenderer.VIEWS.contains(node.op())) {
            return false;
        }
        boolean view = underView || node.op().kind() == Op.Kind.VIEW;
        for (Node input : node.inputs()) {
            if (!readsInPlace(input, shape, written, view)) {
                return false;
            }
        }
        return true;
    }

    // float W_0 = W[0]; ... float t2; { float acc = 0.0f; for (int i0 = 0; i0 < rows; i0++) {
    //     t1[i0] = 0.0f + x[i0 * 10] * W_0 + ...; t1[i0] = t1[i0] + b_0 - y[i0]; acc = acc + t1[i0] * t1[i0]; }
    //     t2 = acc; }
    /** The statements of one row pass as one loop; records where each value now lives. */
    CodeBlock write(List<Plan.Assignment> statements) {
        Plan.Assignment product = statements.get(0);
        Shape shape = product.node().shape();
        List<CodeBlock> index = Indexing.loopIndex(shape);
        elements.hoistParamElements();
        CodeBlock.Builder body = CodeBlock.builder();
        body.add(dot(product, index));
        variables.computed(product.node(), variables.target(product));
        Plan.Assignment total = null;
        for (Plan.Assignment a : statements.subList(1, statements.size())) {
            if (a.node().op() == Op.SUM) {
                total = a;
                JavaExpressions.Java value = elements.at(a.node().input(0), index);
                body.addStatement("acc = acc + $L", value.at(JavaExpressions.ADD + 1));
            } else {
                body.add(this.statements.element(a.node(), variables.target(a), index));
                variables.computed(a.node(), variables.target(a));
            }
        }
        CodeBlock.Builder code = CodeBlock.builder().add(elements.hoistedReads());
        CodeBlock loop = KernelWriter.loops(shape, index, body.build());
        if (total == null) {
            return code.add(loop).build();
        }
        String target = variables.target(total);
        if (!variables.isField(total)) {
            code.addStatement("$T $N", dtype.type(), target);
        }
        code.add(KernelWriter.wrap(CodeBlock.builder()
                .addStatement("$T acc = $L", dtype.type(), dtype.literal(0))
                .add(loop)
                .addStatement("$N = acc", target).build()));
        variables.computed(total.node(), target);
        return code.build();
    }

    // t1[i0] = 0.0f + x[i0 * 10] * W_0 + x[i0 * 10 + 1] * W_1 + ... + x[i0 * 10 + 9] * W_9;
    /**
     * A row of {@code x @ W}: its terms added from zero in the order of the reduction, as
     * {@code Matmul.multiply} adds them; the param's elements are read into locals before the loop.
     */
    private CodeBlock dot(Plan.Assignment product, List<CodeBlock> index) {
        Node x = product.node().input(0);
        Node w = product.node().input(1);
        String xArray = variables.of(x);
        String wArray = variables.of(w);
        List<CodeBlock> terms = new ArrayList<>();
        terms.add(dtype.literal(0));
        for (int p = 0; p < x.shape().dim(1); p++) {
            CodeBlock xp = CodeBlock.of("$N[$L]", xArray, Indexing.flat(List.of(index.get(0), CodeBlock.of("$L", p)),
                    x.shape()));
            CodeBlock wp = elements.element(w, wArray, Indexing.flat(List.of(CodeBlock.of("$L", p), Indexing.ZERO),
                    w.shape())).code();
            terms.add(CodeBlock.of("$L * $L", xp, wp));
        }
        return CodeBlock.of("$N[$L] = $L;\n", variables.target(product), Indexing.flat(index, product.node().shape()),
                CodeBlock.join(terms, " +$W"));
    }
}
