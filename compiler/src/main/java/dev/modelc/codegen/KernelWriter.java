package dev.modelc.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Shape;
import dev.modelc.graph.Window;
import java.util.Arrays;
import java.util.List;

/** Writes the loops of ops that are not elementwise: reductions, logsumexp, argmax, matrix products. */
final class KernelWriter {
    private static final ClassName MATMUL = ClassName.get("dev.modelc.runtime", "Matmul");
    private static final ClassName CONV2D = ClassName.get("dev.modelc.runtime", "Conv2d");
    private static final ClassName POOLING = ClassName.get("dev.modelc.runtime", "Pooling");
    /** The ops with a kernel here; a test checks it is every op that is neither elementwise nor a view. */
    static final java.util.Set<Op> KERNELS = java.util.EnumSet.of(Op.SUM, Op.MAX, Op.LOGSUMEXP, Op.ARGMAX, Op.FIRST_MAX,
            Op.MATMUL,
            Op.SCATTER_ADD, Op.CONV2D, Op.CONV2D_INPUT, Op.CONV2D_KERNEL, Op.MAX_POOL2D, Op.MAX_POOL2D_GRAD);
    private final Variables variables;
    private final Dtype dtype;
    private final ElementRenderer elements;

    KernelWriter(Variables variables, Dtype dtype, ElementRenderer elements) {
        this.variables = variables;
        this.dtype = dtype;
        this.elements = elements;
    }

    CodeBlock write(Node node, String target, boolean field) {
        return switch (node.op()) {
            case SUM -> isSumOfRows(node) ? sumRows(node, target)
                    : isSumOfChannels(node) ? sumChannels(node, target)
                    : reduce(node, target, field, dtype.literal(0), "$L + $L");
            case MAX -> reduce(node, target, field, CodeBlock.of("$L.NEGATIVE_INFINITY", dtype.boxName()),
                    "$T.max($L, $L)");
            case LOGSUMEXP, ARGMAX -> alongAxis(node, target, field);
            case FIRST_MAX -> firstMax(node, target);
            case MATMUL -> matmul(node, target);
            case SCATTER_ADD -> scatterAdd(node, target);
            case CONV2D, CONV2D_INPUT, CONV2D_KERNEL -> conv(node, target);
            case MAX_POOL2D, MAX_POOL2D_GRAD -> maxPool(node, target);
            default -> throw new IllegalStateException("no kernel for " + node.op());
        };
    }

    /**
     * Nested loops over every element of {@code shape}, with {@code body} innermost; none over a
     * dimension of size 1, whose index is {@code 0} ({@link Indexing#loopIndex}).
     */
    static CodeBlock loops(Shape shape, List<CodeBlock> index, CodeBlock body) {
        CodeBlock.Builder code = CodeBlock.builder();
        int open = 0;
        for (int d = 0; d < shape.rank(); d++) {
            if (shape.dim(d) == 1) {
                continue;
            }
            code.beginControlFlow("for (int $L = 0; $L < $L; $L++)", index.get(d), index.get(d),
                    Indexing.dim(shape.dim(d)), index.get(d));
            open++;
        }
        if (open == 0 && shape.rank() > 0) {
            // Every dimension of size 1: a block of its own keeps the body's locals in their scope, as a loop would.
            return wrap(body);
        }
        code.add(body);
        for (int d = 0; d < open; d++) {
            code.endControlFlow();
        }
        return code.build();
    }

    // sum: Arrays.fill(t2, 0, 10, 0.0); for (i0..) for (i1..) t2[i1] = t2[i1] + g[i0 * 10 + i1];
    private CodeBlock reduce(Node node, String target, boolean field, CodeBlock start, String combine) {
        Node x = node.input(0);
        List<CodeBlock> index = Indexing.loopIndex(x.shape());
        JavaExpressions.Java value = elements.at(x, index);
        CodeBlock element = combine.startsWith("$T") ? value.code() : value.at(JavaExpressions.ADD + 1);
        boolean scalar = node.shape().isScalar();
        CodeBlock slot = scalar ? CodeBlock.of("acc")
                : CodeBlock.of("$N[$L]", target, Indexing.flat(Indexing.without(index, node.axes()), node.shape()));
        CodeBlock combined = combine.startsWith("$T")
                ? CodeBlock.of(combine, Math.class, slot, element) : CodeBlock.of(combine, slot, element);
        CodeBlock loop = loops(x.shape(), index, CodeBlock.of("$L = $L;\n", slot, combined));
        if (!scalar) {
            return CodeBlock.builder()
                    .addStatement("$T.fill($N, 0, $L, $L)", Arrays.class, target, Indexing.size(node.shape()), start)
                    .add(loop).build();
        }
        CodeBlock.Builder code = CodeBlock.builder();
        if (!field) {
            code.addStatement("$T $N", dtype.type(), target);
        }
        return code.add(wrap(CodeBlock.builder()
                .addStatement("$T acc = $L", dtype.type(), start)
                .add(loop)
                .addStatement("$N = acc", target).build())).build();
    }

