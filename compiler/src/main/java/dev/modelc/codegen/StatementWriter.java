package dev.modelc.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.modelc.graph.Library;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Shape;
import dev.modelc.plan.Plan;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Writes the forward pass, one private method per {@code .model} line that {@code forward} calls
 * in turn, and the body of {@code backward}: one statement or loop nest per planned assignment,
 * nodes without a variable inlined into their single use, an update of an array in place written
 * as one ({@code h[i] += b[j]}), and above each group of the backward pass the gradient formula it
 * computes.
 */
final class StatementWriter {
    private final Plan plan;
    private final Variables variables;
    private final Dtype dtype;
    private final String sourceName;
    private final ElementRenderer elements;
    private final KernelWriter kernels;
    private final RowPassWriter rowPasses;

    StatementWriter(Plan plan, Variables variables, Dtype dtype, String sourceName) {
        this.plan = plan;
        this.variables = variables;
        this.dtype = dtype;
        this.sourceName = sourceName;
        this.elements = new ElementRenderer(variables, dtype);
        this.kernels = new KernelWriter(variables, dtype, elements);
        this.rowPasses = new RowPassWriter(variables, dtype, elements, this);
    }

    // public double forward() { h(); logits(); L(); return L; }
    MethodSpec forward(List<Lines.Line> lines, CodeBlock prelude) {
        MethodSpec.Builder method = MethodSpec.methodBuilder("forward").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(TypeName.DOUBLE);
        requireBound(method, "forward()");
        method.addCode(prelude);
        for (Lines.Line line : lines) {
            method.addStatement("$N()", variables.method(line));
        }
        method.addCode(keepRunning());
        return method.addStatement("return $N", variables.value(plan.model().loss().name())).build();
    }

    // if (dropoutKey != Dropout.OFF) { System.arraycopy(gamma1_running_mean_, 0, gamma1_running_mean, 0, 64); }
    private CodeBlock keepRunning() {
        CodeBlock.Builder code = CodeBlock.builder();
        for (Plan.Assignment a : plan.forward()) {
            if (a.role() == Plan.Role.VALUE && a.origin().kind() == ModelIr.NamedValue.Kind.RUNNING) {
                code.addStatement("$T.arraycopy($N, 0, $N, 0, $L)", System.class, variables.target(a),
                        variables.param(a.origin().name()), a.node().shape().sizeWithoutBatch());
            }
        }
        if (code.isEmpty()) {
            return code.build();
        }
        return CodeBlock.builder().add("// batch_norm: in training, the running statistics move toward this batch's\n")
                .beginControlFlow("if ($N != $T.OFF)", JavaExpressions.DROPOUT_KEY,
                        ClassName.get("dev.modelc.runtime", "Dropout"))
                .add(code.build()).endControlFlow().build();
    }

    /** Refuses to run before inputs are bound: the first input's field is still null. */
    void requireBound(MethodSpec.Builder method, String what) {
        if (!plan.model().inputs().isEmpty()) {
            String first = variables.input(plan.model().inputs().get(0).name());
            method.beginControlFlow("if ($N == null)", first)
                    .addStatement("throw new $T($S)", IllegalStateException.class, "bind inputs before " + what)
                    .endControlFlow();
        }
    }

    // /** digits_mlp.model:12: {@code h = relu(x @ W1 + b1)} */
    // private void h() { Matmul.multiply(x, false, W1, false, t1, rows, 64, 128); ... }
    List<MethodSpec> lines(List<Lines.Line> lines) {
        List<MethodSpec> methods = new java.util.ArrayList<>();
        for (Lines.Line line : lines) {
            MethodSpec.Builder method = MethodSpec.methodBuilder(variables.method(line))
                    .addModifiers(Modifier.PRIVATE).addJavadoc(lineDoc(line));
            if (line.origin() != null) {
                for (ModelIr.FunctionUse use : line.origin().functions()) {
                    method.addComment("$L inlined from $L:$L: $L", use.name(), Comments.safe(sourceName),
                            use.span().line(), Comments.safe(use.sourceLine()));
                }
            }
            for (int p = line.from(); p < line.to(); p++) {
                Plan.Assignment a = plan.forward().get(p);
                int rowPass = rowPasses.end(plan.forward(), p, line.to());
                if (rowPass > p) {
                    method.addCode(rowPasses.write(plan.forward().subList(p, rowPass)));
                    p = rowPass - 1;
                } else if (p + 1 < line.to() && isSoftmaxOf(plan.forward().get(p + 1), a)) {
                    method.addCode(softmax(a, plan.forward().get(++p)));
                } else {
                    method.addCode(assignment(a));
                }
            }
            methods.add(method.build());
        }
        return methods;
    }

