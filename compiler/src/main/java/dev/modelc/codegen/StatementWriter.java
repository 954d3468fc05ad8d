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
 * Writes the bodies of {@code forward} and {@code backward}: one statement per planned
 * assignment, nodes without a variable inlined into their single use, and above each group
 * the {@code .model} line (forward) or the gradient formula (backward) it computes.
 */
final class StatementWriter implements JavaExpressions.Operands {
    private final Plan plan;
    private final Variables variables;
    private final Dtype dtype;
    private final String sourceName;

    StatementWriter(Plan plan, Variables variables, Dtype dtype, String sourceName) {
        this.plan = plan;
        this.variables = variables;
        this.dtype = dtype;
        this.sourceName = sourceName;
    }

    // public double forward() { // quadratic.model:7: loss J = x^2 + 2 * y^2
    //                           J = x * x + 2.0 * (y * y); return J; }
    MethodSpec forward() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("forward").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(TypeName.DOUBLE);
        Object group = null;
        for (Plan.Assignment a : plan.forward()) {
            Object owner = a.origin() != null ? a.origin() : "stop";
            if (owner != group) {
                group = owner;
                method.addCode(groupComment(a));
            }
            method.addStatement(assignment(a));
        }
        return method.addStatement("return $N", variables.of(plan.model().loss().node())).build();
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
        boolean groupStart = true;
        for (int i = 0; i < pass.size(); i++) {
            if (groupStart) {
                Plan.Assignment gradient = nextGradient(pass, i);
                method.addComment("$L", Comments.safe(plan.model().gradientFormula(gradient.label())));
            }
            method.addStatement(assignment(pass.get(i)));
            groupStart = pass.get(i).role() == Plan.Role.GRADIENT;
        }
        return method.build();
    }

    private static Plan.Assignment nextGradient(List<Plan.Assignment> pass, int from) {
        for (int i = from; i < pass.size(); i++) {
            if (pass.get(i).role() == Plan.Role.GRADIENT) {
                return pass.get(i);
            }
        }
        throw new IllegalStateException("backward pass ends with a temporary");
    }

    private CodeBlock assignment(Plan.Assignment a) {
        String target = a.role() == Plan.Role.GRADIENT ? variables.gradient(a.label()) : variables.target(a);
        String existing = variables.of(a.node());
        CodeBlock value = existing != null ? CodeBlock.of("$N", existing) : expression(a.node()).code();
        variables.computed(a.node(), target);
        return variables.isField(a) ? CodeBlock.of("$N = $L", target, value)
                : CodeBlock.of("$T $N = $L", dtype.type(), target, value);
    }

    private JavaExpressions.Java expression(Node node) {
        if (node.op() == Op.CONST) {
            return JavaExpressions.constant(node.constantValue(), dtype);
        }
        return JavaExpressions.render(node, dtype, this);
    }

    @Override
    public JavaExpressions.Java java(Node operand) {
        String variable = variables.of(operand);
        if (variable != null) {
            return new JavaExpressions.Java(CodeBlock.of("$N", variable), JavaExpressions.ATOM);
        }
        return expression(operand);
    }

    @Override
    public boolean isInline(Node operand) {
        return !operand.op().isLeaf() && variables.of(operand) == null;
    }
}