    /**
     * Whether the node sums the rows of a stored matrix, whose columns are a fixed number: a
     * bias's gradient. The generated loop reads and writes the sums at every element.
     */
    private boolean isSumOfRows(Node node) {
        Node x = node.input(0);
        return x.shape().rank() == 2 && node.axes().equals(List.of(0)) && x.shape().dim(1) != Shape.BATCH
                && variables.of(x) != null && !node.shape().isScalar();
    }

    // Kernels.sumRows(dL_db1, t1, rows, 128);
    private CodeBlock sumRows(Node node, String target) {
        Shape x = node.input(0).shape();
        return CodeBlock.of("$T.sumRows($N, $N, $L, $L);\n", JavaExpressions.KERNELS, target,
                variables.of(node.input(0)), Indexing.dim(x.dim(0)), x.dim(1));
    }

    /** Whether the node sums stored images [n, c, h, w] over all but their channels: a convolution's bias gradient. */
    private boolean isSumOfChannels(Node node) {
        Shape x = node.input(0).shape();
        return x.rank() == 4 && node.axes().equals(List.of(0, 2, 3)) && x.dims().lastIndexOf(Shape.BATCH) <= 0
                && variables.of(node.input(0)) != null;
    }

    // Kernels.sumChannels(t16, t3, rows, 6, 576);
    private CodeBlock sumChannels(Node node, String target) {
        Shape x = node.input(0).shape();
        return CodeBlock.of("$T.sumChannels($N, $N, $L, $L, $L);\n", JavaExpressions.KERNELS, target,
                variables.of(node.input(0)), Indexing.dim(x.dim(0)), x.dim(1), x.dim(2) * x.dim(3));
    }

    /** Logsumexp and argmax: per output element, a pass along the axis for the maximum. */
    private CodeBlock alongAxis(Node node, String target, boolean field) {
        Node x = node.input(0);
        int axis = node.axes().get(0);
        List<CodeBlock> outer = Indexing.loopIndex(node.shape());
        List<CodeBlock> inner = Indexing.with(outer, axis, CodeBlock.of("k"));
        CodeBlock element = elements.at(x, inner).code();
        CodeBlock.Builder body = CodeBlock.builder()
                .addStatement("$T best = $L.NEGATIVE_INFINITY", dtype.type(), dtype.boxName());
        boolean argmax = node.op() == Op.ARGMAX;
        if (argmax) {
            body.addStatement("int bestIndex = 0");
        }
        body.beginControlFlow("for (int k = 0; k < $L; k++)", Indexing.dim(x.shape().dim(axis)))
                .beginControlFlow("if ($L > best)", element)
                .addStatement("best = $L", element);
        if (argmax) {
            body.addStatement("bestIndex = k");
        }
        body.endControlFlow().endControlFlow();
        CodeBlock result;
        if (argmax) {
            result = CodeBlock.of("bestIndex");
        } else {
            body.addStatement("$T total = $L", dtype.type(), dtype.literal(0))
                    .beginControlFlow("for (int k = 0; k < $L; k++)", Indexing.dim(x.shape().dim(axis)))
                    .addStatement("total += $L", dtype.fromDouble(CodeBlock.of("$T.exp($L - best)", Math.class, element)))
                    .endControlFlow();
            result = CodeBlock.of("best + $L", dtype.fromDouble(CodeBlock.of("$T.log(total)", Math.class)));
        }
        if (node.shape().isScalar()) {
            body.addStatement("$N = $L", target, result);
            CodeBlock.Builder code = CodeBlock.builder();
            if (!field) {
                code.addStatement("$T $N", dtype.type(), target);
            }
            return code.add(wrap(body.build())).build();
        }
        body.addStatement("$N[$L] = $L", target, Indexing.flat(outer, node.shape()), result);
        return loops(node.shape(), outer, body.build());
    }

