package dev.modelc.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Shape;
import dev.modelc.plan.Plan;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Access by name beyond the index accessors: constants for the positions of params, metrics and
 * outputs ({@code DigitsMlp.Params.W1}), so that code need not write 0; and {@code value(name)},
 * a copy of any named value as the last forward pass left it.
 */
final class NamedAccess {
    private final Plan plan;
    private final ModelIr model;
    private final Variables variables;
    private final Dtype dtype;
    private final String sourceName;

    NamedAccess(Plan plan, Variables variables, Dtype dtype, String sourceName) {
        this.plan = plan;
        this.model = plan.model();
        this.variables = variables;
        this.dtype = dtype;
        this.sourceName = sourceName;
    }

    // public static final class Params { /** W1 [64, 128], line 7 */ public static final int W1 = 0; ... }
    List<TypeSpec> indexTypes() {
        List<TypeSpec> types = new ArrayList<>();
        List<String[]> params = new ArrayList<>();
        for (ModelIr.ParamSpec p : model.params()) {
            params.add(new String[] {variables.param(p.name()), p.name(), p.shape().toString(), line(p.span().line())});
        }
        types.add(holder("Params", "params", "{@code param(int, int)}, {@code setParam}, {@code gradient} and "
                + "{@code setGradient}", params));
        types.add(holder("Metrics", "metrics", "{@code metric(int)}", values(model.metrics())));
        types.add(holder("Outputs", "outputs", "the outputs of {@code predict(Object[], int, Object[])}",
                values(model.outputs())));
        types.removeIf(t -> t.fieldSpecs().isEmpty());
        return types;
    }

    private List<String[]> values(List<ModelIr.NamedValue> values) {
        List<String[]> rows = new ArrayList<>();
        for (ModelIr.NamedValue v : values) {
            rows.add(new String[] {variables.value(v.name()), v.name(), v.node().shape().toString(),
                    line(v.span().line())});
        }
        return rows;
    }

    private String line(int line) {
        return Comments.doc(sourceName) + ":" + line;
    }

    private static TypeSpec holder(String name, String what, String usedBy, List<String[]> rows) {
        TypeSpec.Builder type = TypeSpec.classBuilder(name)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The positions of the $L in {@code SIGNATURE}, for $L.\n", what, usedBy)
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            type.addField(FieldSpec.builder(TypeName.INT, row[0], Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("$L $L, $L.\n", Comments.code(row[1]), row[2], row[3]).initializer("$L", i).build());
        }
        return type.build();
    }

    // public double[] value(String name) { return switch (name) { case "h" -> copy(h, rows * 128); ... }; }
    MethodSpec value() {
        CodeBlock.Builder body = CodeBlock.builder().add("return switch (name) {\n$>");
        StringBuilder doc = new StringBuilder("A copy of the named value {@code name} as the last forward pass "
                + "left it, row-major,\nfor the rows of that pass; read it before {@code backward()}, which may "
                + "reuse its array:\n<ul>\n");
        for (Plan.Assignment a : plan.forward()) {
            if (a.role() != Plan.Role.VALUE) {
                continue;
            }
            ModelIr.NamedValue v = a.origin();
            Shape shape = v.node().shape();
            doc.append("<li>").append(Comments.code(v.name())).append(' ').append(shape).append(", line ")
                    .append(v.span().line()).append("</li>\n");
            body.add("case $L -> $L;\n", Comments.literal(v.name()), read(a, shape));
        }
        body.add("default -> throw new $T($L + name + $S);\n$<};\n", IllegalArgumentException.class,
                Comments.literal("model " + model.name() + " has no named value `"), "`");
        doc.append("</ul>\n");
        return MethodSpec.methodBuilder("value").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(double[].class).addParameter(String.class, "name")
                .addJavadoc(doc.toString().replace("$", "$$")).addCode(body.build()).build();
    }

    private CodeBlock read(Plan.Assignment a, Shape shape) {
        if (plan.recomputed().contains(a.node())) {
            return CodeBlock.of("throw new $T($L)", IllegalStateException.class, Comments.literal(a.label()
                    + " is not kept after the forward pass: the backward pass computes it again (recompute)"));
        }
        if (shape.isScalar()) {
            return CodeBlock.of("new double[] {$N}", variables.target(a));
        }
        return CodeBlock.of("copy($N, $L)", variables.target(a), Indexing.size(shape));
    }

    // private static double[] copy(double[] values, int count) { return Arrays.copyOf(values, count); }
    MethodSpec copy() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("copy").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(double[].class).addParameter(ArrayTypeName.of(dtype.type()), "values")
                .addParameter(TypeName.INT, "count")
                .addJavadoc("The first {@code count} values, as doubles.\n");
        if (dtype == Dtype.F64) {
            return method.addStatement("return $T.copyOf(values, count)", java.util.Arrays.class).build();
        }
        return method.addStatement("double[] copy = new double[count]")
                .beginControlFlow("for (int i = 0; i < count; i++)")
                .addStatement("copy[i] = values[i]").endControlFlow()
                .addStatement("return copy").build();
    }
}
