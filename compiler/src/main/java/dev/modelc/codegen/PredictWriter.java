package dev.modelc.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.modelc.graph.Graphs;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Shape;
import dev.modelc.plan.Plan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Writes prediction: the typed {@code predict} over the inputs the outputs read, the generic one
 * of {@code TrainableModel}, the statements they run (the forward pass's first ones, those the
 * outputs need, without the loss), and the thread-safe {@code Predictor}.
 */
final class PredictWriter {
    static final ClassName PREDICTOR = ClassName.get("dev.modelc.runtime", "Predictor");

    private final Plan plan;
    private final ModelIr model;
    private final Variables variables;
    private final Dtype dtype;
    private final List<ModelIr.InputSpec> inputs;

    PredictWriter(Plan plan, Variables variables, Dtype dtype) {
        this.plan = plan;
        this.model = plan.model();
        this.variables = variables;
        this.dtype = dtype;
        this.inputs = predictInputs(model);
    }

    /** The inputs any output reads, in declaration order. */
    static List<ModelIr.InputSpec> predictInputs(ModelIr model) {
        Set<Node> read = new HashSet<>(Graphs.topologicalOrder(model.outputs().stream()
                .map(ModelIr.NamedValue::node).toList()));
        return model.inputs().stream().filter(i -> read.contains(i.node())).toList();
    }

    /** The inputs one output reads, in declaration order. */
    static List<ModelIr.InputSpec> inputsOf(ModelIr model, Node output) {
        Set<Node> read = new HashSet<>(Graphs.topologicalOrder(List.of(output)));
        return model.inputs().stream().filter(i -> read.contains(i.node())).toList();
    }

    /** Whether an output's elements are integers: an {@code argmax}, or integer labels as they are. */
    static boolean isInteger(Node node) {
        return node.op() == Op.ARGMAX || node.isIntegerInput();
    }

    /** The planned forward assignments {@code predict} runs: those of the outputs and the values they read. */
    static List<Plan.Assignment> statements(Plan plan) {
        Set<Node> predicted = new HashSet<>(Graphs.topologicalOrder(plan.model().outputs().stream()
                .map(ModelIr.NamedValue::node).toList()));
        List<Plan.Assignment> statements = new ArrayList<>();
        for (Plan.Assignment a : plan.forward()) {
            if (a.origin() == null || !predicted.contains(a.origin().node())) {
                break;
            }
            statements.add(a);
        }
        return statements;
    }

    /** Whether an input or output has the batch dimension; otherwise {@code rows} changes nothing. */
    private boolean readsRows() {
        return inputs.stream().anyMatch(i -> i.shape().hasBatch())
                || model.outputs().stream().anyMatch(o -> o.node().shape().hasBatch());
    }

    boolean hasOutputs() {
        return !model.outputs().isEmpty();
    }

    private TypeName inputType(ModelIr.InputSpec input) {
        return ArrayTypeName.of(input.integer() ? TypeName.INT : dtype.type());
    }

    private TypeName outputType(ModelIr.NamedValue output) {
        return ArrayTypeName.of(isInteger(output.node()) ? TypeName.INT : dtype.type());
    }

    List<MethodSpec> methods(String predictorClass) {
        return List.of(genericPredict(), typedPredict(), pass(), predictor(predictorClass));
    }

