package dev.modelc;

import dev.modelc.testing.property.RandomSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes random programs that follow the grammar of Model.g4 most of the time: a header, params,
 * inputs, definitions, functions ({@code def}, some recursive), a loss, metrics, {@code recompute}, a train
 * block, outputs; expressions of every
 * operator and call, tensor shapes. Names are mostly ones declared above, so that many programs
 * get past the parser and some past the checker; the rest is the edges: undeclared and reserved
 * names, letters from other scripts, odd numbers, empty and huge shapes, settings out of range.
 */
final class GrammarTextGen {
    private static final List<String> FUNCTIONS = List.of("exp", "log", "sqrt", "abs", "square", "tanh",
            "sigmoid", "relu", "softplus", "sin", "cos", "sum", "mean", "max", "softmax", "log_softmax",
            "logsumexp", "transpose", "mse", "softmax_cross_entropy", "bce_with_logits", "argmax", "csv",
            "normal", "unknown_fn", "log1p", "expm1", "erf", "gelu", "leaky_relu", "elu", "min", "argmin", "where",
            "minimum", "maximum", "clip", "stop_gradient", "onehot", "reshape", "flatten", "concat", "stack",
            "gather", "conv2d", "max_pool2d", "avg_pool2d", "dropout", "layer_norm", "batch_norm");
    private static final List<String> INDICES = List.of(":", "0", "1", "-1", "0:2", "1:", ":3", "-2:", "2:1", "1.5",
            "x", "[0]", "");
    private static final List<String> BINARY = List.of("+", "-", "*", "/", "^", "@", "+", "*", "<", "<=", ">",
            ">=", "==", "!=");
    private static final List<String> ODD_NAMES = List.of("batch", "data", "seed", "stop", "when", "int",
            "float", "recompute", "shuffle", "_", "x_1", "\u00e9t\u00e9", "\u03bb", "\u53d8\u91cf", "class",
            "this", "String", "Math", "forward", "loss");
    private static final List<String> NUMBERS = List.of("0", "1", "2", "0.5", "-1", "3.0", "1e-3", ".5", "2.",
            "1e308", "1e999", "0.0", "-0.0", "123456789012345678901234567890", "4.9e-324", "1E+2", "7");
    private static final List<String> INITIALIZERS = List.of("zeros", "ones", "normal(0, 0.1)",
            "uniform(-1, 1)", "glorot_uniform", "he_normal", "0.5", "-3.0", "normal(0)", "zeros(1)");
    private static final List<String> OPTIMIZERS = List.of("gd(lr = 0.1)", "sgd(lr = 0.1, momentum = 0.9)",
            "adam(lr = 0.01)", "adamw(lr = 0.01, weight_decay = 0.1)", "rmsprop(lr = 0.01)",
            "adagrad(lr = 0.1)", "sgd", "adam()", "gd(lr = -1)", "sgd(lr = 0.1, nesterov = true)",
            "frobnicate(lr = 1)", "gd(0.1)");
    private static final List<String> SCHEDULES = List.of("constant", "step(step_size = 10)",
            "multistep(milestones = [30, 80])", "exponential(gamma = 0.9)", "inverse_time(k = 0.1)",
            "cosine(warmup = 10)", "linear_warmup(steps = 5)", "reduce_on_plateau(patience = 3)",
            "multistep(milestones = [80, 30])", "cosine(steps = 0)");

    private final RandomSource random;
    private final List<String> scalars = new ArrayList<>();
    private final List<String> tensors = new ArrayList<>();
    private final List<String> functions = new ArrayList<>();
    private final StringBuilder out = new StringBuilder();
    private int fresh;

    private GrammarTextGen(RandomSource random) {
        this.random = random;
    }

    /** One program. */
    static String program(RandomSource random) {
        return new GrammarTextGen(random).write();
    }

    private String write() {
        out.append("model ").append(random.chance(0.95) ? "M" + random.nextInt(100) : oddName()).append('\n');
        int declarations = random.nextInt(1, 9);
        for (int i = 0; i < declarations; i++) {
            declaration();
        }
        if (random.chance(0.85)) {
            line("loss " + freshName("L") + " = " + expression(3));
        }
        if (random.chance(0.2)) {
            line("metric " + freshName("m") + " = " + expression(2));
        }
        if (random.chance(0.1) && !scalars.isEmpty()) {
            line("recompute " + random.pick(scalars));
        }
        if (random.chance(0.6)) {
            trainBlock();
        }
        if (random.chance(0.2)) {
            line("output " + freshName("o") + " = " + expression(2));
        }
        return out.toString();
    }

    private void declaration() {
        switch (random.nextInt(7)) {
            case 6 -> function();
            case 0, 1 -> {
                String name = freshName("p");
                line("param " + name + " = " + random.pick(NUMBERS));
                scalars.add(name);
            }
            case 2 -> {
                String name = freshName("W");
                line("param " + name + " : " + shape(false) + (random.chance(0.8) ? " = "
                        + random.pick(INITIALIZERS) : ""));
                tensors.add(name);
            }
            case 3 -> {
                String name = freshName("x");
                line("input " + name + " : " + (random.chance(0.2) ? "int" : "") + shape(true));
                tensors.add(name);
            }
            default -> {
                String name = freshName("h");
                line(name + " = " + expression(3));
                scalars.add(name);
            }
        }
    }

