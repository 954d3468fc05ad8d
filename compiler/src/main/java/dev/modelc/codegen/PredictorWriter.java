package dev.modelc.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.modelc.graph.ModelIr;
import dev.modelc.plan.Buffers;
import dev.modelc.plan.Plan;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * Writes the nested {@code Predictor}: a snapshot of the parameters, and a model of the generated
 * class for each thread that calls it, made by a private constructor written here too, which holds
 * the snapshot's arrays and the arrays of the lines the outputs need, and nothing for training.
 */
final class PredictorWriter {
    private final Plan plan;
    private final ModelIr model;
    private final Variables variables;
    private final Dtype dtype;
    private final PredictWriter predict;
    private final ClassName modelClass;
    private final ClassName predictor;

    PredictorWriter(Plan plan, Variables variables, Dtype dtype, PredictWriter predict, String predictorClass) {
        this.plan = plan;
        this.model = plan.model();
        this.variables = variables;
        this.dtype = dtype;
        this.predict = predict;
        this.modelClass = ClassName.get("", variables.className());
        this.predictor = ClassName.get("", predictorClass);
    }

    // public static final class Predictor implements dev.modelc.runtime.Predictor { ... }
    TypeSpec type() {
        TypeSpec.Builder type = TypeSpec.classBuilder(predictor.simpleName())
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(PredictWriter.PREDICTOR)
                .addJavadoc(("Predicts with a snapshot of the parameters of a {@code $L}, taken when\n"
                        + "{@code predictor()} made it: training the model further does not change it. Any number of\n"
                        + "threads may call it at once. Each thread predicts with a model of its own, made on its\n"
                        + "first call, that shares the snapshot's parameters (never written) and has arrays for\n"
                        + "{@code rowsPerPass} rows of the lines the outputs need, and nothing for training; after\n"
                        + "that first call, a call allocates nothing. More rows than {@code rowsPerPass} are\n"
                        + "predicted in parts of that many.\n")
                        .replace("$L", variables.className().replace("$", "$$")));
        for (ModelIr.ParamSpec p : model.params()) {
            type.addField(FieldSpec.builder(paramType(p), variables.param(p.name()), Modifier.PRIVATE, Modifier.FINAL)
                    .build());
        }
        type.addField(FieldSpec.builder(TypeName.INT, "rowsPerPass", Modifier.PRIVATE, Modifier.FINAL).build());
        type.addField(FieldSpec.builder(ParameterizedTypeName.get(ClassName.get(ThreadLocal.class), modelClass),
                        "models", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("Each thread's model, made on its first call.\n")
                .initializer("$T.withInitial(() -> new $T(this))", ThreadLocal.class, modelClass).build());
        type.addMethod(constructor());
        type.addMethod(MethodSpec.methodBuilder("signature").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(ModelClassGenerator.MODEL_SIGNATURE)
                .addStatement("return SIGNATURE").build());
        type.addMethod(predict.genericPredict());
        type.addMethod(typedPredict());
        return type.build();
    }

    private TypeName paramType(ModelIr.ParamSpec p) {
        return p.shape().isScalar() ? dtype.type() : ArrayTypeName.of(dtype.type());
    }

    // private Predictor(DigitsMlp source, int rowsPerPass) { W1 = source.W1.clone(); ... }
    private MethodSpec constructor() {
        MethodSpec.Builder method = MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
                .addParameter(modelClass, "source").addParameter(TypeName.INT, "rowsPerPass");
        for (ModelIr.ParamSpec p : model.params()) {
            String name = variables.param(p.name());
            method.addStatement(p.shape().isScalar() ? "$N = source.$N" : "$N = source.$N.clone()", name, name);
        }
        return method.addStatement("this.rowsPerPass = rowsPerPass").build();
    }

    // public void predict(double[] x, int rows, double[] probs) { ...; DigitsMlp model = models.get(); parts }
    private MethodSpec typedPredict() {
        MethodSpec.Builder method = predict.typedParameters(MethodSpec.methodBuilder("predict")
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("As the model's {@code predict}, from the snapshot's parameters, for any number of rows; "
                        + "safe to call\nfrom many threads at once.\n"));
        if (predict.readsRows()) {
            method.beginControlFlow("if (rows < 0)")
                    .addStatement("throw new $T($S + rows)", IllegalArgumentException.class,
                            "rows must not be negative; got ")
                    .endControlFlow();
        }
        method.addCode(predict.lengthChecks());
        method.addStatement("$T model = models.get()", modelClass);
        if (!predict.readsRows()) {
            return method.addStatement("model.predictRows($L)", predict.typedArguments("0, rows")).build();
        }
        return method.beginControlFlow("for (int from = 0; from < rows; from += rowsPerPass)")
                .addStatement("model.predictRows($L)",
                        predict.typedArguments("from, Math.min(rowsPerPass, rows - from)"))
                .endControlFlow().build();
    }

    /**
     * The model's private constructor for one thread of a predictor: every final field of the
     * model gets the predictor's parameter, an array for the lines the outputs need, or null.
     */
    // private DigitsMlp(Predictor predictor) { batchCapacity = predictor.rowsPerPass; W1 = predictor.W1; ... }
    MethodSpec modelConstructor(List<FieldSpec> fields) {
        Set<String> params = model.params().stream().map(p -> variables.param(p.name())).collect(Collectors.toSet());
        Map<String, Buffers.Buffer> buffers = plan.buffers().stream()
                .collect(Collectors.toMap(variables::field, b -> b));
        Set<String> parts = predict.fields().stream().map(FieldSpec::name).collect(Collectors.toSet());
        MethodSpec.Builder method = MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
                .addJavadoc("A model for one thread of a {@link $T}: its parameters, arrays for\n"
                        + "{@code rowsPerPass} rows of the lines the outputs need, nothing for training.\n", predictor)
                .addParameter(predictor, "predictor")
                .addStatement("this.batchCapacity = predictor.rowsPerPass");
        CodeBlock.Builder nothing = CodeBlock.builder();
        for (FieldSpec field : fields) {
            String name = field.name();
            boolean assignable = field.modifiers().contains(Modifier.FINAL)
                    && !field.modifiers().contains(Modifier.STATIC) && field.initializer().isEmpty();
            if (params.contains(name)) {
                method.addStatement("$N = predictor.$N", name, name);
            } else if (!assignable || name.equals("batchCapacity")) {
                continue;
            } else if (parts.contains(name)) {
                method.addStatement("$N = new $T[$L]", name, ((ArrayTypeName) field.type()).componentType(),
                        partSize(name));
            } else if (buffers.containsKey(name) && predict.predictionWrites(buffers.get(name))) {
                method.addStatement("$N = new $T[$L]", name, dtype.type(),
                        ModelClassGenerator.allocation(buffers.get(name).owner().assignment().node().shape()));
            } else {
                nothing.addStatement("$N = null", name);
            }
        }
        if (!nothing.isEmpty()) {
            method.addComment("Nothing for training: no gradients, optimizer state or arrays of the other lines.")
                    .addCode(nothing.build());
        }
        return method.build();
    }

    private CodeBlock partSize(String part) {
        ModelIr.InputSpec input = model.inputs().stream().filter(i -> part.equals(variables.part(i.name())))
                .findFirst().orElseThrow();
        return ModelClassGenerator.allocation(input.shape());
    }
}
