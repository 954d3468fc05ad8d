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
        List<String> metricNames = model.metrics().stream()
                .map(m -> variables.of(m.node())).toList();
        methods.add(indexed("metric", "index", metricNames, n -> CodeBlock.of("$N", n), "metric").build());
        List<String> params = model.params().stream().map(p -> variables.param(p.name())).toList();
        methods.add(scalarAccessor("param", params));
        methods.add(setParam(params, dtype));
        List<String> gradients = model.params().stream().map(p -> variables.gradient(p.name())).toList();
        methods.add(scalarAccessor("gradient", gradients));
        return methods;
    }

    // public double param(int param, int index) { Objects.checkIndex(index, 1); return switch (param) {...}; }
    private static MethodSpec scalarAccessor(String name, List<String> fields) {
        MethodSpec.Builder method = indexed(name, "param", fields, f -> CodeBlock.of("$N", f), "param");
        return method.addParameter(TypeName.INT, "index").build();
    }

    private static MethodSpec.Builder indexed(String name, String selector, List<String> values,
                                              Function<String, CodeBlock> expression, String what) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(name).addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(TypeName.DOUBLE).addParameter(TypeName.INT, selector);
        CodeBlock.Builder body = CodeBlock.builder();
        if (selector.equals("param")) {
            body.addStatement("$T.checkIndex(index, 1)", OBJECTS);
        }
        if (values.isEmpty()) {
            body.addStatement("throw new $T($S + $N)", IndexOutOfBoundsException.class, "no " + what + " ", selector);
            return method.addCode(body.build());
        }
        body.add("return switch ($N) {\n$>", selector);
        for (int i = 0; i < values.size(); i++) {
            body.add("case $L -> $L;\n", i, expression.apply(values.get(i)));
        }
        body.add("default -> throw new $T($S + $N);\n$<};\n", IndexOutOfBoundsException.class, "no " + what + " ", selector);
        return method.addCode(body.build());
    }

    // public void setParam(int param, int index, double value) { ... case 0 -> x = value; ... }
    private static MethodSpec setParam(List<String> fields, Dtype dtype) {
        CodeBlock.Builder body = CodeBlock.builder()
                .addStatement("$T.checkIndex(index, 1)", OBJECTS)
                .add("switch (param) {\n$>");
        for (int i = 0; i < fields.size(); i++) {
            body.add("case $L -> $N = $L;\n", i, fields.get(i), dtype == Dtype.F64 ? "value" : "(float) value");
        }
        body.add("default -> throw new $T($S + param);\n$<}\n", IndexOutOfBoundsException.class, "no param ");
        return MethodSpec.methodBuilder("setParam").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(TypeName.INT, "param").addParameter(TypeName.INT, "index")
                .addParameter(TypeName.DOUBLE, "value").addCode(body.build()).build();
    }
}
