package dev.modelc.graph;

import dev.modelc.check.CheckedModel;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.diagnostics.Span;
import dev.modelc.syntax.Ast;
import dev.modelc.syntax.Ast.Expr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The lowering stage: a checked program to graph IR. Derived operations become primitives
 * here ({@code a - b} is {@code a + neg(b)}, {@code a / b} is {@code a * recip(b)},
 * {@code square(x)} is {@code x^2}), so later stages only know {@link Op}.
 */
public final class Lowering {
    /** How each library function is built from primitives. */
    private static final Map<String, Function<List<Node>, Node>> FUNCTIONS = new LinkedHashMap<>();

    static {
        unary("exp", Op.EXP);
        unary("log", Op.LOG);
        unary("sqrt", Op.SQRT);
        unary("abs", Op.ABS);
        unary("tanh", Op.TANH);
        unary("sigmoid", Op.SIGMOID);
        unary("softplus", Op.SOFTPLUS);
        unary("relu", Op.RELU);
        unary("sin", Op.SIN);
        unary("cos", Op.COS);
        FUNCTIONS.put("square", a -> pow(a.get(0), Node.constant(2)));
        FUNCTIONS.put("mse", a -> pow(sub(a.get(0), a.get(1)), Node.constant(2)));
        // softplus is computed stably, so this is the stable form of the logistic loss.
        FUNCTIONS.put("bce_with_logits", a -> sub(Node.of(Op.SOFTPLUS, a.get(0)), Node.of(Op.MUL, a.get(1), a.get(0))));
        // Reductions of a scalar are the scalar itself.
        FUNCTIONS.put("sum", a -> a.get(0));
        FUNCTIONS.put("mean", a -> a.get(0));
        FUNCTIONS.put("max", a -> a.get(0));
    }

    private final SourceFile source;
    private final Map<String, Node> names = new HashMap<>();

    private Lowering(SourceFile source) {
        this.source = source;
    }

    private static void unary(String name, Op op) {
        FUNCTIONS.put(name, a -> Node.of(op, a.get(0)));
    }

    /** Functions that lowering knows how to build; a test checks the checker's list against it. */
    public static java.util.Set<String> functions() {
        return FUNCTIONS.keySet();
    }

    public static ModelIr lower(CheckedModel checked, SourceFile source) {
        return new Lowering(source).run(checked);
    }

    private ModelIr run(CheckedModel checked) {
        Ast.Program program = checked.program();
        List<ModelIr.ParamSpec> params = new ArrayList<>();
        List<ModelIr.NamedValue> values = new ArrayList<>();
        for (Ast.Declaration declaration : program.declarations()) {
            String name = declaration.name().text();
            if (declaration instanceof Ast.Param param) {
                Node node = Node.param(name, Shape.SCALAR);
                names.put(name, node);
                params.add(new ModelIr.ParamSpec(name, node, checked.initializers().get(name),
                        param.span(), sourceLine(param.span())));
            } else if (declaration instanceof Ast.Definition definition) {
                Node node = expr(definition.value());
                names.put(name, node);
                values.add(new ModelIr.NamedValue(name, kind(definition.kind()), node,
                        definition.span(), sourceLine(definition.span())));
            } else {
                throw new IllegalStateException("inputs are refused by the checker");
            }
        }
        Optional<ModelIr.Condition> stop = program.train().items().stream()
                .filter(Ast.StopItem.class::isInstance).map(Ast.StopItem.class::cast).findFirst()
                .map(s -> new ModelIr.Condition(expr(s.condition()), sourceText(s.condition().span()), s.span()));
        return new ModelIr(program.name().text(), source.displayName(), params, values, stop, checked.train(), Map.of());
    }

    private static ModelIr.NamedValue.Kind kind(Ast.Definition.Kind kind) {
        return switch (kind) {
            case VALUE -> ModelIr.NamedValue.Kind.VALUE;
            case LOSS -> ModelIr.NamedValue.Kind.LOSS;
            case METRIC -> ModelIr.NamedValue.Kind.METRIC;
        };
    }

    private String sourceLine(Span span) {
        return source.line(span.line()).strip();
    }

    private String sourceText(Span span) {
        String line = source.line(span.line());
        int end = span.endLine() == span.line() ? span.endColumn() - 1 : line.length();
        int from = line.offsetByCodePoints(0, Math.min(span.column() - 1, line.codePointCount(0, line.length())));
        int to = line.offsetByCodePoints(0, Math.min(end, line.codePointCount(0, line.length())));
        return line.substring(from, to).strip();
    }

    private Node expr(Expr expr) {
        if (expr instanceof Ast.Number number) {
            return Node.constant(Double.parseDouble(number.text()));
        }
        if (expr instanceof Ast.Name name) {
            return names.get(name.name());
        }
        if (expr instanceof Ast.Unary unary) {
            return Node.of(Op.NEG, expr(unary.operand()));
        }
        if (expr instanceof Ast.Binary binary) {
            return binary(binary);
        }
        if (expr instanceof Ast.Call call) {
            List<Node> arguments = new ArrayList<>();
            for (Ast.Argument argument : call.arguments()) {
                if (argument.name() == null) {
                    arguments.add(expr(argument.value()));
                }
            }
            return FUNCTIONS.get(call.function().text()).apply(arguments);
        }
        throw new IllegalStateException("strings are refused by the checker");
    }

    private Node binary(Ast.Binary binary) {
        Node a = expr(binary.left());
        Node b = expr(binary.right());
        return switch (binary.op()) {
            case ADD -> Node.of(Op.ADD, a, b);
            case SUBTRACT -> sub(a, b);
            case MULTIPLY -> Node.of(Op.MUL, a, b);
            case DIVIDE -> Node.of(Op.MUL, a, Node.of(Op.RECIP, b));
            case POWER -> pow(a, b);
            case LESS -> Node.of(Op.LT, a, b);
            case LESS_EQUAL -> Node.of(Op.LE, a, b);
            case GREATER -> Node.of(Op.GT, a, b);
            case GREATER_EQUAL -> Node.of(Op.GE, a, b);
            case EQUAL -> Node.of(Op.EQ, a, b);
            case NOT_EQUAL -> Node.of(Op.NE, a, b);
            case MATMUL -> throw new IllegalStateException("matmul is refused by the checker");
        };
    }

    private static Node sub(Node a, Node b) {
        return Node.of(Op.ADD, a, Node.of(Op.NEG, b));
    }

    private static Node pow(Node a, Node b) {
        return Node.of(Op.POW, a, b);
    }
}