    // public void predict(Object[] inputs, int rows, Object[] outputs) { predict((double[]) inputs[0], ...); }
    private MethodSpec genericPredict() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("predict").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).addParameter(Object[].class, "inputs")
                .addParameter(TypeName.INT, "rows").addParameter(Object[].class, "outputs");
        method.beginControlFlow("if (inputs.length != $L || outputs.length != $L)", inputs.size(),
                        model.outputs().size())
                .addStatement("throw new $T($L + inputs.length + $S + outputs.length)", IllegalArgumentException.class,
                        Comments.literal("predict takes " + count(inputs.size(), "input") + " ("
                                + String.join(", ", inputs.stream().map(ModelIr.InputSpec::name).toList())
                                + ") and " + count(model.outputs().size(), "output") + " ("
                                + String.join(", ", model.outputs().stream().map(ModelIr.NamedValue::name).toList())
                                + "), got "), " and ")
                .endControlFlow();
        List<CodeBlock> arguments = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            arguments.add(CodeBlock.of("($T) inputs[$L]", inputType(inputs.get(i)), i));
        }
        arguments.add(CodeBlock.of("rows"));
        for (int i = 0; i < model.outputs().size(); i++) {
            arguments.add(CodeBlock.of("($T) outputs[$L]", outputType(model.outputs().get(i)), i));
        }
        return method.addStatement("predict($L)", CodeBlock.join(arguments, ", ")).build();
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    // public void predict(double[] x, int rows, double[] probs) { ...checks...; this.x = x; ...; predictPass(); copy }
    private MethodSpec typedPredict() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("predict").addModifiers(Modifier.PUBLIC)
                .addJavadoc(typedJavadoc());
        for (ModelIr.InputSpec input : inputs) {
            method.addParameter(inputType(input), variables.input(input.name()));
        }
        method.addParameter(TypeName.INT, "rows");
        for (ModelIr.NamedValue output : model.outputs()) {
            method.addParameter(outputType(output), variables.target(valueAssignment(output)));
        }
        if (readsRows()) {
            method.beginControlFlow("if (rows < 0 || rows > batchCapacity)")
                    .addStatement("throw new $T($S + batchCapacity + $S + rows + $S + batchCapacity)",
                            IllegalArgumentException.class, "rows must be from 0 to the batch capacity, ", "; got ",
                            "; predict more rows in parts of at most ")
                    .endControlFlow();
        } else {
            method.beginControlFlow("if (rows < 0)")
                    .addStatement("throw new $T($S + rows)", IllegalArgumentException.class,
                            "rows must not be negative; got ")
                    .endControlFlow();
        }
        for (ModelIr.InputSpec input : inputs) {
            method.addCode(lengthCheck("input " + input.name(), variables.input(input.name()), input.shape()));
        }
        for (ModelIr.NamedValue output : model.outputs()) {
            method.addCode(lengthCheck("output " + output.name(), variables.target(valueAssignment(output)),
                    output.node().shape()));
        }
        for (ModelIr.InputSpec input : inputs) {
            String name = variables.input(input.name());
            method.addStatement("$T $N = this.$N", inputType(input), variables.boundInput(input.name()), name);
        }
        method.addStatement("int boundRows = this.rows");
        for (ModelIr.InputSpec input : inputs) {
            method.addStatement("this.$N = $N", variables.input(input.name()), variables.input(input.name()));
        }
        method.addStatement("this.rows = rows");
        method.addStatement("predictPass()");
        for (ModelIr.NamedValue output : model.outputs()) {
            method.addCode(copyOut(output));
        }
        for (ModelIr.InputSpec input : inputs) {
            method.addStatement("this.$N = $N", variables.input(input.name()), variables.boundInput(input.name()));
        }
        return method.addStatement("this.rows = boundRows").build();
    }

    private String typedJavadoc() {
        StringBuilder doc = new StringBuilder("Computes the outputs for {@code rows} rows (at most the batch capacity),"
                + " with the\ncurrent parameters, into the arrays given, row-major:\n<ul>\n");
        for (ModelIr.NamedValue output : model.outputs()) {
            doc.append("<li>").append(Comments.code(output.name())).append(' ').append(output.node().shape())
                    .append(": ").append(Comments.code(output.sourceLine())).append("</li>\n");
        }
        doc.append("</ul>\nThe inputs are read, not kept; the values of the last forward pass are replaced.\n");
        return doc.toString().replace("$", "$$");
    }

    /** The forward assignment of a named value: its variable. */
    private Plan.Assignment valueAssignment(ModelIr.NamedValue value) {
        return plan.forward().stream().filter(a -> a.role() == Plan.Role.VALUE && a.label().equals(value.name()))
                .findFirst().orElseThrow();
    }

    private static CodeBlock lengthCheck(String what, String array, Shape shape) {
        long perRow = shape.sizeWithoutBatch();
        String needed = shape.hasBatch() ? "rows * " + perRow : Long.toString(perRow);
        return CodeBlock.builder().beginControlFlow("if ($N.length < $L)", array, needed)
                .addStatement("throw new $T($L + $N.length + $S + ($L))", IllegalArgumentException.class,
                        Comments.literal(what + " has "), array, " elements; needs ", needed)
                .endControlFlow().build();
    }

    // System.arraycopy(this.probs, 0, probs, 0, rows * 10);   or   J2[0] = this.J2;
    private CodeBlock copyOut(ModelIr.NamedValue output) {
        String name = variables.target(valueAssignment(output));
        Shape shape = output.node().shape();
        boolean integer = isInteger(output.node()) && !output.node().isIntegerInput();
        if (shape.isScalar()) {
            return CodeBlock.of("$N[0] = $L$N.$N;\n", name, integer ? "(int) " : "", "this", name);
        }
        if (integer) {
            return CodeBlock.builder().beginControlFlow("for (int i = 0; i < $L; i++)", Indexing.size(shape))
                    .addStatement("$N[i] = (int) this.$N[i]", name, name).endControlFlow().build();
        }
        return CodeBlock.of("$T.arraycopy(this.$N, 0, $N, 0, $L);\n", System.class, name, name, Indexing.size(shape));
    }

    // private void predictPass() { ...the forward statements the outputs need... }
    private MethodSpec pass() {
        Variables own = new Variables(plan);
        StatementWriter writer = new StatementWriter(plan, own, dtype, model.sourceName());
        MethodSpec.Builder method = MethodSpec.methodBuilder("predictPass").addModifiers(Modifier.PRIVATE)
                .addJavadoc("The forward statements the outputs need, and no others.\n");
        for (Plan.Assignment a : statements(plan)) {
            method.addCode(writer.assignment(a));
        }
        return method.build();
    }

    // public Predictor predictor() { return new Predictor(this); }
    private MethodSpec predictor(String predictorClass) {
        return MethodSpec.methodBuilder("predictor").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(ClassName.get("", predictorClass))
                .addStatement("return new $N(this)", predictorClass).build();
    }

    // public static final class Predictor implements dev.modelc.runtime.Predictor { ... }
    TypeSpec predictorType(String predictorClass, ClassName modelClass) {
        CodeBlock.Builder copyParams = CodeBlock.builder();
        for (ModelIr.ParamSpec p : model.params()) {
            String name = variables.param(p.name());
            if (p.shape().isScalar()) {
                copyParams.addStatement("model.$N = source.$N", name, name);
            } else {
                copyParams.addStatement("$T.arraycopy(source.$N, 0, model.$N, 0, $L)", System.class, name, name,
                        p.shape().sizeWithoutBatch());
            }
        }
        TypeSpec.Builder type = TypeSpec.classBuilder(predictorClass)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(PREDICTOR)
                .addJavadoc("Predicts with a snapshot of a model's parameters, taken when it is made; safe to call\n"
                        + "from many threads, which take turns.\n")
                .addField(FieldSpec.builder(modelClass, "model", Modifier.PRIVATE, Modifier.FINAL).build());
        type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
                .addParameter(modelClass, "source")
                .addStatement("model = new $T(0L, source.batchCapacity)", modelClass)
                .addCode(copyParams.build())
                .build());
        type.addMethod(MethodSpec.methodBuilder("signature").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(ModelClassGenerator.MODEL_SIGNATURE)
                .addStatement("return SIGNATURE").build());
        type.addMethod(MethodSpec.methodBuilder("predict").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC, Modifier.SYNCHRONIZED).addParameter(Object[].class, "inputs")
                .addParameter(TypeName.INT, "rows").addParameter(Object[].class, "outputs")
                .addStatement("model.predict(inputs, rows, outputs)").build());
        MethodSpec.Builder typed = MethodSpec.methodBuilder("predict")
                .addModifiers(Modifier.PUBLIC, Modifier.SYNCHRONIZED)
                .addJavadoc("As the model's {@code predict}, with the snapshot's parameters.\n");
        List<String> arguments = new ArrayList<>();
        for (ModelIr.InputSpec input : inputs) {
            typed.addParameter(inputType(input), variables.input(input.name()));
            arguments.add(variables.input(input.name()));
        }
        typed.addParameter(TypeName.INT, "rows");
        arguments.add("rows");
        for (ModelIr.NamedValue output : model.outputs()) {
            String name = variables.target(valueAssignment(output));
            typed.addParameter(outputType(output), name);
            arguments.add(name);
        }
        type.addMethod(typed.addStatement("model.predict($L)", String.join(", ", arguments)).build());
        return type.build();
    }
}
