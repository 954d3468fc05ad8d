package dev.modelc.codegen;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Models whose names or text try to break the Java generated from them: every Java keyword and
 * literal, the names of generated members, locals and types, {@code _}, letters of other scripts,
 * and file names and source lines that carry comment ends, Unicode escapes, quotes and
 * backslashes into the comments and strings of the generated class.
 */
final class HostileModels {
    /** What no member or line of code of a generated class may contain: it appears only inside payloads. */
    static final String MARKER = "pwned";

    /**
     * One model: its file name, its text, the dtype to generate, and fields its class must have, by
     * their Java name, to show that names are kept or mangled as little as Java requires.
     */
    record Case(String title, String fileName, String text, Dtype dtype, List<String> fields) {
        @Override
        public String toString() {
            return title;
        }
    }

    private HostileModels() {
    }

    /** Names that Java does not allow, or allows only in places: its keywords, literals and restricted names. */
    static final List<String> JAVA_WORDS = List.of(
            "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
            "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float",
            "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native",
            "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp", "super",
            "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile", "while",
            "_", "true", "false", "null", "var", "yield", "record", "sealed", "permits", "module", "open",
            "exports", "requires", "to", "with", "when");

    /**
     * Names of the generated class's members, of the parameters and locals of its methods, of the
     * types and packages it refers to, and names shaped like the ones it derives from the model's.
     */
    static final List<String> GENERATED_WORDS = List.of(
            "forward", "backward", "step", "bind", "params", "grads", "signature", "SIGNATURE",
            "batchCapacity", "rows", "inputs", "seed", "rng", "index", "value", "buffer", "steps",
            "learningRate", "setLearningRate", "stepCount", "initialize", "trainStep", "paramsFinite",
            "firstNonFinite", "gradient", "state", "stopRequested", "stopCondition", "momentum",
            "dampening", "dampened", "weightDecay", "beta1", "beta2", "eps", "alpha", "lrDecay", "clipNorm", "g",
            "stepSize", "biasCorrection2Sqrt", "decay", "sumOfSquares", "clipScale", "acc", "best", "bestIndex",
            "total", "k", "i", "i0", "i1", "i7", "size", "t1", "t2", "dL_dw", "exp_avg_w", "exp_avg_sq_w",
            "momentum_buffer_w", "w_recomputed", "M",
            "String", "Math", "Object", "System", "Double", "Float", "Integer", "Long", "Override", "Thread",
            "Exception", "Error", "Class", "Runtime", "Void", "Character", "Boolean", "Objects", "Arrays",
            "List", "Map", "Rng", "Kernels", "Matmul", "ModelSignature", "TrainableModel",
            "IllegalArgumentException", "IllegalStateException", "IndexOutOfBoundsException", "java", "javax",
            "dev");

    /** Names with underscores, and letters and digits beyond ASCII: Java takes most as they are, not ₀ or ². */
    static final List<String> OTHER_WORDS = List.of(
            "_x", "x_", "__", "_1", "x__y", "Größe", "ÉTÉ", "ß", "θ", "Ωmega", "模型", "損失", "ω₀", "x²", "ǅ",
            "_Ⅻ", "ﬁ", "Ａ");

