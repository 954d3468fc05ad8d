package dev.modelc.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The functions a model may call, with their arity and keyword arguments. */
public final class Builtins {

    /** One callable function. {@code supported} is false for tensor functions not yet compiled. */
    public record Function(String name, int minArgs, int maxArgs, Set<String> keywords, boolean differentiable,
                           boolean supported) {
        public String arityText() {
            String count = minArgs == maxArgs ? Integer.toString(minArgs) : minArgs + " to " + maxArgs;
            return count + (maxArgs == 1 ? " argument" : " arguments");
        }
    }

    private static final Map<String, Function> FUNCTIONS = new LinkedHashMap<>();

    static {
        for (String unary : List.of("exp", "log", "sqrt", "abs", "square", "tanh", "sigmoid", "relu",
                "softplus", "sin", "cos")) {
            add(new Function(unary, 1, 1, Set.of(), true, true));
        }
        add(new Function("mse", 2, 2, Set.of(), true, true));
        add(new Function("bce_with_logits", 2, 2, Set.of(), true, true));
        add(new Function("sum", 1, 1, Set.of("axis"), true, true));
        add(new Function("mean", 1, 1, Set.of("axis"), true, true));
        add(new Function("max", 1, 1, Set.of("axis"), true, true));
        for (String tensor : List.of("softmax", "log_softmax", "logsumexp")) {
            add(new Function(tensor, 1, 1, Set.of("axis"), true, true));
        }
        add(new Function("transpose", 1, 1, Set.of(), true, true));
        add(new Function("softmax_cross_entropy", 2, 2, Set.of(), true, true));
        add(new Function("argmax", 1, 1, Set.of("axis"), false, true));
    }

    private Builtins() {
    }

    private static void add(Function f) {
        FUNCTIONS.put(f.name(), f);
    }

    public static Function lookup(String name) {
        return FUNCTIONS.get(name);
    }

    public static Set<String> names() {
        return FUNCTIONS.keySet();
    }

    /** Initializers a param may use, bare ({@code zeros}) or called ({@code normal(0, 0.1)}). */
    public static final Map<String, Integer> INITIALIZERS = Map.of(
            "zeros", 0, "ones", 0, "normal", 2, "uniform", 2, "glorot_uniform", 0, "he_normal", 0);
}
