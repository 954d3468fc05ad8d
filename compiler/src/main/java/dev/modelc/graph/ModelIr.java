package dev.modelc.graph;

import dev.modelc.diagnostics.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A whole model in graph form: its parameters, its named values (definitions, the loss,
 * metrics, outputs) in source order, the stop condition, the train settings, and, once
 * differentiated, the gradient of the loss for each parameter.
 */
public record ModelIr(String name, String sourceName, List<ParamSpec> params, List<InputSpec> inputs,
                      List<NamedValue> values, Optional<Condition> stop, TrainSpec train,
                      Map<String, Node> gradients) {

    public ModelIr {
        params = List.copyOf(params);
        inputs = List.copyOf(inputs);
        values = List.copyOf(values);
        gradients = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(gradients));
    }

    /** A parameter: its node, shape, initializer and where it was declared. */
    public record ParamSpec(String name, Node node, Initializer init, Span span, String sourceLine) {
        public Shape shape() {
            return node.shape();
        }
    }

    /** An input: a value bound for each batch, such as features or labels. */
    public record InputSpec(String name, Node node, Span span) {
        public Shape shape() {
            return node.shape();
        }

        public boolean integer() {
            return node.isIntegerInput();
        }
    }

    /**
     * A value the model names: a definition, the loss, a metric or an output, with the model's
     * functions its line calls (inlined into it), in the order their calls are reached.
     */
    public record NamedValue(String name, Kind kind, Node node, Span span, String sourceLine,
                             List<FunctionUse> functions) {
        public enum Kind {
            VALUE, LOSS, METRIC, OUTPUT,
            /**
             * What a running statistic of {@code batch_norm} (a param of that name) becomes after a
             * training forward pass, which then copies it there.
             */
            RUNNING
        }

        public NamedValue {
            functions = List.copyOf(functions);
        }

        public NamedValue(String name, Kind kind, Node node, Span span, String sourceLine) {
            this(name, kind, node, span, sourceLine, List.of());
        }

        public NamedValue withNode(Node newNode) {
            return new NamedValue(name, kind, newNode, span, sourceLine, functions);
        }
    }

    /** A function ({@code def}) inlined into a line: its name, where it is defined and its first line there. */
    public record FunctionUse(String name, Span span, String sourceLine) {
    }

    /** The {@code stop when} condition: its node (1 when true) and its source text. */
    public record Condition(Node node, String text, Span span) {
    }

    public NamedValue loss() {
        return values.stream().filter(v -> v.kind() == NamedValue.Kind.LOSS).findFirst()
                .orElseThrow(() -> new IllegalStateException("model has no loss"));
    }

    public List<NamedValue> metrics() {
        return values.stream().filter(v -> v.kind() == NamedValue.Kind.METRIC).toList();
    }

    /** The params the optimizer updates and keeps state for: all but batch_norm's running statistics. */
    public List<ParamSpec> trainableParams() {
        return params.stream().filter(p -> !Normalization.isRunning(p.name())).toList();
    }

    /** The new values of the running statistics, in the order of their params. */
    public List<NamedValue> running() {
        return values.stream().filter(v -> v.kind() == NamedValue.Kind.RUNNING).toList();
    }

    /** What {@code predict} computes, in source order. */
    public List<NamedValue> outputs() {
        return values.stream().filter(v -> v.kind() == NamedValue.Kind.OUTPUT).toList();
    }

    /**
     * The gradient of the loss for {@code param} as a formula in the model's own terms,
     * named values shown by name: {@code dJ/dx = 2 * x}.
     */
    public String gradientFormula(String param) {
        Node gradient = gradients.get(param);
        Map<Node, String> names = new java.util.HashMap<>();
        values.forEach(v -> names.putIfAbsent(v.node(), v.name()));
        return "d" + loss().name() + "/d" + param + " = "
                + ExpressionPrinter.print(gradient, n -> n == gradient ? null : names.get(n));
    }

    public ModelIr withGradients(Map<String, Node> newGradients) {
        return new ModelIr(name, sourceName, params, inputs, values, stop, train, newGradients);
    }

    /** Every root of the graph: named values, the stop condition, gradients. */
    public List<Node> roots() {
        List<Node> roots = new ArrayList<>();
        values.forEach(v -> roots.add(v.node()));
        stop.ifPresent(c -> roots.add(c.node()));
        roots.addAll(gradients.values());
        return roots;
    }

    /** The same model with every root passed through {@code rewrite}. */
    public ModelIr mapRoots(UnaryOperator<Node> rewrite) {
        List<NamedValue> newValues = values.stream().map(v -> v.withNode(rewrite.apply(v.node()))).toList();
        Optional<Condition> newStop = stop.map(c -> new Condition(rewrite.apply(c.node()), c.text(), c.span()));
        Map<String, Node> newGradients = new LinkedHashMap<>();
        gradients.forEach((param, g) -> newGradients.put(param, rewrite.apply(g)));
        return new ModelIr(name, sourceName, params, inputs, newValues, newStop, train, newGradients);
    }
}
