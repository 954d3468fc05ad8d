package dev.modelc.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.modelc.graph.ModelIr;
import dev.modelc.plan.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import javax.lang.model.element.Modifier;

/** The uniform accessors of {@code TrainableModel}: signature, learning rate, metrics, params, gradients. */
final class Accessors {
    private static final ClassName OBJECTS = ClassName.get(Objects.class);

    private Accessors() {
    }

    static List<MethodSpec> methods(Plan plan, Variables variables, Dtype dtype) {
        ModelIr model = plan.model();
        List<MethodSpec> methods = new ArrayList<>();
        methods.add(MethodSpec.methodBuilder("signature").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(ModelClassGenerator.MODEL_SIGNATURE).addStatement("return SIGNATURE").build());
        methods.add(MethodSpec.methodBuilder("learningRate").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(TypeName.DOUBLE).addStatement("return $N", variables.learningRate()).build());
        methods.add(MethodSpec.methodBuilder("setLearningRate").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).addParameter(TypeName.DOUBLE, "learningRate")
                .addStatement(dtype == Dtype.F64 ? "this.$N = learningRate" : "this.$N = (float) learningRate",
                        variables.learningRate())
                .build());
        // A metric's own field, not wherever its node was computed first: that may be a local of forward().
        List<CodeBlock> metrics = model.metrics().stream()
                .map(m -> CodeBlock.of("$N", variables.value(m.name()))).toList();
        methods.add(switchOver("metric", "index", metrics, "metric").build());
        methods.add(elementGetter("param", model, p -> variables.param(p.name())));
        methods.add(setter("setParam", "param", model, dtype, p -> variables.param(p.name())));
        methods.add(elementGetter("gradient", model, p -> variables.gradient(p.name())));
        methods.add(setter("setGradient", "gradient", model, dtype, p -> variables.gradient(p.name())));
        return methods;
    }

    // public double param(int param, int index) { return switch (param) { case 0 -> W[index]; ... }; }
    private static MethodSpec elementGetter(String name, ModelIr model, Function<ModelIr.ParamSpec, String> field) {
        List<CodeBlock> cases = new ArrayList<>();
        for (ModelIr.ParamSpec p : model.params()) {
            cases.add(p.shape().isScalar()
                    ? CodeBlock.of("{\n$>$T.checkIndex(index, 1);\nyield $N;\n$<}", OBJECTS, field.apply(p))
                    : CodeBlock.of("$N[index]", field.apply(p)));
        }
        return switchOver(name, "param", cases, "param").addParameter(TypeName.INT, "index").build();
    }

    private static MethodSpec.Builder switchOver(String name, String selector, List<CodeBlock> values, String what) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(name).addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(TypeName.DOUBLE).addParameter(TypeName.INT, selector);
        if (values.isEmpty()) {
            return method.addStatement("throw new $T($S + $N)", IndexOutOfBoundsException.class,
                    "no " + what + " ", selector);
        }
        CodeBlock.Builder body = CodeBlock.builder().add("return switch ($N) {\n$>", selector);
        for (int i = 0; i < values.size(); i++) {
            String end = values.get(i).toString().endsWith("}") ? "\n" : ";\n";
            body.add("case $L -> $L$L", i, values.get(i), end);
        }
        body.add("default -> throw new $T($S + $N);\n$<};\n", IndexOutOfBoundsException.class, "no " + what + " ", selector);
        return method.addCode(body.build());
    }

    // public void setParam(int param, int index, double value) { switch (param) { case 0 -> W[index] = value; } }
    private static MethodSpec setter(String name, String what, ModelIr model, Dtype dtype,
                                     Function<ModelIr.ParamSpec, String> field) {
        String value = dtype == Dtype.F64 ? "value" : "(float) value";
        CodeBlock.Builder body = CodeBlock.builder().add("switch (param) {\n$>");
        for (int i = 0; i < model.params().size(); i++) {
            ModelIr.ParamSpec p = model.params().get(i);
            if (p.shape().isScalar()) {
                body.add("case $L -> {\n$>$T.checkIndex(index, 1);\n$N = $L;\n$<}\n", i, OBJECTS, field.apply(p),
                        value);
            } else {
                body.add("case $L -> $N[index] = $L;\n", i, field.apply(p), value);
            }
        }
        body.add("default -> throw new $T($S + param);\n$<}\n", IndexOutOfBoundsException.class, "no param ");
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(TypeName.INT, "param").addParameter(TypeName.INT, "index")
                .addParameter(TypeName.DOUBLE, "value").addCode(body.build()).build();
    }

    // public List<String> stateNames() { return List.of("W.momentum_buffer"); }  state(), setState(), stepCount()
    static List<MethodSpec> stateMethods(List<OptimizerWriter.StateBuffer> buffers, Dtype dtype) {
        List<MethodSpec> methods = new ArrayList<>();
        CodeBlock names = CodeBlock.join(buffers.stream().map(b -> Comments.literal(b.name())).toList(), ", ");
        methods.add(MethodSpec.methodBuilder("stateNames").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(com.palantir.javapoet.ParameterizedTypeName.get(List.class, String.class))
                .addStatement("return $T.of($L)", List.class, names).build());
        List<CodeBlock> cases = new ArrayList<>();
        for (OptimizerWriter.StateBuffer b : buffers) {
            cases.add(b.shape().isScalar()
                    ? CodeBlock.of("{\n$>$T.checkIndex(index, 1);\nyield $N;\n$<}", OBJECTS, b.field())
                    : CodeBlock.of("$N[index]", b.field()));
        }
        methods.add(switchOver("state", "buffer", cases, "state buffer").addParameter(TypeName.INT, "index").build());
        String value = dtype == Dtype.F64 ? "value" : "(float) value";
        CodeBlock.Builder body = CodeBlock.builder().add("switch (buffer) {\n$>");
        for (int i = 0; i < buffers.size(); i++) {
            OptimizerWriter.StateBuffer b = buffers.get(i);
            if (b.shape().isScalar()) {
                body.add("case $L -> {\n$>$T.checkIndex(index, 1);\n$N = $L;\n$<}\n", i, OBJECTS, b.field(), value);
            } else {
                body.add("case $L -> $N[index] = $L;\n", i, b.field(), value);
            }
        }
        body.add("default -> throw new $T($S + buffer);\n$<}\n", IndexOutOfBoundsException.class, "no state buffer ");
        methods.add(MethodSpec.methodBuilder("setState").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(TypeName.INT, "buffer").addParameter(TypeName.INT, "index")
                .addParameter(TypeName.DOUBLE, "value").addCode(body.build()).build());
        methods.add(MethodSpec.methodBuilder("stepCount").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(TypeName.LONG).addStatement("return stepCount").build());
        methods.add(MethodSpec.methodBuilder("setStepCount").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(TypeName.LONG, "steps").addStatement("this.stepCount = steps").build());
        return methods;
    }
}
