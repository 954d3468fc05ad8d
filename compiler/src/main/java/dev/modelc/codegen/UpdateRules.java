package dev.modelc.codegen;

import com.palantir.javapoet.CodeBlock;
import dev.modelc.graph.TrainSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How each optimizer updates one parameter element, as Java, following PyTorch's update
 * formulas: the state it keeps per parameter (named as PyTorch names its state, and listed by
 * {@link TrainSpec#optimizerState()}), the hyperparameters it reads, the scalars it computes once per step, and the statements for one
 * element. {@link OptimizerWriter} fuses these into one loop per parameter.
 */
public final class UpdateRules {
    /** The rule for every optimizer the checker accepts. */
    static final Map<String, Rule> RULES = rules();

    private UpdateRules() {
    }

    /** Whether {@code optimizer} has an update rule. */
    public static boolean has(String optimizer) {
        return RULES.containsKey(optimizer);
    }

    /** What each state buffer holds, by its PyTorch name. */
    private static final Map<String, String> STATE_DESCRIPTIONS = Map.of(
            "momentum_buffer", "Momentum buffer",
            "exp_avg", "First moment (mean) of the gradients",
            "exp_avg_sq", "Second moment (uncentered variance) of the gradients",
            "square_avg", "Moving average of the squared gradients",
            "grad_avg", "Moving average of the gradients",
            "sum", "Sum of the squared gradients");

    /** The state buffers the train block's optimizer keeps per parameter ({@link TrainSpec#optimizerState()}). */
    static List<StateKind> state(TrainSpec train) {
        return train.optimizerState().stream().map(name -> new StateKind(name, STATE_DESCRIPTIONS.get(name),
                name.equals("sum") && train.hyperparameter("initial_accumulator_value") != 0
                        ? "initial_accumulator_value" : null)).toList();
    }

    /**
     * One kind of state buffer: its PyTorch name, what it holds, and the hyperparameter that
     * holds its value before the first step, or null for zero.
     */
    record StateKind(String name, String description, String initialValue) {
    }

    /**
     * One element's variables: the parameter, the gradient the optimizer sees (clipped and with
     * L2 weight decay added, or the raw gradient), each state buffer by kind, and the dtype.
     */
    record Element(CodeBlock param, CodeBlock gradient, Map<String, CodeBlock> state, Dtype dtype) {
        CodeBlock state(String kind) {
            return state.get(kind);
        }

        CodeBlock sqrt(CodeBlock value) {
            return dtype.fromDouble(CodeBlock.of("$T.sqrt($L)", Math.class, value));
        }
    }

    /** One optimizer's update. */
    interface Rule {
        /** The update as {@code "name: assignment; assignment"}, for the comment above the loops. */
        String formula(TrainSpec train);

        /** Hyperparameters the update reads, by PyTorch name; each becomes a constant field. */
        List<String> hyperparameters(TrainSpec train);

        /** Whether weight decay is added to the gradient (L2), rather than applied to the parameter. */
        default boolean addsWeightDecayToGradient() {
            return true;
        }

        /** Statements run once per step before the loops, defining per-step scalars. */
        CodeBlock prelude(TrainSpec train, Dtype dtype);

        CodeBlock element(TrainSpec train, Element e);

        /**
         * The update of a whole parameter array as one call of a runtime kernel with the bits of
         * {@link #element}'s loop, or null to write that loop: the arrays of {@code e} carry no index.
         */
        default CodeBlock kernel(TrainSpec train, Element e, long size) {
            return null;
        }
    }

    private static Map<String, Rule> rules() {
        Map<String, Rule> rules = new LinkedHashMap<>();
        rules.put("gd", new Sgd());
        rules.put("sgd", new Sgd());
        rules.put("adam", new Adam(false));
        rules.put("adamw", new Adam(true));
        rules.put("rmsprop", new RmsProp());
        rules.put("adagrad", new Adagrad());
        return Collections.unmodifiableMap(rules);
    }

    /** The hyperparameters among {@code names} that are not zero, so code for them is needed. */
    private static List<String> nonZero(TrainSpec train, String... names) {
        List<String> used = new ArrayList<>();
        for (String name : names) {
            if (train.hyperparameter(name) != 0) {
                used.add(name);
            }
        }
        return used;
    }

    /** A per-step scalar of the model's element type, computed in double. */
    private static CodeBlock scalar(Dtype dtype, String name, String format, Object... args) {
        CodeBlock value = CodeBlock.of(format, args);
        return dtype == Dtype.F64 ? CodeBlock.of("$T $N = $L;\n", dtype.type(), name, value)
                : CodeBlock.of("$T $N = (float) ($L);\n", dtype.type(), name, value);
    }

    /** SGD as in torch.optim.SGD; plain gradient descent is SGD without momentum. */
    private static final class Sgd implements Rule {
        @Override
        public String formula(TrainSpec t) {
            if (t.momentum() == 0) {
                return "gradient descent: param <- param - lr * g";
            }
            String buffer = t.hyperparameter("dampening") == 0 ? "momentum * b + g"
                    : "momentum * b + (1 - dampening) * g";
            return "sgd with momentum: b <- " + buffer + "; param <- param - lr * "
                    + (t.hyperparameter("nesterov") != 0 ? "(g + momentum * b)" : "b");
        }

        @Override
        public List<String> hyperparameters(TrainSpec t) {
            return t.momentum() == 0 ? nonZero(t, "weight_decay") : nonZero(t, "momentum", "dampening", "weight_decay");
        }

        // PyTorch starts the buffer at the first gradient, undamped; it is zero before, so only the factor differs.
        @Override
        public CodeBlock prelude(TrainSpec t, Dtype dtype) {
            if (t.momentum() == 0 || t.hyperparameter("dampening") == 0) {
                return CodeBlock.of("");
            }
            return scalar(dtype, "dampened", "stepCount == 1 ? 1.0 : 1 - dampening");
        }

        // Kernels.momentumStep(W1, momentum_buffer_W1, dL_dW1, momentum, learningRate, 8192);
        @Override
        public CodeBlock kernel(TrainSpec t, Element e, long size) {
            if (t.momentum() == 0 || t.hyperparameter("dampening") != 0 || t.hyperparameter("nesterov") != 0) {
                return null;
            }
            return CodeBlock.of("$T.momentumStep($L, $L, $L, momentum, learningRate, $L);\n", JavaExpressions.KERNELS,
                    e.param(), e.state("momentum_buffer"), e.gradient(), size);
        }

        @Override
        public CodeBlock element(TrainSpec t, Element e) {
            if (t.momentum() == 0) {
                return CodeBlock.of("$L -= learningRate * $L;\n", e.param(), e.gradient());
            }
            CodeBlock b = e.state("momentum_buffer");
            CodeBlock share = t.hyperparameter("dampening") == 0 ? CodeBlock.of("") : CodeBlock.of("dampened * ");
            CodeBlock.Builder code = CodeBlock.builder()
                    .addStatement("$L = momentum * $L + $L$L", b, b, share, e.gradient());
            return t.hyperparameter("nesterov") != 0
                    ? code.addStatement("$L -= learningRate * ($L + momentum * $L)", e.param(), e.gradient(), b).build()
                    : code.addStatement("$L -= learningRate * $L", e.param(), b).build();
        }
    }

    /** Adam as in torch.optim.Adam; AdamW decays the parameter itself instead of adding to the gradient. */
    private static final class Adam implements Rule {
        private final boolean decoupled;

        Adam(boolean decoupled) {
            this.decoupled = decoupled;
        }

        @Override
        public String formula(TrainSpec t) {
            boolean decays = decoupled && t.hyperparameter("weight_decay") != 0;
            String decay = decays ? "param <- param * (1 - lr * weight_decay); " : "";
            return (decoupled ? "adamw: " : "adam: ") + decay + "m <- beta1 * m + (1 - beta1) * g; "
                    + "v <- beta2 * v + (1 - beta2) * g^2; param <- param - lr / (1 - beta1^t) * m "
                    + "/ (sqrt(v) / sqrt(1 - beta2^t) + eps)";
        }

        @Override
        public List<String> hyperparameters(TrainSpec t) {
            List<String> used = new ArrayList<>(List.of("beta1", "beta2", "eps"));
            used.addAll(nonZero(t, "weight_decay"));
            return used;
        }

        @Override
        public boolean addsWeightDecayToGradient() {
            return !decoupled;
        }

        @Override
        public CodeBlock prelude(TrainSpec t, Dtype dtype) {
            CodeBlock.Builder code = CodeBlock.builder()
                    .add(scalar(dtype, "stepSize", "learningRate / (1 - $T.pow(beta1, stepCount))", Math.class))
                    .add(scalar(dtype, "biasCorrection2Sqrt", "$T.sqrt(1 - $T.pow(beta2, stepCount))",
                            Math.class, Math.class));
            if (decoupled && t.hyperparameter("weight_decay") != 0) {
                code.add(scalar(dtype, "decay", "1 - learningRate * weightDecay"));
            }
            return code.build();
        }

        @Override
        public CodeBlock element(TrainSpec t, Element e) {
            CodeBlock m = e.state("exp_avg");
            CodeBlock v = e.state("exp_avg_sq");
            CodeBlock g = e.gradient();
            CodeBlock.Builder code = CodeBlock.builder();
            if (decoupled && t.hyperparameter("weight_decay") != 0) {
                code.addStatement("$L *= decay", e.param());
            }
            return code.addStatement("$L = beta1 * $L + (1 - beta1) * $L", m, m, g)
                    .addStatement("$L = beta2 * $L + (1 - beta2) * $L * $L", v, v, g, g)
                    .addStatement("$L -= stepSize * $L / ($L / biasCorrection2Sqrt + eps)", e.param(), m, e.sqrt(v))
                    .build();
        }
    }

    /** RMSprop as in torch.optim.RMSprop, optionally centered and with momentum. */
    private static final class RmsProp implements Rule {
        @Override
        public String formula(TrainSpec t) {
            boolean centered = t.hyperparameter("centered") != 0;
            String average = centered ? "a <- alpha * a + (1 - alpha) * g; " : "";
            String step = "g / (sqrt(" + (centered ? "v - a^2" : "v") + ") + eps)";
            return "rmsprop: v <- alpha * v + (1 - alpha) * g^2; " + average + (t.momentum() == 0
                    ? "param <- param - lr * " + step
                    : "b <- momentum * b + " + step + "; param <- param - lr * b");
        }

        @Override
        public List<String> hyperparameters(TrainSpec t) {
            List<String> used = new ArrayList<>(List.of("alpha", "eps"));
            used.addAll(nonZero(t, "weight_decay", "momentum"));
            return used;
        }

        @Override
        public CodeBlock prelude(TrainSpec t, Dtype dtype) {
            return CodeBlock.of("");
        }

        @Override
        public CodeBlock element(TrainSpec t, Element e) {
            CodeBlock g = e.gradient();
            CodeBlock sq = e.state("square_avg");
            CodeBlock.Builder code = CodeBlock.builder()
                    .addStatement("$L = alpha * $L + (1 - alpha) * $L * $L", sq, sq, g, g);
            CodeBlock variance = sq;
            if (t.hyperparameter("centered") != 0) {
                CodeBlock ga = e.state("grad_avg");
                code.addStatement("$L = alpha * $L + (1 - alpha) * $L", ga, ga, g);
                variance = CodeBlock.of("$L - $L * $L", sq, ga, ga);
            }
            CodeBlock denominator = CodeBlock.of("($L + eps)", e.sqrt(variance));
            if (t.momentum() == 0) {
                return code.addStatement("$L -= learningRate * $L / $L", e.param(), g, denominator).build();
            }
            CodeBlock b = e.state("momentum_buffer");
            return code.addStatement("$L = momentum * $L + $L / $L", b, b, g, denominator)
                    .addStatement("$L -= learningRate * $L", e.param(), b).build();
        }
    }

    /** Adagrad as in torch.optim.Adagrad. */
    private static final class Adagrad implements Rule {
        @Override
        public String formula(TrainSpec t) {
            String rate = t.hyperparameter("lr_decay") == 0 ? "lr" : "lr / (1 + (t - 1) * lr_decay)";
            return "adagrad: sum <- sum + g^2; param <- param - " + rate + " * g / (sqrt(sum) + eps)";
        }

        @Override
        public List<String> hyperparameters(TrainSpec t) {
            List<String> used = new ArrayList<>(List.of("eps"));
            used.addAll(nonZero(t, "lr_decay", "weight_decay", "initial_accumulator_value"));
            return used;
        }

        @Override
        public CodeBlock prelude(TrainSpec t, Dtype dtype) {
            if (t.hyperparameter("lr_decay") == 0) {
                return CodeBlock.of("");
            }
            return scalar(dtype, "decayedRate", "learningRate / (1 + (stepCount - 1) * lrDecay)");
        }

        @Override
        public CodeBlock element(TrainSpec t, Element e) {
            CodeBlock sum = e.state("sum");
            String rate = t.hyperparameter("lr_decay") == 0 ? "learningRate" : "decayedRate";
            return CodeBlock.builder().addStatement("$L += $L * $L", sum, e.gradient(), e.gradient())
                    .addStatement("$L -= $N * $L / ($L + eps)", e.param(), rate, e.gradient(), e.sqrt(sum))
                    .build();
        }
    }
}