    /**
     * Per group over the axes, the first element no later one exceeds marked 1, the rest 0:
     * Arrays.fill(t3, 0, rows * 30, 0.0);
     * for (i0..) { int bestIndex = -1; double best = 0.0; for (i1..) for (i2..) { if (bestIndex < 0 || x > best) {..} }
     * t3[bestIndex] = 1.0; }
     */
    private CodeBlock firstMax(Node node, String target) {
        Node x = node.input(0);
        Shape shape = x.shape();
        List<CodeBlock> index = Indexing.loopIndex(shape.rank());
        CodeBlock element = elements.at(x, index).code();
        CodeBlock.Builder inner = CodeBlock.builder()
                .addStatement("int bestIndex = -1")
                .addStatement("$T best = $L", dtype.type(), dtype.literal(0));
        for (int d : node.axes()) {
            inner.beginControlFlow("for (int $L = 0; $L < $L; $L++)", index.get(d), index.get(d),
                    Indexing.dim(shape.dim(d)), index.get(d));
        }
        inner.beginControlFlow("if (bestIndex < 0 || $L > best)", element)
                .addStatement("bestIndex = $L", Indexing.flat(index, shape))
                .addStatement("best = $L", element)
                .endControlFlow();
        for (int d = 0; d < node.axes().size(); d++) {
            inner.endControlFlow();
        }
        inner.addStatement("$N[bestIndex] = $L", target, dtype.literal(1));
        CodeBlock.Builder code = CodeBlock.builder()
                .addStatement("$T.fill($N, 0, $L, $L)", Arrays.class, target, Indexing.size(shape), dtype.literal(0));
        int kept = 0;
        for (int d = 0; d < shape.rank(); d++) {
            if (!node.axes().contains(d)) {
                code.beginControlFlow("for (int $L = 0; $L < $L; $L++)", index.get(d), index.get(d),
                        Indexing.dim(shape.dim(d)), index.get(d));
                kept++;
            }
        }
        // Inside a loop its locals are the loop body's; over every axis, a block of their own.
        code.add(kept == 0 ? wrap(inner.build()) : inner.build());
        for (int d = 0; d < kept; d++) {
            code.endControlFlow();
        }
        return code.build();
    }

    /**
     * Softmax with the logsumexp it is the stable form of, {@code exp(x - logsumexp(x))}: per
     * output element of the logsumexp, each {@code exp(x - max)} is computed once, stored in
     * softmax's array and summed, and the array is then divided by the sum. The logsumexp's
     * value is the one {@link #alongAxis} gives.
     */
    CodeBlock softmax(Node logsumexp, String target, Node softmax, String softmaxTarget) {
        Node x = logsumexp.input(0);
        int axis = logsumexp.axes().get(0);
        List<CodeBlock> outer = Indexing.loopIndex(logsumexp.shape());
        List<CodeBlock> inner = Indexing.with(outer, axis, CodeBlock.of("k"));
        CodeBlock element = elements.at(x, inner).code();
        CodeBlock out = CodeBlock.of("$N[$L]", softmaxTarget, Indexing.flat(inner, softmax.shape()));
        CodeBlock along = CodeBlock.of("for (int k = 0; k < $L; k++)", Indexing.dim(x.shape().dim(axis)));
        CodeBlock body = CodeBlock.builder()
                .addStatement("$T best = $L.NEGATIVE_INFINITY", dtype.type(), dtype.boxName())
                .beginControlFlow("$L", along)
                .beginControlFlow("if ($L > best)", element)
                .addStatement("best = $L", element)
                .endControlFlow().endControlFlow()
                .addStatement("$T total = $L", dtype.type(), dtype.literal(0))
                .beginControlFlow("$L", along)
                .addStatement("$T e = $L", dtype.type(),
                        dtype.fromDouble(CodeBlock.of("$T.exp($L - best)", Math.class, element)))
                .addStatement("$L = e", out)
                .addStatement("total += e")
                .endControlFlow()
                .addStatement("$N[$L] = best + $L", target, Indexing.flat(outer, logsumexp.shape()),
                        dtype.fromDouble(CodeBlock.of("$T.log(total)", Math.class)))
                .beginControlFlow("$L", along)
                .addStatement("$L /= total", out)
                .endControlFlow().build();
        return loops(logsumexp.shape(), outer, body);
    }

