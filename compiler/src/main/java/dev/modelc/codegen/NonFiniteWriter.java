package dev.modelc.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.modelc.graph.Graphs;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.plan.Buffers;
import dev.modelc.plan.Plan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code firstNonFinite()}: a check of every parameter, then the forward pass line by
 * line, calling the same methods {@code forward} calls, each followed by checks of what the line
 * computed, for the values the loss depends on: first the operations a statement computes inline,
 * then the value it stored. The first value that is NaN or infinite is named by its operation and
 * {@code .model} line, so a diverging run can say where it began. A check needs its value still
 * there when the line is done: a value the line overwrites in place is checked as the value that
 * overwrote it, and a local of the line's method is not checked at all (what it feeds is).
 */
final class NonFiniteWriter {
    private final Plan plan;
    private final String sourceName;
    private final Variables variables;
    private final ElementRenderer elements;
    private final Dtype dtype;
    private final Set<Node> lossPath;
    /** Where each forward node is first computed: its position in the forward pass. */
    private final Map<Node, Integer> positions = new HashMap<>();

    NonFiniteWriter(Plan plan, Variables variables, Dtype dtype, String sourceName) {
        this.plan = plan;
        this.sourceName = sourceName.replaceAll(".*[/\\\\]", "");
        this.variables = variables;
        this.dtype = dtype;
        this.elements = new ElementRenderer(variables, dtype);
        this.lossPath = new HashSet<>(Graphs.topologicalOrder(List.of(plan.model().loss().node())));
        for (int p = 0; p < plan.forward().size(); p++) {
            positions.putIfAbsent(plan.forward().get(p).node(), p);
        }
    }

    // public String firstNonFinite() { if (!finite(W1, 8192)) return "param W1 at m.model:3 (...)";
    //   h(); if (!finite(h, rows * 128)) return "relu at m.model:5 (h = relu(x @ W1 + b1))"; ... return null; }
    MethodSpec method(List<Lines.Line> lines, StatementWriter statements) {
        MethodSpec.Builder method = MethodSpec.methodBuilder("firstNonFinite").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(ClassName.get(String.class));
        statements.requireBound(method, "forward()");
        for (ModelIr.ParamSpec p : plan.model().params()) {
            String where = "param " + p.name() + " at " + sourceName + ":" + p.span().line() + " ("
                    + p.sourceLine().strip() + ")";
            method.addCode(check(p.node(), variables.param(p.name()), where));
        }
        for (Lines.Line line : lines) {
            method.addStatement("$N()", variables.method(line));
            for (int p = line.from(); p < line.to(); p++) {
                method.addCode(checks(line, p));
            }
        }
        return method.addStatement("return null").build();
    }

    /** The checks of the statement at {@code position}, once its line is done. */
    private CodeBlock checks(Lines.Line line, int position) {
        Plan.Assignment a = plan.forward().get(position);
        CodeBlock.Builder code = CodeBlock.builder();
        if (!lossPath.contains(a.node())) {
            return code.build();
        }
        if (positions.get(a.node()) == position) {
            List<Node> inline = inlineOperations(a.node());
            if (inline.stream().allMatch(n -> n.inputs().stream().allMatch(i -> readable(i, line, position)))) {
                inline.forEach(n -> code.add(checkInline(n, where(n.op(), a))));
            }
        }
        if (intactAfter(position, line) && (!a.node().shape().isScalar() || variables.isField(a))) {
            code.add(check(a.node(), variables.target(a), where(a.node().op(), a)));
        }
        return code.build();
    }

    /**
     * Whether an operand of an operation inside the statement at {@code position} can still be read
     * when its line is done: a leaf or an operation computed inline itself, a scalar field, or an
     * array no statement of the line writes after the operand was computed.
     */
    private boolean readable(Node node, Lines.Line line, int position) {
        if (node.op().isLeaf() || !plan.materialized().contains(node)) {
            return node.op().isLeaf() || node.inputs().stream().allMatch(i -> readable(i, line, position));
        }
        Integer at = positions.get(node);
        if (at == null) {
            return false;
        }
        if (node.shape().isScalar()) {
            return variables.isField(plan.forward().get(at));
        }
        return intactAfter(at, line);
    }

    /** Whether the array written at {@code position} still holds that value when {@code line} is done. */
    private boolean intactAfter(int position, Lines.Line line) {
        Buffers.Buffer buffer = plan.bufferAt(position);
        if (buffer == null) {
            return true;
        }
        for (int q = Math.max(position + 1, line.from()); q < line.to(); q++) {
            if (plan.bufferAt(q) == buffer) {
                return false;
            }
        }
        return true;
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

    // private static boolean finite(double[] values, int count) { for (...) if (!Double.isFinite(values[i])) ... }
    MethodSpec finiteHelper() {
        return MethodSpec.methodBuilder("finite").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(boolean.class)
                .addJavadoc("Whether the first {@code count} values are all finite.\n")
                .addParameter(ArrayTypeName.of(dtype.type()), "values").addParameter(TypeName.INT, "count")
                .beginControlFlow("for (int i = 0; i < count; i++)")
                .beginControlFlow("if (!$L.isFinite(values[i]))", dtype.boxName())
                .addStatement("return false").endControlFlow().endControlFlow()
                .addStatement("return true").build();
    }

    /** The operations computed inside the statement for {@code root}, inputs before their users; views are skipped. */
    private List<Node> inlineOperations(Node root) {
        List<Node> order = new ArrayList<>();
        collect(root, order, Collections.newSetFromMap(new IdentityHashMap<>()));
        return order;
    }

    private void collect(Node node, List<Node> order, Set<Node> seen) {
        for (Node input : node.inputs()) {
            if (!input.op().isLeaf() && !plan.materialized().contains(input) && seen.add(input)) {
                collect(input, order, seen);
                if (input.op().kind() != Op.Kind.VIEW && input.op().kind() != Op.Kind.COMPARISON) {
                    order.add(input);
                }
            }
        }
    }

    // if (!Double.isFinite(t3)) return "...";   or   if (!finite(h, rows * 128)) return "...";
    private static CodeBlock check(Node node, String variable, Object result) {
        CodeBlock answer = result instanceof String text ? CodeBlock.of("return $L", Comments.literal(text))
                : CodeBlock.of("return $L", result);
        CodeBlock test = node.shape().isScalar() ? CodeBlock.of("!$T.isFinite($N)", Double.class, variable)
                : CodeBlock.of("!finite($N, $L)", variable, Indexing.size(node.shape()));
        return CodeBlock.builder().beginControlFlow("if ($L)", test).addStatement(answer).endControlFlow().build();
    }

    // for (int i0 = 0; i0 < rows; i0++) { if (!Double.isFinite(Math.log(z[i0]))) return "log at ..."; }
    private CodeBlock checkInline(Node node, String where) {
        List<CodeBlock> index = Indexing.loopIndex(node.shape());
        CodeBlock body = CodeBlock.builder()
                .beginControlFlow("if (!$T.isFinite($L))", Double.class, elements.expression(node, index).code())
                .addStatement("return $L", Comments.literal(where)).endControlFlow().build();
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