    /** Every case: names in every role, text in comments and strings, and a few chosen collisions. */
    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        List<String> words = new ArrayList<>(JAVA_WORDS);
        words.addAll(GENERATED_WORDS);
        words.addAll(OTHER_WORDS);
        for (int k = 0; k < words.size(); k++) {
            cases.add(namesInEveryRole(words, k));
        }
        cases.addAll(HostileText.all());
        cases.addAll(collisions());
        return cases;
    }

    private static final List<String> OPTIMIZERS = List.of(
            "gd(lr = 0.1)",
            "sgd(lr = 0.1, momentum = 0.9, dampening = 0.1, nesterov = false, weight_decay = 0.01)",
            "adam(lr = 0.01, weight_decay = 0.01)",
            "adamw(lr = 0.01)",
            "rmsprop(lr = 0.01, momentum = 0.5, centered = true, weight_decay = 0.01)",
            "adagrad(lr = 0.1, lr_decay = 0.01, initial_accumulator_value = 0.1, weight_decay = 0.01)");

    /**
     * Case k gives seven consecutive words seven roles: model, input, tensor param, scalar param,
     * a recomputed value, loss and metric. Over all cases every word plays every role, next to
     * other hostile words, under each optimizer and both dtypes.
     */
    private static Case namesInEveryRole(List<String> words, int k) {
        String[] n = new String[7];
        for (int role = 0; role < n.length; role++) {
            n[role] = words.get((k + role) % words.size());
        }
        String title = String.format("model %s, input %s, params %s and %s, value %s, loss %s, metric %s",
                (Object[]) n);
        return new Case(title, "roles.model", rolesModel(n, k), k % 3 == 0 ? Dtype.F32 : Dtype.F64, List.of());
    }

    /** The model of {@link #namesInEveryRole} with plain lowercase names, under optimizer {@code k}. */
    static String plainModel(int k) {
        return rolesModel(new String[] {"plain", "x", "w", "s", "h", "l", "m"}, k);
    }

    static int optimizerCount() {
        return OPTIMIZERS.size();
    }

    private static String rolesModel(String[] n, int k) {
        return String.join("\n",
                "model " + n[0],
                "input " + n[1] + " : [batch, 3]",
                "input labels : int[batch]",
                "param " + n[2] + " : [3, 4] = glorot_uniform",
                "param " + n[3] + " = 0.5",
                (k % 2 == 0 ? "output " : "") + n[4] + " = tanh(" + n[1] + " @ " + n[2] + ") * " + n[3],
                "loss " + n[5] + " = mean(softmax_cross_entropy(" + n[4] + ", labels)) + sum(max(" + n[4]
                        + ", axis = 1)) / 100 + " + n[3] + "^2",
                "metric " + n[6] + " = mean(argmax(" + n[4] + ", axis = 1) == labels)",
                "recompute " + n[4],
                "train {",
                "  optimizer " + OPTIMIZERS.get(k % OPTIMIZERS.size()),
                "  clip_norm 1.0",
                "  stop when " + n[5] + " < 0.0001",
                "}",
                "");
    }

    /** Mangled names never take a name the model declares, and legal names are kept as written. */
    private static List<Case> collisions() {
        Map<String, List<String>> cases = new java.util.LinkedHashMap<>();
        cases.put("model M\nparam class = 1\nparam class_ = 2\nparam class__ = 3\nloss L = class * class_ * class__\n",
                List.of("class___", "class_", "class__"));
        cases.put("model M\nparam _ = 1\nparam __ = 2\nloss L = _ * __\n", List.of("___", "__"));
        cases.put("model M\nparam x = 1\ndL_dx = x * 2\nloss L = dL_dx^2\n", List.of("x", "dL_dx", "dL_dx_"));
        cases.put("model M\nparam ω₀ = 1\nparam ω_ = 2\nloss L = ω₀ * ω_\n", List.of("ω_", "ω__"));
        cases.put("model Map\nparam java = 1\nparam dev = 2\nparam List = 3\nloss L = java * dev * List\n",
                List.of("java_", "dev_", "List_"));
        cases.put("model θ\nparam θ = 1\nparam Größe = 2\nparam 損失 = 3\nloss L = θ * Größe * 損失\n",
                List.of("θ_", "Größe", "損失"));
        cases.put("model M\ninput rows : [batch, 2]\nparam batchCapacity : [2] = 1\n"
                + "loss L = mean(rows @ batchCapacity)\n", List.of("rows_", "batchCapacity_"));
        cases.put("model M\nparam w = 1\nh = w * 2\nh_recomputed = h * 3\nloss L = h_recomputed^2\nrecompute h\n",
                List.of("h", "h_recomputed"));
        List<Case> result = new ArrayList<>();
        cases.forEach((text, fields) -> result.add(new Case("collision: " + text.lines().skip(1).toList(),
                "collision.model", text, Dtype.F64, fields)));
        return result;
    }
}
