package dev.modelc.check;

import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.graph.DropoutSite;
import dev.modelc.graph.Library;
import dev.modelc.graph.Node;
import dev.modelc.graph.Normalization;
import dev.modelc.graph.Op;
import dev.modelc.graph.Shape;
import dev.modelc.graph.Window;
import dev.modelc.syntax.Ast;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The functions a model may call, one row each with everything the compiler knows of it: its
 * values and settings, its shape rule (with the errors a person sees) and how it lowers to
 * primitive ops. Adding a function is adding a row.
 */
public final class Builtins {
    /** The type of a call's result from its arguments', or null after reporting why there is none. */
    @FunctionalInterface
    interface ShapeRule {
        Type apply(CallSite call);
    }

    /** The call as primitive ops, from its values' nodes and its settings; the checker has passed it. */
    @FunctionalInterface
    interface Lowering {
        Node lower(List<Node> values, Settings settings);
    }

    /** How the gradient of a loss flows through a call. */
    enum Gradient {
        /** To every value. */
        FLOWS,
        /** To every value but the first (a condition): what that value depends on needs none. */
        NOT_TO_FIRST,
        /** To every value but the second (indices). */
        NOT_TO_SECOND,
        /** Nowhere; the call is for metrics and conditions, never between a param and the loss. */
        NONE;

        /** Whether a gradient flows to the value at {@code position}. */
        boolean flowsTo(int position) {
            return this == FLOWS || (this == NOT_TO_FIRST && position != 0) || (this == NOT_TO_SECOND && position != 1);
        }
    }

    /**
     * One function: from {@code minValues} to {@code maxValues} values, then its positional
     * settings (each may be given by keyword too), and its keyword-only settings.
     */
    record Function(String name, int minValues, int maxValues, List<Setting> positional,
                           List<Setting> keywords, Gradient gradient, ShapeRule shape, Lowering lowering) {
        public String arityText() {
            long min = minValues + positional.stream().filter(Setting::required).count();
            long max = maxArguments();
            String count = max >= Integer.MAX_VALUE ? "at least " + min : min == max ? Long.toString(min)
                    : min + " to " + max;
            return count + (max == 1 ? " argument" : " arguments");
        }

        /** The most positional arguments a call may give. */
        long maxArguments() {
            return (long) maxValues + positional.size();
        }

        /** The setting called {@code name}, positional or keyword-only; null if there is none. */
        public Setting setting(String name) {
            for (Setting s : positional) {
                if (s.name().equals(name)) {
                    return s;
                }
            }
            return keywords.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
        }

        /** Every name a keyword argument may have. */
        public List<String> keywordNames() {
            return java.util.stream.Stream.concat(positional.stream(), keywords.stream()).map(Setting::name).toList();
        }
    }

    private static final Map<String, Function> FUNCTIONS = new LinkedHashMap<>();
    private static final List<Setting> AXIS = List.of(Setting.AXIS);
    private static final List<Setting> REDUCTION = List.of(Setting.AXIS, Setting.KEEPDIMS);
    private static final List<Setting> NONE = List.of();

    static {
        unary("exp", Op.EXP);
        unary("log", Op.LOG);
        unary("sqrt", Op.SQRT);
        unary("abs", Op.ABS);
        elementwise("square", (v, s) -> Node.of(Op.POW, v.get(0), Node.constant(2)));
        unary("tanh", Op.TANH);
        unary("sigmoid", Op.SIGMOID);
        unary("relu", Op.RELU);
        unary("softplus", Op.SOFTPLUS);
        unary("sin", Op.SIN);
        unary("cos", Op.COS);
        add(new Function("mse", 2, 2, NONE, NONE, Gradient.FLOWS, CallShapes::mse,
                (v, s) -> Library.mse(v.get(0), v.get(1))));
        add(new Function("bce_with_logits", 2, 2, NONE, NONE, Gradient.FLOWS, CallShapes::broadcastFloat,
                (v, s) -> Library.bceWithLogits(v.get(0), v.get(1))));
        add(new Function("sum", 1, 1, NONE, REDUCTION, Gradient.FLOWS, CallShapes::reduceEverything,
                (v, s) -> Library.reduce(Op.SUM, v.get(0), s.axis(), s.flag("keepdims"))));
        add(new Function("mean", 1, 1, NONE, REDUCTION, Gradient.FLOWS, CallShapes::reduceEverything,
                (v, s) -> Library.mean(v.get(0), s.axis(), s.flag("keepdims"))));
        add(new Function("max", 1, 1, NONE, REDUCTION, Gradient.FLOWS, CallShapes::reduceEverything,
                (v, s) -> Library.reduce(Op.MAX, v.get(0), s.axis(), s.flag("keepdims"))));
        add(new Function("softmax", 1, 1, NONE, AXIS, Gradient.FLOWS, CallShapes::alongAxis,
                (v, s) -> Library.softmax(v.get(0), s.axis())));
        add(new Function("log_softmax", 1, 1, NONE, AXIS, Gradient.FLOWS, CallShapes::alongAxis,
                (v, s) -> Library.logSoftmax(v.get(0), s.axis())));
        add(new Function("logsumexp", 1, 1, NONE, REDUCTION, Gradient.FLOWS, CallShapes::reduceOneAxis,
                (v, s) -> Library.logsumexp(v.get(0), s.axis(), s.flag("keepdims"))));
        add(new Function("transpose", 1, 1, NONE, NONE, Gradient.FLOWS, CallShapes::transpose,
                (v, s) -> Node.of(Op.TRANSPOSE, v.get(0))));
        add(new Function("softmax_cross_entropy", 2, 2, NONE, NONE, Gradient.FLOWS,
                CallShapes::crossEntropy, (v, s) -> Library.softmaxCrossEntropy(v.get(0), v.get(1))));
        add(new Function("argmax", 1, 1, NONE, REDUCTION, Gradient.NONE, CallShapes::argIndex,
                (v, s) -> Library.argmax(v.get(0), s.axis(), s.flag("keepdims"))));
        selection();
        shapes();
        images();
        normalization();
    }