    // Arrays.fill(dL_dE, 0, 160, 0.0); for (i0..) for (i1..) dL_dE[ids[i0] * 16 + i1] += t4[i0 * 16 + i1];
    private CodeBlock scatterAdd(Node node, String target) {
        Node rows = node.input(0);
        List<CodeBlock> index = Indexing.loopIndex(rows.shape());
        CodeBlock slot = CodeBlock.of("$N[$L]", target,
                Indexing.flat(elements.tableIndex(node.input(1), index), node.shape()));
        return CodeBlock.builder()
                .addStatement("$T.fill($N, 0, $L, $L)", Arrays.class, target, Indexing.size(node.shape()),
                        dtype.literal(0))
                .add(loops(rows.shape(), index, CodeBlock.of("$L += $L;\n", slot, elements.at(rows, index).code())))
                .build();
    }

    // Matmul.multiply(x, false, W1, false, t1, rows, 64, 128);
    private CodeBlock matmul(Node node, String target) {
        Node a = node.input(0);
        Node b = node.input(1);
        return CodeBlock.of("$T.multiply($L, $L, $N, $L, $L, $L);\n", MATMUL, operand(a), operand(b), target,
                Indexing.dim(node.shape().dim(0)), Indexing.dim(a.shape().dim(1)), Indexing.dim(node.shape().dim(1)));
    }

    /** {@code array, transposed} for a matrix operand: a buffer, read through a transpose or reshapes. */
    private CodeBlock operand(Node x) {
        boolean transposed = x.op() == Op.TRANSPOSE;
        return CodeBlock.of("$N, $L", buffer(transposed ? x.input(0) : x), transposed);
    }

    /** The variable holding {@code x}'s elements in row-major order, possibly under reshapes. */
    private String buffer(Node x) {
        Node base = x;
        while (variables.of(base) == null && base.op() == Op.RESHAPE) {
            base = base.input(0);
        }
        String variable = variables.of(base);
        if (variable == null) {
            throw new IllegalStateException(x.op() + " operand " + base.op() + " has no buffer");
        }
        return variable;
    }

    /**
     * A convolution or one of its adjoints, given x's geometry, the kernel's and the window.
     * Conv2d.forward(x, K, t3, rows, 1, 8, 8, 16, 3, 3, 1, 1); the arguments after the arrays
     * are rows, channels, height, width, filters, kernel height and width, stride, padding.
     */
    private CodeBlock conv(Node node, String target) {
        Window w = (Window) node.attribute();
        Shape x = node.op() == Op.CONV2D_INPUT ? node.shape() : node.input(0).shape();
        Shape k = node.op() == Op.CONV2D_KERNEL ? node.shape() : node.input(1).shape();
        String method = switch (node.op()) {
            case CONV2D -> "forward";
            case CONV2D_INPUT -> "inputGradient";
            default -> "kernelGradient";
        };
        return CodeBlock.of("$T.$L($N, $N, $N, $L, $L, $L, $L, $L, $L, $L, $L, $L);\n", CONV2D, method,
                buffer(node.input(0)), buffer(node.input(1)), target, Indexing.dim(x.dim(0)), x.dim(1), x.dim(2),
                x.dim(3), k.dim(0), k.dim(2), k.dim(3), w.stride(), w.padding());
    }

    /**
     * Max pooling or its gradient, given x's geometry and the window's size:
     * Pooling.maxPool2d(t2, p1, rows, 6, 24, 24, 2);
     * Pooling.maxPool2dGradient(t2, dL_dp1, t5, rows, 6, 24, 24, 2);
     */
    private CodeBlock maxPool(Node node, String target) {
        Shape x = node.input(0).shape();
        CodeBlock operands = node.op() == Op.MAX_POOL2D ? CodeBlock.of("$N", buffer(node.input(0)))
                : CodeBlock.of("$N, $N", buffer(node.input(0)), buffer(node.input(1)));
        return CodeBlock.of("$T.$L($L, $N, $L, $L, $L, $L, $L);\n", POOLING,
                node.op() == Op.MAX_POOL2D ? "maxPool2d" : "maxPool2dGradient", operands, target,
                Indexing.dim(x.dim(0)), x.dim(1), x.dim(2), x.dim(3), node.attribute());
    }

    /** A block of its own, so that its locals do not clash with the next kernel's. */
    static CodeBlock wrap(CodeBlock code) {
        return CodeBlock.builder().add("{\n$>").add(code).add("$<}\n").build();
    }
}