    private CodeBlock lineDoc(Lines.Line line) {
        if (line.origin() != null) {
            return CodeBlock.of("$L:$L: $L\n", Comments.doc(sourceName), line.origin().span().line(),
                    Comments.code(line.origin().sourceLine()));
        }
        ModelIr.Condition stop = plan.model().stop().orElseThrow();
        return CodeBlock.of("$L:$L: $L\n", Comments.doc(sourceName), stop.span().line(),
                Comments.code("stop when " + stop.text()));
    }

    // public void backward() { // dJ/dx = 2 * x
    //                          dJ_dx = 2.0 * x; }
    MethodSpec backward() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("backward").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC);
        List<Plan.Assignment> pass = plan.backward();
        java.util.Map<Node, String> forwardVariables = variables.forgetRecomputed();
        boolean groupStart = true;
        java.util.Set<String> aliased = new java.util.HashSet<>();
        for (int i = 0; i < pass.size(); i++) {
            if (groupStart) {
                Plan.Assignment gradient = nextGradient(pass, i);
                method.addComment("$L", Comments.safe(plan.model().gradientFormula(gradient.label())));
            }
            if (pass.get(i).role() == Plan.Role.RECOMPUTED) {
                method.addComment("recompute $L rather than keep it from the forward pass",
                        Comments.safe(describe(pass.get(i))));
            }
            if (i + 1 < pass.size() && isBiasAndWeight(pass.get(i), pass.get(i + 1))) {
                method.addComment("$L", Comments.safe(plan.model().gradientFormula(pass.get(i + 1).label())));
                method.addCode(biasAndWeight(pass.get(i), pass.get(i + 1)));
                i++;
                groupStart = true;
                continue;
            }
            String field = variables.aliasOf(pass.get(i));
            if (field != null && aliased.add(field + " " + variables.target(pass.get(i)))) {
                method.addStatement("$T[] $N = $N", dtype.type(), variables.target(pass.get(i)), field);
            }
            // A softmax whose logsumexp is held is computed again by the kernel that gives it its bits.
            Node lse = Library.softmaxOver(pass.get(i).node());
            method.addCode(lse != null && variables.of(lse) != null && variables.of(pass.get(i).node()) == null
                    && pass.get(i).role() != Plan.Role.GRADIENT
                    ? softmaxAgain(lse, pass.get(i)) : assignment(pass.get(i)));
            groupStart = pass.get(i).role() == Plan.Role.GRADIENT;
        }
        variables.restore(forwardVariables);
        return method.build();
    }

    /**
     * Whether {@code sum} and {@code product} are the gradients of a bias and of a single-column
     * weight from one stored cotangent g of shape [rows, 1]: {@code sum(g, axis = 0)} and
     * {@code transpose(x) @ g} for a stored x of [rows, k]; f32, whose kernel runs both in one pass.
     */
    private boolean isBiasAndWeight(Plan.Assignment sum, Plan.Assignment product) {
        if (dtype != Dtype.F32 || sum.role() != Plan.Role.GRADIENT || product.role() != Plan.Role.GRADIENT
                || sum.node().op() != Op.SUM || product.node().op() != Op.MATMUL) {
            return false;
        }
        Node g = sum.node().input(0);
        Node xt = product.node().input(0);
        if (!sum.node().axes().equals(List.of(0)) || g.shape().rank() != 2 || g.shape().dim(1) != 1
                || variables.of(g) == null || product.node().input(1) != g || xt.op() != Op.TRANSPOSE) {
            return false;
        }
        Node x = xt.input(0);
        return x.shape().rank() == 2 && x.shape().dim(0) == g.shape().dim(0) && x.shape().dim(1) != Shape.BATCH
                && variables.of(x) != null && product.node().shape().dim(1) == 1;
    }

    // Kernels.biasAndWeightGradient(t1, x, rows, 10, dL_db, dL_dW);
    private CodeBlock biasAndWeight(Plan.Assignment sum, Plan.Assignment product) {
        Node g = sum.node().input(0);
        Node x = product.node().input(0).input(0);
        return CodeBlock.of("$T.biasAndWeightGradient($N, $N, $L, $L, $N, $N);\n", JavaExpressions.KERNELS,
                variables.of(g), variables.of(x), Indexing.dim(x.shape().dim(0)), x.shape().dim(1),
                variables.target(sum), variables.target(product));
    }

    /** A recomputed value by its name, else as an expression over the model's names. */
    private String describe(Plan.Assignment a) {
        if (a.label() != null) {
            return a.label();
        }
        java.util.Map<Node, String> names = new java.util.HashMap<>();
        plan.model().values().forEach(v -> names.putIfAbsent(v.node(), v.name()));
        return dev.modelc.graph.ExpressionPrinter.print(a.node(), n -> n == a.node() ? null : names.get(n));
    }

    private static Plan.Assignment nextGradient(List<Plan.Assignment> pass, int from) {
        for (int i = from; i < pass.size(); i++) {
            if (pass.get(i).role() == Plan.Role.GRADIENT) {
                return pass.get(i);
            }
        }
        throw new IllegalStateException("backward pass ends with a temporary");
    }

    /**
     * Whether {@code next} computes softmax over the logsumexp {@code a} has just computed:
     * {@code exp(x - logsumexp(x))}, with neither value held already.
     */
    private boolean isSoftmaxOf(Plan.Assignment next, Plan.Assignment a) {
        return a.role() != Plan.Role.GRADIENT && next.role() != Plan.Role.GRADIENT
                && Library.softmaxOver(next.node()) == a.node()
                && variables.of(a.node()) == null && variables.of(next.node()) == null;
    }

    /** Softmax computed again in the backward pass: its logsumexp's array is written again with the same bits. */
    private CodeBlock softmaxAgain(Node lse, Plan.Assignment exp) {
        String expTarget = variables.target(exp);
        CodeBlock code = kernels.softmax(lse, variables.of(lse), exp.node(), expTarget);
        variables.computed(exp.node(), expTarget);
        return code;
    }

    /** The logsumexp of {@code lse} and the softmax of {@code exp} over it, in one kernel. */
    private CodeBlock softmax(Plan.Assignment lse, Plan.Assignment exp) {
        String lseTarget = variables.target(lse);
        String expTarget = variables.target(exp);
        CodeBlock code = kernels.softmax(lse.node(), lseTarget, exp.node(), expTarget);
        variables.computed(lse.node(), lseTarget);
        variables.computed(exp.node(), expTarget);
        return code;
    }

    /** One planned assignment as Java; records where the node's value now lives. */
    CodeBlock assignment(Plan.Assignment a) {
        Node node = a.node();
        String target = a.role() == Plan.Role.GRADIENT ? variables.gradient(a.label()) : variables.target(a);
        String existing = variables.of(node);
        CodeBlock code;
        if (existing != null) {
            code = node.shape().isScalar() ? CodeBlock.of("$N = $L;\n", target, elements.at(node, List.of()).code())
                    : CodeBlock.of("$T.arraycopy($N, 0, $N, 0, $L);\n", System.class, existing, target,
                    Indexing.size(node.shape()));
        } else if (node.op().isElementwise() || node.op().kind() == Op.Kind.VIEW || node.op().isLeaf()) {
            code = elementwise(node, target, variables.isField(a));
        } else {
            code = kernels.write(node, target, variables.isField(a));
        }
        variables.computed(node, target);
        return code;
    }

    // t1 = x * 2.0;   or   for (i0...) for (i1...) h[i0 * 128 + i1] = Math.max(t1[i0 * 128 + i1], 0.0);
    private CodeBlock elementwise(Node node, String target, boolean field) {
        if (node.shape().isScalar()) {
            CodeBlock value = elements.expression(node, List.of()).code();
            return field ? CodeBlock.of("$N = $L;\n", target, value)
                    : CodeBlock.of("$T $N = $L;\n", dtype.type(), target, value);
        }
        CodeBlock rowVector = addToRows(node, target);
        if (rowVector != null) {
            return rowVector;
        }
        CodeBlock channelVector = addToChannels(node, target);
        if (channelVector != null) {
            return channelVector;
        }
        CodeBlock mask = maskByStep(node, target);
        if (mask != null) {
            return mask;
        }
        List<CodeBlock> index = Indexing.loopIndex(node.shape());
        boolean loop = node.shape().hasBatch() || node.shape().sizeWithoutBatch() > 1;
        if (loop) {
            elements.hoistParamElements();
        }
        CodeBlock body = element(node, target, index);
        CodeBlock before = loop ? elements.hoistedReads() : CodeBlock.of("");
        return CodeBlock.builder().add(before).add(KernelWriter.loops(node.shape(), index, body)).build();
    }

    /** Whether an elementwise assignment is written by {@link #element} alone, inside loops of its shape. */
    boolean isPlainElementwise(Plan.Assignment a) {
        Node node = a.node();
        String target = variables.target(a);
        return variables.of(node) == null && node.op().isElementwise() && !node.shape().isScalar()
                && a.role() != Plan.Role.GRADIENT && addToRows(node, target) == null && maskByStep(node, target) == null;
    }

    // t1[i0] = t1[i0] + b_0 - y[i0];   or   t1[i0] += b[i1];
    /** One element of an elementwise node, at {@code index}, as a statement. */
    CodeBlock element(Node node, String target, List<CodeBlock> index) {
        CodeBlock element = CodeBlock.of("$N[$L]", target, Indexing.flat(index, node.shape()));
        CodeBlock update = inPlace(node, target, index);
        return update != null ? CodeBlock.of("$L $L;\n", element, update)
                : CodeBlock.of("$L = $L;\n", element, elements.expression(node, index).code());
    }

    /**
     * {@code Kernels.addToRows(t1, b1, rows, 128)} when the node adds a stored row vector to every
     * row of the very matrix it writes ({@code t1[i0 * 128 + i1] += b1[i1]}, a layer's bias): a loop
     * the JIT leaves scalar, run by a kernel in vector adds with the same bits. Null for any other
     * statement.
     */
    private CodeBlock addToRows(Node node, String target) {
        if (node.op() != Op.ADD || node.shape().rank() != 2 || node.shape().dim(1) == Shape.BATCH
                || node.shape().dim(0) == 1) {
            return null;
        }
        int n = node.shape().dim(1);
        for (int k = 0; k < 2; k++) {
            Node self = node.input(k);
            Node other = node.input(1 - k);
            if (!target.equals(variables.of(self)) || !self.shape().equals(node.shape())
                    || other.op() != Op.EXPAND || variables.of(other) != null) {
                continue;
            }
            Node row = other.input(0);
            if (row.shape().rank() != 2 || row.shape().dim(0) != 1 || row.shape().dim(1) != n) {
                continue;
            }
            String array = variables.of(row);
            if (array == null && row.op() == Op.RESHAPE && row.input(0).shape().rank() == 1
                    && row.input(0).shape().dim(0) == n) {
                array = variables.of(row.input(0));
            }
            if (array != null) {
                return CodeBlock.of("$T.addToRows($N, $N, $L, $L);\n", JavaExpressions.KERNELS, target, array,
                        Indexing.dim(node.shape().dim(0)), n);
            }
        }
        return null;
    }

    /**
     * {@code Kernels.addToChannels(t1, b1, rows, 6, 576)} when the node adds a stored vector, one
     * element per channel, to every pixel of the very images [n, c, h, w] it writes
     * ({@code t1[i0 * 3456 + i1 * 576 + i2 * 24 + i3] += b1[i1]}, a convolution's bias): a loop
     * the JIT leaves scalar, run by a kernel it vectorizes, with the same bits. Null for any other
     * statement.
     */
    private CodeBlock addToChannels(Node node, String target) {
        Shape s = node.shape();
        if (node.op() != Op.ADD || s.rank() != 4 || s.dims().lastIndexOf(Shape.BATCH) > 0) {
            return null;
        }
        for (int k = 0; k < 2; k++) {
            Node self = node.input(k);
            Node other = node.input(1 - k);
            if (!target.equals(variables.of(self)) || !self.shape().equals(s) || other.op() != Op.EXPAND
                    || variables.of(other) != null || !other.input(0).shape().equals(Shape.of(1, s.dim(1), 1, 1))) {
                continue;
            }
            // The channels' values in order, under any reshapes of them ([c], [c, 1, 1], [1, c, 1, 1]).
            Node bias = other.input(0);
            while (variables.of(bias) == null && bias.op() == Op.RESHAPE) {
                bias = bias.input(0);
            }
            String array = variables.of(bias);
            if (array != null && !bias.shape().hasBatch() && bias.shape().size(1) == s.dim(1)) {
                return CodeBlock.of("$T.addToChannels($N, $N, $L, $L, $L);\n", JavaExpressions.KERNELS, target, array,
                        Indexing.dim(s.dim(0)), s.dim(1), s.dim(2) * s.dim(3));
            }
        }
        return null;
    }

    /**
     * {@code Kernels.maskByStep(t1, t7, t1, rows * 128)} when the node is a stored array times
     * {@code step} of another of its shape ({@code t1[i] = t7[i] * Kernels.step(t1[i])}, a cotangent
     * through a ReLU): a loop the JIT leaves scalar, run by a kernel with the same bits. Null for
     * any other statement.
     */
    private CodeBlock maskByStep(Node node, String target) {
        if (node.op() != Op.MUL) {
            return null;
        }
        for (int k = 0; k < 2; k++) {
            Node g = node.input(k);
            Node step = node.input(1 - k);
            if (step.op() != Op.STEP || variables.of(step) != null) {
                continue;
            }
            Node x = step.input(0);
            String gArray = variables.of(g);
            String xArray = variables.of(x);
            if (gArray != null && xArray != null && g.shape().equals(node.shape()) && x.shape().equals(node.shape())) {
                return CodeBlock.of("$T.maskByStep($N, $N, $N, $L);\n", JavaExpressions.KERNELS, target, gArray, xArray,
                        Indexing.size(node.shape()));
            }
        }
        return null;
    }

    /**
     * {@code += b[i1]} when the node adds to (or multiplies) the very array it writes, at the element
     * it writes: {@code t[i] = t[i] + b[i1]} is then {@code t[i] += b[i1]}, and {@code t[i] = t[i] +
     * -b[i1]} is {@code t[i] -= b[i1]}. Both operations are commutative in floating point, so the
     * array may be either operand. Null for any other statement.
     */
    private CodeBlock inPlace(Node node, String target, List<CodeBlock> index) {
        if (node.op() != Op.ADD && node.op() != Op.MUL) {
            return null;
        }
        for (int k = 0; k < 2; k++) {
            Node self = node.input(k);
            Node other = node.input(1 - k);
            if (target.equals(variables.of(self)) && self.shape().equals(node.shape())) {
                if (node.op() == Op.ADD && k == 0 && other.op() == Op.NEG && variables.of(other) == null) {
                    return CodeBlock.of("-= $L", elements.at(other.input(0), index).code());
                }
                return CodeBlock.of("$L $L", node.op() == Op.ADD ? "+=" : "*=", elements.at(other, index).code());
            }
        }
        return null;
    }
}