    /** Normalization of activations, and dropout. */
    private static void normalization() {
        add(new Function("dropout", 1, 1, List.of(Setting.required("p", Setting.Kind.NUMBER, "0.5")), NONE,
                Gradient.FLOWS, NormShapes::dropout, (v, s) -> Node.of(Op.DROPOUT,
                        new DropoutSite(s.site(), s.number("p", 0.5)), v.get(0))));
        add(new Function("batch_norm", 3, 3, NONE, List.of(Setting.optional("momentum", Setting.Kind.NUMBER, "0.1"),
                Setting.optional("eps", Setting.Kind.NUMBER, "1e-5")), Gradient.FLOWS, NormShapes::batchNorm,
                (v, s) -> Normalization.batchNorm(v.get(0), v.get(1), v.get(2), s.number("momentum",
                        NormShapes.MOMENTUM), s.number("eps", NormShapes.EPS))));
        add(new Function("layer_norm", 3, 3, NONE, List.of(Setting.optional("eps", Setting.Kind.NUMBER, "1e-5")),
                Gradient.FLOWS, NormShapes::layerNorm,
                (v, s) -> Normalization.layerNorm(v.get(0), v.get(1), v.get(2), s.number("eps", NormShapes.EPS))));
    }

    /** Convolution and pooling over [batch, channels, height, width]. */
    private static void images() {
        add(new Function("conv2d", 2, 2, NONE, List.of(Setting.optional("stride", Setting.Kind.INTEGER, "2"),
                Setting.optional("padding", Setting.Kind.INTEGER, "1")), Gradient.FLOWS, ConvShapes::conv2d,
                (v, s) -> Node.of(Op.CONV2D, Window.of(whole(s, "stride", 1), whole(s, "padding", 0)),
                        v.get(0), v.get(1))));
        List<Setting> size = List.of(Setting.required("size", Setting.Kind.INTEGER, "2"));
        add(new Function("max_pool2d", 1, 1, size, NONE, Gradient.FLOWS, ConvShapes::pool2d,
                (v, s) -> Library.pool2d(Op.MAX, v.get(0), whole(s, "size", 1))));
        add(new Function("avg_pool2d", 1, 1, size, NONE, Gradient.FLOWS, ConvShapes::pool2d,
                (v, s) -> Library.pool2d(Op.SUM, v.get(0), whole(s, "size", 1))));
    }

    private static int whole(Settings s, String name, int otherwise) {
        Long value = s.integer(name);
        return value == null ? otherwise : value.intValue();
    }

    /** Functions that change a value's shape or gather its elements. */
    private static void shapes() {
        add(new Function("reshape", 1, 1, List.of(Setting.required("shape", Setting.Kind.SHAPE, "[batch, 1, 8, 8]")),
                NONE, Gradient.FLOWS, LayoutShapes::reshape,
                (v, s) -> Library.reshape(v.get(0), new Shape(s.shape("shape")))));
        add(new Function("flatten", 1, 1, NONE, NONE, Gradient.FLOWS, LayoutShapes::flatten,
                (v, s) -> Library.flatten(v.get(0))));
        add(new Function("concat", 2, Integer.MAX_VALUE, NONE, AXIS, Gradient.FLOWS, LayoutShapes::concat,
                (v, s) -> Library.concat(v, s.axis())));
        add(new Function("stack", 2, Integer.MAX_VALUE, NONE, AXIS, Gradient.FLOWS, LayoutShapes::stack,
                (v, s) -> Library.stack(v, s.axis())));
        add(new Function("gather", 2, 2, NONE, NONE, Gradient.NOT_TO_SECOND, LayoutShapes::gather,
                (v, s) -> Node.of(Op.GATHER, v.get(0), v.get(1))));
    }

