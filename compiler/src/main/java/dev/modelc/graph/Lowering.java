package dev.modelc.graph;

import dev.modelc.check.Builtins;
import dev.modelc.check.CheckedModel;
import dev.modelc.check.IndexChecks;
import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.check.Type;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.diagnostics.Span;
import dev.modelc.syntax.Ast;
import dev.modelc.syntax.Ast.Expr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lowering stage: a checked program to graph IR. Derived operations become primitives
 * here ({@code a - b} is {@code a + neg(b)}, {@code a / b} is {@code a * recip(b)},
 * {@code mean} is a sum times a reciprocal count, {@code softmax} is {@code exp} of
 * {@code x - logsumexp(x)}), and NumPy broadcasting becomes explicit {@link Op#EXPAND}s,
 * so later stages only know {@link Op}. The library's functions are in {@link Library}; the
 * model's own functions ({@code def}) are inlined where they are called.
 */
public final class Lowering {
    private final SourceFile source;
    private final Map<String, Node> names = new HashMap<>();
    private final Map<String, Ast.Function> functions = new HashMap<>();
    /** Calls of library functions lowered so far: the next one's site. */
    private int sites;
    /** The parameters of the function whose body is being lowered, each its argument's node; empty outside. */
    private Map<String, Node> parameters = Map.of();
    /** The functions the declaration being lowered calls, in the order reached. */
    private final java.util.LinkedHashMap<String, Ast.Function> called = new java.util.LinkedHashMap<>();

    private Lowering(SourceFile source) {
        this.source = source;
    }

    public static ModelIr lower(CheckedModel checked, SourceFile source) {
        return new Lowering(source).run(checked);
    }

    private ModelIr run(CheckedModel checked) {
        Ast.Program program = checked.program();
        program.functions().forEach(f -> functions.putIfAbsent(f.name().text(), f));
        List<ModelIr.ParamSpec> params = new ArrayList<>();
        List<ModelIr.InputSpec> inputs = new ArrayList<>();
        List<ModelIr.NamedValue> values = new ArrayList<>();
        for (Ast.Declaration declaration : program.declarations()) {
            String name = declaration.name().text();
            Type type = checked.types().get(name);
            if (declaration instanceof Ast.Param param) {
                Node node = Node.param(name, type.shape());
                names.put(name, node);
                params.add(new ModelIr.ParamSpec(name, node, checked.initializers().get(name),
                        param.span(), sourceLine(param.span())));
            } else if (declaration instanceof Ast.Input input) {
                Node node = Node.input(name, type.shape(), type.integer());
                names.put(name, node);
                inputs.add(new ModelIr.InputSpec(name, node, input.span()));
            } else {
                Ast.Definition definition = (Ast.Definition) declaration;
                called.clear();
                Node node = expr(definition.value());
                names.put(name, node);
                values.add(new ModelIr.NamedValue(name, kind(definition.kind()), node,
                        definition.span(), sourceLine(definition.span()), uses()));
            }
        }
        running(params, values);
        Optional<ModelIr.Condition> stop = program.train().items().stream()
                .filter(Ast.StopItem.class::isInstance).map(Ast.StopItem.class::cast)
                .filter(s -> checked.train().heldOutStop() == null).findFirst()
                .map(s -> new ModelIr.Condition(expr(s.condition()), sourceText(s.condition().span()), s.span()));
        return new ModelIr(program.name().text(), source.displayName(), params, inputs, values, stop,
                checked.train(), Map.of());
    }

    /**
     * The running statistics of each {@code batch_norm}: params no optimizer updates (a mean of 0
     * and a variance of 1 at first), each with the value it becomes after a training forward pass,
     * declared where the call's line is.
     */
    private static void running(List<ModelIr.ParamSpec> params, List<ModelIr.NamedValue> values) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (ModelIr.NamedValue value : List.copyOf(values)) {
            for (Node node : Graphs.topologicalOrder(List.of(value.node()))) {
                if (node.op() == Op.TRAINING && seen.add(node.input(1).name())) {
                    Node statistic = node.input(1);
                    params.add(new ModelIr.ParamSpec(statistic.name(), statistic,
                            new Initializer.Constant(Normalization.initialValue(statistic.name())), value.span(),
                            value.sourceLine()));
                    values.add(new ModelIr.NamedValue(statistic.name(), ModelIr.NamedValue.Kind.RUNNING,
                            Normalization.runningUpdate(node), value.span(), value.sourceLine()));
                }
            }
        }
    }

    private List<ModelIr.FunctionUse> uses() {
        return called.values().stream()
                .map(f -> new ModelIr.FunctionUse(f.name().text(), f.span(), sourceLine(f.span()))).toList();
    }

    /**
     * A call of the model's own function: its body with each parameter standing for its
     * argument's node, the arguments lowered where the call is.
     */
    private Node inline(Ast.Function function, Ast.Call call) {
        called.putIfAbsent(function.name().text(), function);
        List<Ast.Expr> arguments = function.arguments(call);
        Map<String, Node> bound = new HashMap<>();
        for (int i = 0; i < arguments.size(); i++) {
            bound.put(function.parameters().get(i).text(), expr(arguments.get(i)));
        }
        Map<String, Node> outer = parameters;
        parameters = bound;
        try {
            return expr(function.body());
        } finally {
            parameters = outer;
        }
    }

    private static ModelIr.NamedValue.Kind kind(Ast.Definition.Kind kind) {
        return switch (kind) {
            case VALUE -> ModelIr.NamedValue.Kind.VALUE;
            case LOSS -> ModelIr.NamedValue.Kind.LOSS;
            case METRIC -> ModelIr.NamedValue.Kind.METRIC;
            case OUTPUT -> ModelIr.NamedValue.Kind.OUTPUT;
        };
    }

    private String sourceLine(Span span) {
        return source.line(span.line()).strip();
    }

    private String sourceText(Span span) {
        String line = source.line(span.line());
        int length = line.codePointCount(0, line.length());
        int end = span.endLine() == span.line() ? span.endColumn() - 1 : length;
        int from = line.offsetByCodePoints(0, Math.min(span.column() - 1, length));
        int to = line.offsetByCodePoints(0, Math.min(end, length));
        return line.substring(from, to).strip();
    }

    private Node expr(Expr expr) {
        if (expr instanceof Ast.Number number) {
            return Node.constant(Double.parseDouble(number.text()));
        }
        if (expr instanceof Ast.Name name) {
            Node parameter = parameters.get(name.name());
            return parameter != null ? parameter : names.get(name.name());
        }
        if (expr instanceof Ast.Unary unary) {
            return Node.of(Op.NEG, expr(unary.operand()));
        }
        if (expr instanceof Ast.Binary binary) {
            return binary(binary);
        }
        if (expr instanceof Ast.Call call) {
            Ast.Function function = functions.get(call.function().text());
            return function != null ? inline(function, call) : Builtins.lower(call, this::expr, sites++);
        }
        if (expr instanceof Ast.Index index) {
            return index(index);
        }
        throw new IllegalStateException("strings are refused by the checker");
    }

    private Node index(Ast.Index index) {
        Node target = expr(index.target());
        if (IndexChecks.isGather(index)) {
            return Node.of(Op.GATHER, target, expr(index.slots().get(0).at()));
        }
        IndexChecks.Selection selection = IndexChecks.select(index, target.shape(), new Diagnostics(source));
        return Library.index(target, selection.ranges(), selection.dropped());
    }

    private Node binary(Ast.Binary binary) {
        Node a = expr(binary.left());
        Node b = expr(binary.right());
        return switch (binary.op()) {
            case ADD -> Library.elementwise(Op.ADD, a, b);
            case SUBTRACT -> Library.elementwise(Op.ADD, a, Node.of(Op.NEG, b));
            case MULTIPLY -> Library.elementwise(Op.MUL, a, b);
            case DIVIDE -> Library.elementwise(Op.MUL, a, Node.of(Op.RECIP, b));
            case POWER -> Library.elementwise(Op.POW, a, b);
            case LESS -> Library.elementwise(Op.LT, a, b);
            case LESS_EQUAL -> Library.elementwise(Op.LE, a, b);
            case GREATER -> Library.elementwise(Op.GT, a, b);
            case GREATER_EQUAL -> Library.elementwise(Op.GE, a, b);
            case EQUAL -> Library.elementwise(Op.EQ, a, b);
            case NOT_EQUAL -> Library.elementwise(Op.NE, a, b);
            case MATMUL -> Library.matmul(a, b);
        };
    }
}
