package dev.modelc.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Shape;
import dev.modelc.graph.TrainSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Writes the optimizer: its state buffers and hyperparameter constants, the reset of its state,
 * and {@code step()}, which clips the gradients by their global norm when the train block asks
 * and then updates every parameter in one fused loop, by the rule of {@link UpdateRules}.
 */
final class OptimizerWriter {
    /** PyTorch clips with {@code max_norm / (norm + 1e-6)}, so a zero gradient does not divide by zero. */
    static final double CLIP_EPSILON = 1e-6;

    private final ModelIr model;
    private final TrainSpec train;
    private final Variables variables;
    private final Dtype dtype;
    private final UpdateRules.Rule rule;

    /** One state buffer: its public name, its field, the shape of its param. */
    record StateBuffer(String name, String field, Shape shape) {
    }

    OptimizerWriter(ModelIr model, Variables variables, Dtype dtype) {
        this.model = model;
        this.train = model.train();
        this.variables = variables;
        this.dtype = dtype;
        this.rule = UpdateRules.RULES.get(train.optimizer());
    }

    /** The params the optimizer updates: all but the running statistics of {@code batch_norm}. */
    private List<ModelIr.ParamSpec> trainable() {
        return model.trainableParams();
    }

    /** The Java name of a hyperparameter's constant: {@code weight_decay} becomes {@code weightDecay}. */
    static String fieldName(String hyperparameter) {
        StringBuilder name = new StringBuilder();
        for (String part : hyperparameter.split("_")) {
            name.append(name.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return name.toString();
    }

    /** The state buffers, param by param and kind by kind, in the order {@code stateNames()} lists them. */
    List<StateBuffer> stateBuffers() {
        List<StateBuffer> buffers = new ArrayList<>();
        for (ModelIr.ParamSpec p : trainable()) {
            for (UpdateRules.StateKind kind : UpdateRules.state(train)) {
                buffers.add(new StateBuffer(p.name() + "." + kind.name(), variables.state(kind.name(), p.name()),
                        p.shape()));
            }
        }
        return buffers;
    }

    // private final double[] exp_avg_W1 = new double[8192];  private final double beta1 = 0.9;  private long stepCount;
    List<FieldSpec> fields() {
        List<FieldSpec> fields = new ArrayList<>();
        for (UpdateRules.StateKind kind : UpdateRules.state(train)) {
            for (ModelIr.ParamSpec p : trainable()) {
                fields.add(stateField(p, kind));
            }
        }
        for (String hyperparameter : rule.hyperparameters(train)) {
            fields.add(constant(fieldName(hyperparameter), train.hyperparameter(hyperparameter)));
        }
        if (train.clipsGradients()) {
            fields.add(constant("clipNorm", train.clipNorm()));
        }
        fields.add(FieldSpec.builder(TypeName.LONG, "stepCount", Modifier.PRIVATE)
                .addJavadoc("Updates made since initialization.\n").build());
        return fields;
    }

    private FieldSpec stateField(ModelIr.ParamSpec p, UpdateRules.StateKind kind) {
        String name = variables.state(kind.name(), p.name());
        FieldSpec.Builder field = p.shape().isScalar()
                ? FieldSpec.builder(dtype.type(), name, Modifier.PRIVATE)
                : FieldSpec.builder(ArrayTypeName.of(dtype.type()), name, Modifier.PRIVATE, Modifier.FINAL);
        return field.addJavadoc("$L of $L: state $L.\n", kind.description(), Comments.code(p.name()),
                Comments.code(p.name() + "." + kind.name())).build();
    }

    private FieldSpec constant(String name, double value) {
        return FieldSpec.builder(dtype.type(), name, Modifier.PRIVATE, Modifier.FINAL)
                .initializer(dtype.literal(value)).build();
    }

    // exp_avg_W1 = new double[8192];   (in the constructor, after its checks)
    CodeBlock allocations() {
        CodeBlock.Builder code = CodeBlock.builder();
        for (StateBuffer buffer : stateBuffers()) {
            if (!buffer.shape().isScalar()) {
                code.addStatement("$N = new $T[$L]", buffer.field(), dtype.type(), buffer.shape().sizeWithoutBatch());
            }
        }
        return code.build();
    }

    // stepCount = 0;  Arrays.fill(exp_avg_W1, 0.0);
    CodeBlock resetState() {
        CodeBlock.Builder code = CodeBlock.builder().addStatement("stepCount = 0");
        for (UpdateRules.StateKind kind : UpdateRules.state(train)) {
            CodeBlock initial = kind.initialValue() == null ? dtype.literal(0)
                    : CodeBlock.of("$N", fieldName(kind.initialValue()));
            for (ModelIr.ParamSpec p : trainable()) {
                String field = variables.state(kind.name(), p.name());
                code.add(p.shape().isScalar() ? CodeBlock.of("$N = $L;\n", field, initial)
                        : CodeBlock.of("$T.fill($N, $L);\n", Arrays.class, field, initial));
            }
        }
        return code.build();
    }

    // public void step() { stepCount++; for (int i = 0; i < 8192; i++) { W1[i] -= learningRate * dL_dW1[i]; } }
    MethodSpec step() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("step").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addStatement("stepCount++");
        if (train.clipsGradients()) {
            method.addCode(clipScale());
        }
        comment(method, rule.formula(train));
        boolean decayInGradient = rule.addsWeightDecayToGradient() && train.hyperparameter("weight_decay") != 0;
        if (decayInGradient || train.clipsGradients()) {
            method.addComment("g is the gradient$L$L", train.clipsGradients() ? ", clipped" : "",
                    decayInGradient ? ", plus weight_decay * param" : "");
        }
        method.addCode(rule.prelude(train, dtype));
        boolean gradientLocal = decayInGradient || train.clipsGradients();
        for (ModelIr.ParamSpec p : trainable()) {
            CodeBlock kernel = gradientLocal || p.shape().isScalar() ? null : kernel(p);
            if (kernel != null) {
                method.addCode(kernel);
                continue;
            }
            CodeBlock update = update(p, decayInGradient);
            if (!p.shape().isScalar()) {
                method.beginControlFlow("for (int i = 0; i < $L; i++)", p.shape().sizeWithoutBatch())
                        .addCode(update).endControlFlow();
            } else if (gradientLocal) {
                method.addCode("{\n$>$L$<}\n", update); // a block, so each scalar param's `g` has its own scope
            } else {
                method.addCode(update);
            }
        }
        return method.build();
    }

    /** {@code "adam: m <- ...; v <- ..."} as one comment line per assignment, aligned after the name. */
    private static void comment(MethodSpec.Builder method, String formula) {
        int start = formula.indexOf(": ") + 2;
        String[] assignments = formula.substring(start).split("; ");
        for (int i = 0; i < assignments.length; i++) {
            method.addComment("$L$L", i == 0 ? formula.substring(0, start) : " ".repeat(start), assignments[i]);
        }
    }

    /** The statements for one element of {@code p}: the gradient the rule sees, then the rule's update. */
    private CodeBlock update(ModelIr.ParamSpec p, boolean decayInGradient) {
        String at = p.shape().isScalar() ? "" : "[i]";
        CodeBlock param = CodeBlock.of("$N$L", variables.param(p.name()), at);
        CodeBlock gradient = CodeBlock.of("$N$L", variables.gradient(p.name()), at);
        CodeBlock.Builder code = CodeBlock.builder();
        if (train.clipsGradients() || decayInGradient) {
            CodeBlock value = train.clipsGradients() ? CodeBlock.of("clipScale * $L", gradient) : gradient;
            code.addStatement("$T g = $L$L", dtype.type(), value,
                    decayInGradient ? CodeBlock.of(" + weightDecay * $L", param) : CodeBlock.of(""));
            gradient = CodeBlock.of("g");
        }
        Map<String, CodeBlock> state = new LinkedHashMap<>();
        for (UpdateRules.StateKind kind : UpdateRules.state(train)) {
            state.put(kind.name(), CodeBlock.of("$N$L", variables.state(kind.name(), p.name()), at));
        }
        return code.add(rule.element(train, new UpdateRules.Element(param, gradient, state, dtype))).build();
    }

    /** The rule's kernel call for the whole of {@code p}, or null when the rule writes a loop. */
    private CodeBlock kernel(ModelIr.ParamSpec p) {
        Map<String, CodeBlock> state = new LinkedHashMap<>();
        for (UpdateRules.StateKind kind : UpdateRules.state(train)) {
            state.put(kind.name(), CodeBlock.of("$N", variables.state(kind.name(), p.name())));
        }
        UpdateRules.Element arrays = new UpdateRules.Element(CodeBlock.of("$N", variables.param(p.name())),
                CodeBlock.of("$N", variables.gradient(p.name())), state, dtype);
        return rule.kernel(train, arrays, p.shape().sizeWithoutBatch());
    }

    // double sumOfSquares = 0.0; ... double clipScale = Math.min(1.0, clipNorm / (Math.sqrt(sumOfSquares) + 1e-6));
    private CodeBlock clipScale() {
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// clip_norm: scale every gradient by min(1, clipNorm / (norm + $L)), the norm taken over all\n",
                        CLIP_EPSILON)
                .add("// gradients together and summed in double\n")
                .addStatement("double sumOfSquares = 0.0");
        for (ModelIr.ParamSpec p : trainable()) {
            String gradient = variables.gradient(p.name());
            if (p.shape().isScalar()) {
                code.addStatement("sumOfSquares += $N * $N", gradient, gradient);
            } else {
                code.beginControlFlow("for (int i = 0; i < $L; i++)", p.shape().sizeWithoutBatch())
                        .addStatement("sumOfSquares += $N[i] * $N[i]", gradient, gradient).endControlFlow();
            }
        }
        CodeBlock scale = CodeBlock.of("$T.min(1.0, clipNorm / ($T.sqrt(sumOfSquares) + $L))", Math.class, Math.class,
                CLIP_EPSILON);
        return code.addStatement("$T clipScale = $L", dtype.type(), dtype.fromDouble(scale)).build();
    }
}
