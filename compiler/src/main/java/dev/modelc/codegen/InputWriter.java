package dev.modelc.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import dev.modelc.graph.ModelIr;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/** Writes how inputs arrive: the fields that refer to the caller's arrays, and the {@code bind} methods. */
final class InputWriter {
    private final ModelIr model;
    private final Variables variables;
    private final Dtype dtype;

    InputWriter(ModelIr model, Variables variables, Dtype dtype) {
        this.model = model;
        this.variables = variables;
        this.dtype = dtype;
    }

    private TypeName type(ModelIr.InputSpec input) {
        return ArrayTypeName.of(input.integer() ? TypeName.INT : dtype.type());
    }

    // private double[] x;  private int[] y;  private int rows;  private final int batchCapacity;
    List<FieldSpec> fields() {
        List<FieldSpec> fields = new ArrayList<>();
        for (ModelIr.InputSpec input : model.inputs()) {
            fields.add(FieldSpec.builder(type(input), variables.input(input.name()), Modifier.PRIVATE)
                    .addJavadoc("Input $L $L, bound by {@code bind}; not copied.\n",
                            Comments.code(input.name()), input.shape()).build());
        }
        fields.add(FieldSpec.builder(TypeName.INT, "rows", Modifier.PRIVATE)
                .addJavadoc("Rows of the current batch.\n").build());
        fields.add(FieldSpec.builder(TypeName.INT, "batchCapacity", Modifier.PRIVATE, Modifier.FINAL).build());
        return fields;
    }

    List<MethodSpec> methods() {
        List<MethodSpec> methods = new ArrayList<>();
        methods.add(MethodSpec.methodBuilder("batchCapacity").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(TypeName.INT).addStatement("return batchCapacity").build());
        methods.add(genericBind());
        if (!model.inputs().isEmpty()) {
            methods.add(typedBind());
        }
        return methods;
    }

    // public void bind(Object[] inputs, int rows) { bind((double[]) inputs[0], (int[]) inputs[1], rows); }
    private MethodSpec genericBind() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("bind").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addParameter(Object[].class, "inputs")
                .addParameter(TypeName.INT, "rows");
        int count = model.inputs().size();
        method.beginControlFlow("if (inputs.length != $L)", count)
                .addStatement("throw new $T($S + inputs.length)", IllegalArgumentException.class,
                        "expected " + count + " inputs, got ")
                .endControlFlow();
        if (count == 0) {
            return method.beginControlFlow("if (rows < 0 || rows > batchCapacity)")
                    .addStatement("throw new $T($S + rows)", IllegalArgumentException.class, "bad row count ")
                    .endControlFlow().addStatement("this.rows = rows").build();
        }
        List<String> casts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            casts.add("(" + type(model.inputs().get(i)) + ") inputs[" + i + "]");
        }
        return method.addStatement("bind($L, rows)", String.join(", ", casts)).build();
    }

    // public void bind(double[] x, int[] y, int rows) { ...checks...; this.x = x; this.y = y; this.rows = rows; }
    private MethodSpec typedBind() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("bind").addModifiers(Modifier.PUBLIC)
                .addJavadoc("Uses these arrays, row-major, for the next passes; they are read, not copied:\n$L,\n"
                        + "for {@code rows} rows, at most the batch capacity.\n",
                        new ClassDocs(model, dtype, model.sourceName()).inputs());
        for (ModelIr.InputSpec input : model.inputs()) {
            method.addParameter(ParameterSpec.builder(type(input), variables.input(input.name())).build());
        }
        method.addParameter(TypeName.INT, "rows");
        method.beginControlFlow("if (rows < 1 || rows > batchCapacity)")
                .addStatement("throw new $T($S + rows + $S + batchCapacity)", IllegalArgumentException.class,
                        "rows must be from 1 to the batch capacity; got ", " for capacity ")
                .endControlFlow();
        for (ModelIr.InputSpec input : model.inputs()) {
            String name = variables.input(input.name());
            long perRow = input.shape().sizeWithoutBatch();
            String needed = input.shape().hasBatch() ? "rows * " + perRow : Long.toString(perRow);
            method.beginControlFlow("if ($N.length < $L)", name, needed)
                    .addStatement("throw new $T($S + $N.length + $S + ($L))", IllegalArgumentException.class,
                            "input " + input.name() + " has ", name, " elements; needs ", needed)
                    .endControlFlow();
        }
        for (ModelIr.InputSpec input : model.inputs()) {
            method.addStatement("this.$N = $N", variables.input(input.name()), variables.input(input.name()));
        }
        return method.addStatement("this.rows = rows").build();
    }
}
