package dev.modelc.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.plan.Plan;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Writes the bodies of {@code forward} and {@code backward}: one statement or loop nest per
 * planned assignment, nodes without a variable inlined into their single use, and above
 * each group the {@code .model} line (forward) or the gradient formula (backward) it computes.
 */
final class StatementWriter {
    private final Plan plan;
    private final Variables variables;
    private final Dtype dtype;
    private final String sourceName;
    private final ElementRenderer elements;
    private final KernelWriter kernels;

    StatementWriter(Plan plan, Variables variables, Dtype dtype, String sourceName) {
        this.plan = plan;
        this.variables = variables;
        this.dtype = dtype;
        this.sourceName = sourceName;
        this.elements = new ElementRenderer(variables, dtype);
        this.kernels = new KernelWriter(variables, dtype, elements);
    }

    // public double forward() { // quadratic.model:7: loss J = x^2 + 2 * y^2
    //                           J = x * x + 2.0 * (y * y); return J; }
    MethodSpec forward() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("forward").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(TypeName.DOUBLE);
        if (!plan.model().inputs().isEmpty()) {
            String first = variables.input(plan.model().inputs().get(0).name());
            method.beginControlFlow("if ($N == null)", first)
                    .addStatement("throw new $T($S)", IllegalStateException.class, "bind inputs before forward()")
                    .endControlFlow();
        }
        Object group = null;
        for (Plan.Assignment a : plan.forward()) {
            Object owner = a.origin() != null ? a.origin() : "stop";
            if (owner != group) {
                group = owner;
                method.addCode(groupComment(a));
            }
            method.addCode(assignment(a));
        }
        return method.addStatement("return $N", variables.value(plan.model().loss().name())).build();
    }

    private CodeBlock groupComment(Plan.Assignment a) {
        if (a.origin() != null) {
            return CodeBlock.of("// $L:$L: $L\n", Comments.safe(sourceName), a.origin().span().line(),
                    Comments.safe(a.origin().sourceLine()));
        }
        ModelIr.Condition stop = plan.model().stop().orElseThrow();
        return CodeBlock.of("// $L:$L: stop when $L\n", Comments.safe(sourceName), stop.span().line(),
                Comments.safe(stop.text()));
    }

    // public void backward() { // dJ/dx = 2 * x
    //                          dJ_dx = 2.0 * x; }
    MethodSpec backward() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("backward").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC);
        List<Plan.Assignment> pass = plan.backward();
        java.util.Map<Node, String> forwardVariables = variables.forgetRecomputed();
        boolean groupStart = true;
        for (int i = 0; i < pass.size(); i++) {
            if (groupStart) {
                Plan.Assignment gradient = nextGradient(pass, i);
                method.addComment("$L", Comments.safe(plan.model().gradientFormula(gradient.label())));
            }
            if (pass.get(i).role() == Plan.Role.RECOMPUTED) {
                method.addComment("recompute $L rather than keep it from the forward pass",
                        Comments.safe(describe(pass.get(i))));
            }
            method.addCode(assignment(pass.get(i)));
            groupStart = pass.get(i).role() == Plan.Role.GRADIENT;
        }
        variables.restore(forwardVariables);
        return method.build();
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
        List<CodeBlock> index = Indexing.loopIndex(node.shape().rank());
        CodeBlock body = CodeBlock.of("$N[$L] = $L;\n", target, Indexing.flat(index, node.shape()),
                elements.expression(node, index).code());
        return KernelWriter.loops(node.shape(), index, body);
    }
}
