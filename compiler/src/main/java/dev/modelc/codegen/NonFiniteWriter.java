package dev.modelc.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.modelc.graph.Graphs;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.plan.Plan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code firstNonFinite()}: the forward pass once more, statement for statement, with
 * a check of every parameter first, then before each statement a check of each operation it
 * computes inline, and after it a check of the value it stored, for the values the loss
 * depends on. The first value that is NaN or infinite is named by its operation and
 * {@code .model} line, so a diverging run can say where it began. It has its own
 * {@link Variables}, which allocate the same names as the forward pass's, so its statements
 * are the forward pass's own.
 */
final class NonFiniteWriter {
    private final Plan plan;
    private final String sourceName;
    private final Variables variables;
    private final StatementWriter statements;
    private final ElementRenderer elements;
    private final Set<Node> lossPath;

    NonFiniteWriter(Plan plan, Dtype dtype, String sourceName) {
        this.plan = plan;
        this.sourceName = sourceName.replaceAll(".*[/\\\\]", "");
        this.variables = new Variables(plan);
        this.statements = new StatementWriter(plan, variables, dtype, sourceName);
        this.elements = new ElementRenderer(variables, dtype);
        this.lossPath = new HashSet<>(Graphs.topologicalOrder(List.of(plan.model().loss().node())));
    }

    // public String firstNonFinite() { if (!Double.isFinite(z)) return "param z at m.model:3 (param z = 1)";
    //   if (!Double.isFinite(Math.log(z))) return "log at m.model:5 (h = log(z))"; h = Math.log(z); ... return null; }
    MethodSpec method() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("firstNonFinite").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(ClassName.get(String.class));
        if (!plan.model().inputs().isEmpty()) {
            String first = variables.input(plan.model().inputs().get(0).name());
            method.beginControlFlow("if ($N == null)", first)
                    .addStatement("throw new $T($S)", IllegalStateException.class, "bind inputs before forward()")
                    .endControlFlow();
        }
        for (ModelIr.ParamSpec p : plan.model().params()) {
            String where = "param " + p.name() + " at " + sourceName + ":" + p.span().line() + " ("
                    + p.sourceLine().strip() + ")";
            method.addCode(check(p.node(), variables.param(p.name()), where));
        }
        for (Plan.Assignment a : plan.forward()) {
            boolean checked = lossPath.contains(a.node());
            if (checked && variables.of(a.node()) == null) {
                for (Node inline : inlineOperations(a.node())) {
                    method.addCode(checkInline(inline, where(inline.op(), a)));
                }
            }
            method.addCode(statements.assignment(a));
            if (checked) {
                method.addCode(check(a.node(), variables.target(a), where(a.node().op(), a)));
            }
        }
        return method.addStatement("return null").build();
    }

    // public boolean paramsFinite() { for (int i = 0; i < 8192; i++) { if (!Double.isFinite(W1[i])) return false; }
    //   return Double.isFinite(b); }
    MethodSpec paramsFinite() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("paramsFinite").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(boolean.class);
        for (ModelIr.ParamSpec p : plan.model().params()) {
            method.addCode(check(p.node(), variables.param(p.name()), false));
        }
        return method.addStatement("return true").build();
    }

    /** The operations computed inside the statement for {@code root}, inputs before their users; views are skipped. */
    private List<Node> inlineOperations(Node root) {
        List<Node> order = new ArrayList<>();
        collect(root, order, Collections.newSetFromMap(new IdentityHashMap<>()));
        return order;
    }

    private void collect(Node node, List<Node> order, Set<Node> seen) {
        for (Node input : node.inputs()) {
            if (!input.op().isLeaf() && variables.of(input) == null && seen.add(input)) {
                collect(input, order, seen);
                if (input.op().kind() != Op.Kind.VIEW && input.op().kind() != Op.Kind.COMPARISON) {
                    order.add(input);
                }
            }
        }
    }

    // if (!Double.isFinite(t3)) return "...";   or   for (int i = 0; i < rows * 10; i++) if (!...(h[i])) ...
    private static CodeBlock check(Node node, String variable, Object result) {
        CodeBlock answer = result instanceof String text ? CodeBlock.of("return $S", text)
                : CodeBlock.of("return $L", result);
        if (node.shape().isScalar()) {
            return CodeBlock.builder().beginControlFlow("if (!$T.isFinite($N))", Double.class, variable)
                    .addStatement(answer).endControlFlow().build();
        }
        return CodeBlock.builder()
                .beginControlFlow("for (int i = 0; i < $L; i++)", Indexing.size(node.shape()))
                .beginControlFlow("if (!$T.isFinite($N[i]))", Double.class, variable)
                .addStatement(answer).endControlFlow().endControlFlow().build();
    }

    // for (int i0 = 0; i0 < rows; i0++) { if (!Double.isFinite(Math.log(z[i0]))) return "log at ..."; }
    private CodeBlock checkInline(Node node, String where) {
        List<CodeBlock> index = Indexing.loopIndex(node.shape().rank());
        CodeBlock body = CodeBlock.builder()
                .beginControlFlow("if (!$T.isFinite($L))", Double.class, elements.expression(node, index).code())
                .addStatement("return $S", where).endControlFlow().build();
        return KernelWriter.loops(node.shape(), index, body);
    }

    /** {@code log at model.model:12 (h = log(z))}: the operation, and the line of the statement it belongs to. */
    private String where(Op op, Plan.Assignment a) {
        if (a.origin() != null) {
            return operation(op) + " at " + sourceName + ":" + a.origin().span().line() + " ("
                    + a.origin().sourceLine().strip() + ")";
        }
        ModelIr.Condition stop = plan.model().stop().orElseThrow();
        return operation(op) + " at " + sourceName + ":" + stop.span().line() + " (stop when " + stop.text() + ")";
    }

    /** The operation in the words of the model's text: arithmetic by what it does, functions by name. */
    static String operation(Op op) {
        return switch (op) {
            case ADD -> "addition or subtraction";
            case MUL -> "multiplication";
            case NEG -> "negation";
            case RECIP -> "division";
            case POW -> "power";
            default -> op.mnemonic();
        };
    }
}