    /**
     * {@code def f(a, b) = ...}: a body over its parameters and the names above, which may call
     * the functions above or, rarely, itself; the parameters are names only inside it.
     */
    private void function() {
        String name = freshName("f");
        List<String> parameters = new ArrayList<>();
        int count = random.nextInt(0, 3);
        for (int i = 0; i < count; i++) {
            parameters.add(random.chance(0.05) ? oddName() : "a" + i);
        }
        if (random.chance(0.05)) {
            functions.add(name);
        }
        scalars.addAll(parameters);
        String body = expression(3);
        scalars.subList(scalars.size() - parameters.size(), scalars.size()).clear();
        line("def " + name + "(" + String.join(", ", parameters) + ") = " + body);
        if (!functions.contains(name)) {
            functions.add(name);
        }
    }

    /** A declared shape: mostly small sizes and {@code batch}; sometimes empty, zero, huge or symbolic. */
    private String shape(boolean input) {
        int rank = random.nextInt(0, 3);
        List<String> dims = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            if (d == 0 && input && random.chance(0.8)) {
                dims.add("batch");
            } else if (random.chance(0.9)) {
                dims.add(Integer.toString(random.nextInt(1, 5)));
            } else {
                dims.add(random.pick(List.of("0", "1073741824", "n", "2.5", "-1", "99999999999")));
            }
        }
        return "[" + String.join(", ", dims) + "]";
    }

    private void trainBlock() {
        out.append("train {\n");
        int items = random.nextInt(0, 5);
        for (int i = 0; i < items; i++) {
            out.append("  ").append(trainItem()).append('\n');
        }
        out.append("}\n");
    }

    private String trainItem() {
        return switch (random.nextInt(9)) {
            case 0 -> "optimizer " + random.pick(OPTIMIZERS);
            case 1 -> "schedule " + random.pick(SCHEDULES);
            case 2 -> "epochs " + random.pick(List.of("1", "3", "0", "100000000000"));
            case 3 -> "max_steps " + random.pick(List.of("10", "1", "0", "2.5"));
            case 4 -> "seed " + random.pick(List.of("42", "0", "18446744073709551617"));
            case 5 -> "batch " + random.pick(List.of("4", "1", "0", "2000000"))
                    + (random.chance(0.5) ? " shuffle" : "");
            case 6 -> "clip_norm " + random.pick(List.of("1.0", "0", "1e400"));
            case 7 -> "data csv(\"" + random.pick(List.of("d.csv", "", "a\\\"b.csv", "../x.csv")) + "\""
                    + (random.chance(0.5) ? ", label = last" : "") + ")";
            default -> "stop when " + expression(2);
        };
    }

    private String expression(int depth) {
        if (depth <= 0 || random.chance(0.25)) {
            return atom();
        }
        return switch (random.nextInt(8)) {
            case 0, 1, 2 -> expression(depth - 1) + " " + random.pick(BINARY) + " " + expression(depth - 1);
            case 7 -> atom() + "[" + (random.chance(0.3) ? expression(depth - 1) : random.pick(INDICES))
                    + (random.chance(0.5) ? ", " + random.pick(INDICES) : "") + "]";
            case 3 -> "-" + expression(depth - 1);
            case 4 -> "(" + expression(depth - 1) + ")";
            case 5 -> call(depth);
            default -> random.chance(0.9) ? atom() : "[" + expression(depth - 1) + ", " + atom() + "]";
        };
    }

    private String call(int depth) {
        String function = !functions.isEmpty() && random.chance(0.3) ? random.pick(functions)
                : random.pick(FUNCTIONS);
        List<String> arguments = new ArrayList<>();
        int count = random.chance(0.8) ? 1 : random.nextInt(0, 3);
        for (int i = 0; i < count; i++) {
            arguments.add(expression(depth - 1));
        }
        if (random.chance(0.15)) {
            arguments.add("axis = " + random.pick(List.of("0", "1", "-1", "2", "x")));
        }
        if (random.chance(0.05)) {
            arguments.add(random.pick(List.of("keepdims = true", "keepdims = 1", "negative_slope = 0.2",
                    "alpha = -1", "classes = 3", "[batch, 4]", "[2, batch]", "[0]", "shape = [batch, 2, 2]",
                    "stride = 2", "stride = 0", "padding = 1", "padding = -1", "size = 2", "p = 0.5", "p = 1", "eps = 0.1",
                    "eps = 0", "momentum = 0.5", "momentum = 2")));
        }
        return function + "(" + String.join(", ", arguments) + ")";
    }

    private String atom() {
        double draw = random.nextDouble();
        if (draw < 0.45 && !scalars.isEmpty()) {
            return random.pick(scalars);
        }
        if (draw < 0.6 && !tensors.isEmpty()) {
            return random.pick(tensors);
        }
        if (draw < 0.9) {
            return random.pick(NUMBERS);
        }
        return random.chance(0.8) ? oddName() : "\"text\"";
    }

    private String freshName(String prefix) {
        return random.chance(0.03) ? oddName() : prefix + fresh++;
    }

    private String oddName() {
        return random.pick(ODD_NAMES);
    }

    private void line(String text) {
        out.append(text).append('\n');
    }
}
