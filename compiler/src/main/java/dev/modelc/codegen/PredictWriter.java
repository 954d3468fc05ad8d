package dev.modelc.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.modelc.graph.Graphs;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.Shape;
import dev.modelc.plan.BatchCapacity;
import dev.modelc.plan.Buffers;
import dev.modelc.plan.Plan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Writes prediction: the model's typed {@code predict} over the inputs the outputs read and the
 * generic one of {@code TrainableModel}, both running the lines the outputs need (the forward
 * pass's first ones) and no others; and {@code Predictor}, which predicts from a snapshot of the
 * parameters on many threads at once, each thread with a model of its own that holds the
 * predictor's parameters and the arrays of those lines, and nothing for training.
 */
final class PredictWriter {
    static final ClassName PREDICTOR = ClassName.get("dev.modelc.runtime", "Predictor");
    /** Rows a predictor computes in one pass at least, when the model's batch capacity is smaller. */
    static final int PREDICTOR_ROWS = 256;

    private final Plan plan;
    private final ModelIr model;
    private final Variables variables;
    private final Dtype dtype;
    private final List<ModelIr.InputSpec> inputs;
    private final List<Lines.Line> lines;
    private final ClassName predictor;

    PredictWriter(Plan plan, Variables variables, Dtype dtype, List<Lines.Line> allLines, String predictorClass) {
        this.plan = plan;
        this.model = plan.model();
        this.variables = variables;
        this.dtype = dtype;
        this.inputs = predictInputs(model);
        this.lines = predictionLines(plan, allLines);
        this.predictor = ClassName.get("", predictorClass);
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

    /** The lines {@code predict} runs: those of the outputs and the values they read, which come first. */
    static List<Lines.Line> predictionLines(Plan plan, List<Lines.Line> lines) {
        Set<Node> predicted = new HashSet<>(Graphs.topologicalOrder(plan.model().outputs().stream()
                .map(ModelIr.NamedValue::node).toList()));
        List<Lines.Line> run = new ArrayList<>();
        for (Lines.Line line : lines) {
            if (line.origin() == null || !predicted.contains(line.origin().node())) {
                break;
            }
            run.add(line);
        }
        return run;
    }

    /** The positions of the forward pass {@code predict} runs: from 0 to this. */
    private int end() {
        return plan.predictionEnd();
    }

    /** Whether the statements {@code predict} runs write to {@code buffer}. */
    boolean predictionWrites(Buffers.Buffer buffer) {
        return buffer.values().stream().anyMatch(v -> v.position() < end());
    }

    boolean hasOutputs() {
        return !model.outputs().isEmpty();
    }

    /** Whether an input or output has the batch dimension; otherwise {@code rows} changes nothing. */
    boolean readsRows() {
        return inputs.stream().anyMatch(i -> i.shape().hasBatch())
                || model.outputs().stream().anyMatch(o -> o.node().shape().hasBatch());
    }

    private TypeName inputType(ModelIr.InputSpec input) {
        return ArrayTypeName.of(input.integer() ? TypeName.INT : dtype.type());
    }

    private TypeName outputType(ModelIr.NamedValue output) {
        return ArrayTypeName.of(isInteger(output.node()) ? TypeName.INT : dtype.type());
    }

    /** The field holding an output when the forward pass is done. */
    private String outputField(ModelIr.NamedValue output) {
        return variables.target(plan.forward().stream()
                .filter(a -> a.role() == Plan.Role.VALUE && a.label().equals(output.name())).findFirst().orElseThrow());
    }

    /** The fields of the inputs' rows for one part of a larger prediction: a predictor's models only. */
    List<FieldSpec> fields() {
        List<FieldSpec> fields = new ArrayList<>();
        for (ModelIr.InputSpec input : inputs) {
            if (input.shape().hasBatch()) {
                fields.add(FieldSpec.builder(inputType(input), variables.part(input.name()), Modifier.PRIVATE,
                                Modifier.FINAL)
                        .addJavadoc("Rows of input $L for one part of a larger prediction; null but in a predictor's "
                                + "models.\n", Comments.code(input.name()).replace("$", "$$")).build());
            }
        }
        return fields;
    }

    /** In the training constructor: no arrays for parts. */
    CodeBlock noParts() {
        CodeBlock.Builder code = CodeBlock.builder();
        fields().forEach(f -> code.addStatement("$N = null", f.name()));
        return code.build();
    }

    /** The model's prediction methods. */
    List<MethodSpec> methods() {
        return List.of(genericPredict(), typedPredict(), predictRows(), predictor(), predictorWithRows());
    }

    // public void predict(Object[] inputs, int rows, Object[] outputs) { predict((double[]) inputs[0], ...); }
    MethodSpec genericPredict() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("predict").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).addParameter(Object[].class, "inputs")
                .addParameter(TypeName.INT, "rows").addParameter(Object[].class, "outputs");
        String names = "predict takes " + count(inputs.size(), "input") + " ("
                + String.join(", ", inputs.stream().map(ModelIr.InputSpec::name).toList()) + ") and "
                + count(model.outputs().size(), "output") + " ("
                + String.join(", ", model.outputs().stream().map(ModelIr.NamedValue::name).toList()) + "), got ";
        method.beginControlFlow("if (inputs.length != $L || outputs.length != $L)", inputs.size(),
                        model.outputs().size())
                .addStatement("throw new $T($L + inputs.length + $S + outputs.length)", IllegalArgumentException.class,
                        Comments.literal(names), " and ")
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

    // public void predict(double[] x, int rows, double[] probs) { ...checks...; predictRows(x, 0, rows, probs); }
    private MethodSpec typedPredict() {
        MethodSpec.Builder method = typedParameters(MethodSpec.methodBuilder("predict").addModifiers(Modifier.PUBLIC)
                .addJavadoc(typedJavadoc()));
        if (readsRows()) {
            method.beginControlFlow("if (rows < 0 || rows > batchCapacity)")
                    .addStatement("throw new $T($S + batchCapacity + $S + rows + $S)", IllegalArgumentException.class,
                            "rows must be from 0 to the batch capacity, ", "; got ",
                            "; predict more in parts, or with predictor(), which takes any number")
                    .endControlFlow();
        }
        return method.addCode(lengthChecks()).addStatement("predictRows($L)", typedArguments("0, rows")).build();
    }

    private String typedJavadoc() {
        StringBuilder doc = new StringBuilder("Computes the outputs for {@code rows} rows, at most the batch capacity, "
                + "from the\ncurrent parameters, into the arrays given, row-major:\n<ul>\n");
        for (ModelIr.NamedValue output : model.outputs()) {
            doc.append("<li>").append(Comments.code(output.name())).append(' ').append(output.node().shape())
                    .append(", line ").append(output.span().line()).append(": ")
                    .append(Comments.code(output.sourceLine())).append("</li>\n");
        }
        doc.append("</ul>\nThe inputs are read, never kept. Only the lines the outputs need run: no loss, nothing "
                + "for the\nbackward pass. Like every method of a model, single-threaded; it replaces the values of "
                + "the last\nforward pass and keeps the bound inputs.\n");
        return doc.toString().replace("$", "$$");
    }

    /** Refuses arrays too short for {@code rows} rows, with the array's name and the length it needs. */
    CodeBlock lengthChecks() {
        CodeBlock.Builder code = CodeBlock.builder();
        if (!readsRows()) {
            code.beginControlFlow("if (rows < 0)")
                    .addStatement("throw new $T($S + rows)", IllegalArgumentException.class,
                            "rows must not be negative; got ")
                    .endControlFlow();
        }
        for (ModelIr.InputSpec input : inputs) {
            code.add(lengthCheck("input " + input.name(), variables.input(input.name()), input.shape()));
        }
        for (ModelIr.NamedValue output : model.outputs()) {
            code.add(lengthCheck("output " + output.name(), outputField(output), output.node().shape()));
        }
        return code.build();
    }

    private static CodeBlock lengthCheck(String what, String array, Shape shape) {
        long perRow = shape.sizeWithoutBatch();
        String needed = shape.hasBatch() ? (perRow == 1 ? "rows" : "rows * " + perRow) : Long.toString(perRow);
        return CodeBlock.builder().beginControlFlow("if ($N.length < $L)", array, needed)
                .addStatement("throw new $T($L + $N.length + $S + ($L))", IllegalArgumentException.class,
                        Comments.literal(what + " has "), array, " elements; needs ", needed)
                .endControlFlow().build();
    }

    // private void predictRows(double[] x, int from, int count, double[] probs) {
    //   this.x = from == 0 ? x : part; this.rows = count; h(); logits(); probs(); System.arraycopy(...); }
    private MethodSpec predictRows() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("predictRows").addModifiers(Modifier.PRIVATE)
                .addJavadoc("Predicts rows {@code from} to {@code from + count} of the inputs into the same rows of\n"
                        + "the outputs. A part after the first is copied into the arrays for parts, which only a\n"
                        + "predictor's models have.\n");
        for (ModelIr.InputSpec input : inputs) {
            method.addParameter(inputType(input), variables.input(input.name()));
        }
        method.addParameter(TypeName.INT, "from").addParameter(TypeName.INT, "count");
        for (ModelIr.NamedValue output : model.outputs()) {
            method.addParameter(outputType(output), outputField(output));
        }
        for (ModelIr.InputSpec input : inputs) {
            method.addStatement("$T $N = this.$N", inputType(input), variables.boundInput(input.name()),
                    variables.input(input.name()));
        }
        method.addStatement("int boundRows = this.rows");
        for (ModelIr.InputSpec input : inputs) {
            method.addCode(bindRows(input));
        }
        method.addStatement("this.rows = count");
        method.addCode(new DropoutWriter(model).none());
        for (Lines.Line line : lines) {
            method.addStatement("$N()", variables.method(line));
        }
        for (ModelIr.NamedValue output : model.outputs()) {
            method.addCode(copyOut(output));
        }
        for (ModelIr.InputSpec input : inputs) {
            method.addStatement("this.$N = $N", variables.input(input.name()), variables.boundInput(input.name()));
        }
        return method.addStatement("this.rows = boundRows").build();
    }

    // this.x = x;   or   if (from == 0) { this.x = x; } else { System.arraycopy(x, from * 64, part_x, ...); ... }
    private CodeBlock bindRows(ModelIr.InputSpec input) {
        String name = variables.input(input.name());
        if (!input.shape().hasBatch()) {
            return CodeBlock.of("this.$N = $N;\n", name, name);
        }
        long perRow = input.shape().sizeWithoutBatch();
        String part = variables.part(input.name());
        return CodeBlock.builder().beginControlFlow("if (from == 0)")
                .addStatement("this.$N = $N", name, name)
                .nextControlFlow("else")
                .addStatement("$T.arraycopy($N, $L, $N, 0, $L)", System.class, name, rowsTimes("from", perRow), part,
                        rowsTimes("count", perRow))
                .addStatement("this.$N = $N", name, part)
                .endControlFlow().build();
    }

    private static String rowsTimes(String rows, long perRow) {
        return perRow == 1 ? rows : rows + " * " + perRow;
    }

    // System.arraycopy(this.probs, 0, probs, from * 10, count * 10);   or   J2[0] = this.J2;
    private CodeBlock copyOut(ModelIr.NamedValue output) {
        String name = outputField(output);
        Shape shape = output.node().shape();
        boolean cast = isInteger(output.node()) && !output.node().isIntegerInput();
        long perRow = shape.sizeWithoutBatch();
        if (shape.isScalar()) {
            return CodeBlock.of("$N[0] = $L$N.$N;\n", name, cast ? "(int) " : "", "this", name);
        }
        String at = shape.hasBatch() ? rowsTimes("from", perRow) : "0";
        String size = shape.hasBatch() ? rowsTimes("count", perRow) : Long.toString(perRow);
        if (cast) {
            return CodeBlock.builder().beginControlFlow("for (int i = 0; i < $L; i++)", size)
                    .addStatement("$N[$L + i] = (int) this.$N[i]", name, at, name).endControlFlow().build();
        }
        return CodeBlock.of("$T.arraycopy(this.$N, 0, $N, $L, $L);\n", System.class, name, name, at, size);
    }

    // public Predictor predictor() { return predictor(Math.max(batchCapacity, 256)); }
    private MethodSpec predictor() {
        int most = BatchCapacity.maxRows(plan);
        CodeBlock rows = most >= PREDICTOR_ROWS ? CodeBlock.of("Math.max(batchCapacity, $L)", PREDICTOR_ROWS)
                : CodeBlock.of("batchCapacity");
        return MethodSpec.methodBuilder("predictor").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(predictor)
                .addJavadoc("A predictor with a snapshot of the current parameters, for any number of threads; each "
                        + "predicts\n$L rows at a time.\n", most >= PREDICTOR_ROWS
                        ? "the batch capacity's or " + PREDICTOR_ROWS + ", whichever is more," : "the batch capacity's")
                .addStatement("return predictor($L)", rows).build();
    }

    // public Predictor predictor(int rowsPerPass) { ...check...; return new Predictor(this, rowsPerPass); }
    private MethodSpec predictorWithRows() {
        int most = BatchCapacity.maxRows(plan);
        return MethodSpec.methodBuilder("predictor").addModifiers(Modifier.PUBLIC).returns(predictor)
                .addJavadoc("A predictor with a snapshot of the current parameters, for any number of threads; each "
                        + "thread\npredicts {@code rowsPerPass} rows at a time, with arrays of its own for that many "
                        + "rows.\n")
                .addParameter(TypeName.INT, "rowsPerPass")
                .beginControlFlow("if (rowsPerPass < 1 || rowsPerPass > $L)", most)
                .addStatement("throw new $T($S + rowsPerPass)", IllegalArgumentException.class,
                        "rows per pass must be from 1 to " + most + ", got ")
                .endControlFlow()
                .addStatement("return new $T(this, rowsPerPass)", predictor).build();
    }

    /** The parameters of a typed {@code predict}: the inputs the outputs read, rows, the outputs. */
    MethodSpec.Builder typedParameters(MethodSpec.Builder method) {
        for (ModelIr.InputSpec input : inputs) {
            method.addParameter(inputType(input), variables.input(input.name()));
        }
        method.addParameter(TypeName.INT, "rows");
        for (ModelIr.NamedValue output : model.outputs()) {
            method.addParameter(outputType(output), outputField(output));
        }
        return method;
    }

    /** The names of the typed parameters, in order, to pass them on; {@code rows} in the place of rows. */
    String typedArguments(String rows) {
        List<String> arguments = new ArrayList<>();
        inputs.forEach(i -> arguments.add(variables.input(i.name())));
        arguments.add(rows);
        model.outputs().forEach(o -> arguments.add(outputField(o)));
        return String.join(", ", arguments);
    }
}
