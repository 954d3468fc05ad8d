package dev.modelc.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.modelc.graph.DataSpec;
import dev.modelc.graph.Graphs;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Op;
import dev.modelc.graph.ScheduleSpec;
import dev.modelc.graph.Shape;
import dev.modelc.graph.TrainSpec;
import dev.modelc.runtime.ModelSignature;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/** Writes the {@code SIGNATURE} constant: names, shapes, loss, metrics, outputs, train settings. */
final class SignatureWriter {
    private static final ClassName LIST = ClassName.get(List.class);
    private static final ClassName SIGNATURE = ModelClassGenerator.MODEL_SIGNATURE;

    private SignatureWriter() {
    }

    // public static final ModelSignature SIGNATURE = new ModelSignature("Quadratic", ...);
    static FieldSpec field(ModelIr model, Dtype dtype, String sourceName) {
        CodeBlock.Builder params = CodeBlock.builder();
        for (int i = 0; i < model.params().size(); i++) {
            ModelIr.ParamSpec p = model.params().get(i);
            params.add(i == 0 ? "" : ",\n").add("new $T($L, $L)", SIGNATURE.nestedClass("Param"),
                    Comments.literal(p.name()), dims(p.shape()));
        }
        Map<String, Integer> classes = labelClasses(model);
        CodeBlock.Builder inputs = CodeBlock.builder();
        for (int i = 0; i < model.inputs().size(); i++) {
            ModelIr.InputSpec in = model.inputs().get(i);
            inputs.add(i == 0 ? "" : ",\n").add("new $T($L, $L, $L, $L)", SIGNATURE.nestedClass("Input"),
                    Comments.literal(in.name()), dims(in.shape()), in.integer(), classes.getOrDefault(in.name(), 0));
        }
        CodeBlock metrics = CodeBlock.join(model.metrics().stream().map(m -> Comments.literal(m.name())).toList(),
                ", ");
        CodeBlock.Builder outputs = CodeBlock.builder();
        for (int i = 0; i < model.outputs().size(); i++) {
            ModelIr.NamedValue out = model.outputs().get(i);
            CodeBlock read = CodeBlock.join(PredictWriter.inputsOf(model, out.node()).stream()
                    .map(in -> Comments.literal(in.name())).toList(), ", ");
            outputs.add(i == 0 ? "" : ",\n").add("new $T($L, $L, $L, $T.of($L))", SIGNATURE.nestedClass("Output"),
                    Comments.literal(out.name()), dims(out.node().shape()), PredictWriter.isInteger(out.node()), LIST,
                    read);
        }
        ModelSignature.HeldOutStop heldOut = model.train().heldOutStop();
        CodeBlock stop = heldOut != null ? Comments.literal(heldOutText(heldOut))
                : model.stop().map(c -> Comments.literal(c.text())).orElse(CodeBlock.of("null"));
        CodeBlock init = CodeBlock.builder()
                .add("new $T(\n$>$>$L, $L, $S,\n", SIGNATURE, Comments.literal(model.name()),
                        Comments.literal(sourceName), dtype.label())
                .add("$T.of(\n$>$L),\n$<", LIST, params.build())
                .add("$T.of($L),\n", LIST, inputs.build())
                .add("$L, $T.of($L),\n", Comments.literal(model.loss().name()), LIST, metrics)
                .add("$T.of($L),\n", LIST, outputs.build())
                .add("$L,\n", stop)
                .add("$L)$<$<", defaults(model.train(), model))
                .build();
        return FieldSpec.builder(SIGNATURE, "SIGNATURE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("What this model declares: parameters, inputs, loss, metrics, outputs and train settings.\n")
                .initializer(init).build();
    }

    private static CodeBlock dims(Shape shape) {
        String dims = String.join(", ", shape.dims().stream()
                .map(d -> d == Shape.BATCH ? "ModelSignature.BATCH" : String.valueOf(d)).toList());
        return CodeBlock.of("$T.of($L)", LIST, dims);
    }

    // new ModelSignature.TrainDefaults("adam", Map.of("beta1", 0.9, ...), new ModelSignature.Schedule(...), 0.0, ...)
    private static CodeBlock defaults(TrainSpec t, ModelIr model) {
        CodeBlock data = t.data().map(d -> data(d, model)).orElse(CodeBlock.of("null"));
        return CodeBlock.builder()
                .add("new $T($S,\n$L,\n", SIGNATURE.nestedClass("TrainDefaults"), t.optimizer(),
                        map(t.hyperparameters()))
                .add("$L,\n", schedule(t.schedule()))
                .add("$L, $LL, $LL, $L, $L, $LL,\n$L", Double.toString(t.clipNorm()), t.maxSteps(), t.seed(),
                        t.batchSize(), t.shuffle(), t.epochs(), data)
                .add(t.heldOutStop() == null ? CodeBlock.of(")") : CodeBlock.of(",\nnew $T($L, $S, $L))",
                        SIGNATURE.nestedClass("HeldOutStop"), t.heldOutStop().metric() == null ? "null"
                                : Comments.literal(t.heldOutStop().metric()), t.heldOutStop().comparison(),
                        Double.toString(t.heldOutStop().threshold())))
                .build();
    }

    /** {@code test_accuracy > 0.98}, as the stop line shows it. */
    static String heldOutText(ModelSignature.HeldOutStop stop) {
        double t = stop.threshold();
        String number = t == Math.rint(t) && Math.abs(t) < 1e15 ? Long.toString((long) t) : Double.toString(t);
        return stop.name() + " " + stop.comparison() + " " + number;
    }

    private static CodeBlock schedule(ScheduleSpec s) {
        CodeBlock milestones = CodeBlock.join(s.milestones().stream().map(m -> CodeBlock.of("$LL", m)).toList(), ", ");
        return CodeBlock.of("new $T($S, $L, $T.of($L))", SIGNATURE.nestedClass("Schedule"), s.name(),
                map(s.parameters()), LIST, milestones);
    }

    /** {@code Map.of("beta1", 0.9, "lr", 0.001)}, in the map's (sorted) order. */
    private static CodeBlock map(Map<String, Double> values) {
        CodeBlock entries = CodeBlock.join(values.entrySet().stream()
                .map(e -> CodeBlock.of("$S, $L", e.getKey(), Double.toString(e.getValue()))).toList(), ", ");
        return CodeBlock.of("$T.of($L)", Map.class, entries);
    }

    private static CodeBlock data(DataSpec d, ModelIr model) {
        if (d.idx() != null) {
            ModelSignature.Idx f = d.idx();
            CodeBlock test = f.testFiles() ? CodeBlock.of(", $L, $L", Comments.literal(f.testImages()),
                    Comments.literal(f.testLabels())) : CodeBlock.of("");
            return CodeBlock.of("$T.idx(new $T($L, $L$L), $L, $L)", SIGNATURE.nestedClass("Data"),
                    SIGNATURE.nestedClass("Idx"), Comments.literal(f.images()), Comments.literal(f.labels()), test,
                    Double.toString(d.testFraction()), d.standardize());
        }
        if (d.mappings().isEmpty()) {
            return CodeBlock.of("new $T($L, $L, $L, $L, $L)", SIGNATURE.nestedClass("Data"),
                    Comments.literal(d.path()), d.labelColumn(), d.skipLines(), Double.toString(d.testFraction()),
                    d.standardize());
        }
        CodeBlock.Builder feeds = CodeBlock.builder();
        for (int i = 0; i < d.mappings().size(); i++) {
            DataSpec.Mapping m = d.mappings().get(i);
            CodeBlock ranges = CodeBlock.join(m.ranges().stream().map(SignatureWriter::range).toList(), ", ");
            feeds.add(i == 0 ? "" : ",\n").add("new $T($L, $T.of($L), $L)", SIGNATURE.nestedClass("Feed"),
                    Comments.literal(m.input()), LIST, ranges, standardized(model, m.input()));
        }
        return CodeBlock.of("new $T($L, $L, $L, $L, $L, $L, $T.of(\n$>$L))$<", SIGNATURE.nestedClass("Data"),
                Comments.literal(d.path()), d.labelColumn(), d.skipLines(), Double.toString(d.testFraction()),
                d.standardize(), d.header(), LIST, feeds.build());
    }

    /**
     * Whether {@code standardize = true} applies to an input: a real-valued one that an output
     * reads, or without outputs any real-valued input but the last (the target, as a label is).
     */
    private static boolean standardized(ModelIr model, String input) {
        List<ModelIr.InputSpec> inputs = model.inputs();
        ModelIr.InputSpec spec = inputs.stream().filter(i -> i.name().equals(input)).findFirst().orElseThrow();
        if (spec.integer()) {
            return false;
        }
        if (model.outputs().isEmpty()) {
            return !inputs.get(inputs.size() - 1).name().equals(input);
        }
        return model.outputs().stream().anyMatch(o -> PredictWriter.inputsOf(model, o.node()).stream()
                .anyMatch(i -> i.name().equals(input)));
    }

    private static CodeBlock range(ModelSignature.Range r) {
        return r.first().equals(r.last()) ? CodeBlock.of("$T.of($L)", SIGNATURE.nestedClass("Range"), column(r.first()))
                : CodeBlock.of("new $T($L, $L)", SIGNATURE.nestedClass("Range"), column(r.first()), column(r.last()));
    }

    private static CodeBlock column(ModelSignature.Column c) {
        ClassName type = SIGNATURE.nestedClass("Column");
        return c.isLast() ? CodeBlock.of("$T.LAST", type) : c.name() != null
                ? CodeBlock.of("$T.named($L)", type, Comments.literal(c.name())) : CodeBlock.of("$T.at($L)", type,
                c.index());
    }

    /**
     * Bounds of integer inputs: the class count of the one-hot encodings that read them as labels,
     * the row count of the tables they index.
     */
    private static Map<String, Integer> labelClasses(ModelIr model) {
        Map<String, Integer> classes = new HashMap<>();
        for (Node node : Graphs.topologicalOrder(model.roots())) {
            if (node.op() == Op.ONEHOT && node.input(0).op() == Op.INPUT) {
                classes.merge(node.input(0).name(), node.classes(), Math::min);
            } else if (node.op() == Op.GATHER && indexedInput(node.input(1)) != null) {
                classes.merge(indexedInput(node.input(1)).name(), node.input(0).shape().dim(0), Math::min);
            }
        }
        return classes;
    }

    /** The input whose elements a gather's indices are, read directly or through slices and reshapes. */
    private static Node indexedInput(Node ids) {
        Node base = ids;
        while (base.op() == Op.SLICE || base.op() == Op.RESHAPE) {
            base = base.input(0);
        }
        return base.op() == Op.INPUT ? base : null;
    }
}