    /** Functions that choose between values, and the activations built from them. */
    private static void selection() {
        unary("log1p", Op.LOG1P);
        unary("expm1", Op.EXPM1);
        unary("erf", Op.ERF);
        elementwise("gelu", (v, s) -> Library.gelu(v.get(0)));
        add(new Function("leaky_relu", 1, 1, List.of(Setting.optional("negative_slope", Setting.Kind.NUMBER, "0.01")),
                NONE, Gradient.FLOWS, CallShapes::sameShape,
                (v, s) -> Library.leakyRelu(v.get(0), s.number("negative_slope", 0.01))));
        add(new Function("elu", 1, 1, List.of(Setting.optional("alpha", Setting.Kind.NUMBER, "1.0")), NONE,
                Gradient.FLOWS, CallShapes::sameShape, (v, s) -> Library.elu(v.get(0), s.number("alpha", 1.0))));
        add(new Function("min", 1, 1, NONE, REDUCTION, Gradient.FLOWS, CallShapes::reduceEverything,
                (v, s) -> Library.min(v.get(0), s.axis(), s.flag("keepdims"))));
        add(new Function("argmin", 1, 1, NONE, REDUCTION, Gradient.NONE, CallShapes::argIndex,
                (v, s) -> Library.argmin(v.get(0), s.axis(), s.flag("keepdims"))));
        add(new Function("where", 3, 3, NONE, NONE, Gradient.NOT_TO_FIRST, CallShapes::broadcastFloat,
                (v, s) -> Library.elementwise(Op.WHERE, v.get(0), v.get(1), v.get(2))));
        add(new Function("minimum", 2, 2, NONE, NONE, Gradient.FLOWS, CallShapes::broadcastFloat,
                (v, s) -> Library.minimum(v.get(0), v.get(1))));
        add(new Function("maximum", 2, 2, NONE, NONE, Gradient.FLOWS, CallShapes::broadcastFloat,
                (v, s) -> Library.maximum(v.get(0), v.get(1))));
        add(new Function("clip", 3, 3, NONE, NONE, Gradient.FLOWS, CallShapes::broadcastFloat,
                (v, s) -> Library.minimum(Library.maximum(v.get(0), v.get(1)), v.get(2))));
        add(new Function("stop_gradient", 1, 1, NONE, NONE, Gradient.NOT_TO_FIRST, CallShapes::sameShape,
                (v, s) -> Node.of(Op.STOP_GRADIENT, v.get(0))));
        add(new Function("onehot", 1, 1, List.of(Setting.required("classes", Setting.Kind.INTEGER, "10")), NONE,
                Gradient.FLOWS, CallShapes::onehot, (v, s) -> Node.of(Op.ONEHOT, s.integer("classes").intValue(),
                v.get(0))));
    }

    private Builtins() {
    }

    /** An elementwise function of one value that is one primitive op. */
    private static void unary(String name, Op op) {
        elementwise(name, (v, s) -> Node.of(op, v.get(0)));
    }

    private static void elementwise(String name, Lowering lowering) {
        add(new Function(name, 1, 1, NONE, NONE, Gradient.FLOWS, CallShapes::sameShape, lowering));
    }

    private static void add(Function f) {
        if (FUNCTIONS.put(f.name(), f) != null) {
            throw new IllegalStateException("two rows for " + f.name());
        }
    }

    static Function lookup(String name) {
        return FUNCTIONS.get(name);
    }

    /**
     * A call of a function as primitive ops, its values lowered by {@code lowerValue}: the
     * lowering stage's way in, for a call the checker has passed. {@code site} numbers the call
     * among the model's calls, so that each dropout draws masks of its own.
     */
    public static Node lower(Ast.Call call, java.util.function.Function<Ast.Expr, Node> lowerValue, int site) {
        Function function = FUNCTIONS.get(call.function().text());
        Settings settings = new Settings(call.span());
        settings.site = site;
        List<Node> values = new ArrayList<>();
        for (Ast.Argument argument : call.arguments()) {
            Setting setting = argument.name() != null ? function.setting(argument.name().text())
                    : values.size() < function.maxValues() ? null
                    : function.positional().get(settings.positionalCount());
            if (setting == null) {
                values.add(lowerValue.apply(argument.value()));
            } else if (!settings.read(setting, argument, new Diagnostics(null))) {
                throw new IllegalStateException("setting `" + setting.name() + "` of a checked call is unreadable");
            }
        }
        return function.lowering().lower(values, settings);
    }

    public static Set<String> names() {
        return FUNCTIONS.keySet();
    }

    /** Initializers a param may use, bare ({@code zeros}) or called ({@code normal(0, 0.1)}). */
    public static final Map<String, Integer> INITIALIZERS = Map.of(
            "zeros", 0, "ones", 0, "normal", 2, "uniform", 2, "glorot_uniform", 0, "he_normal", 0);
}
