package dev.modelc.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.modelc.graph.ModelIr;
import java.util.List;
import javax.lang.model.element.Modifier;

/** Writes the {@code SIGNATURE} constant: names, shapes, loss, metrics, train defaults. */
final class SignatureWriter {
    private static final ClassName LIST = ClassName.get(List.class);
    private static final ClassName PARAM = ModelClassGenerator.MODEL_SIGNATURE.nestedClass("Param");
    private static final ClassName DEFAULTS = ModelClassGenerator.MODEL_SIGNATURE.nestedClass("TrainDefaults");

    private SignatureWriter() {
    }

    // public static final ModelSignature SIGNATURE = new ModelSignature("Quadratic", ...);
    static FieldSpec field(ModelIr model, Dtype dtype, String sourceName) {
        CodeBlock.Builder params = CodeBlock.builder();
        for (int i = 0; i < model.params().size(); i++) {
            ModelIr.ParamSpec p = model.params().get(i);
            String dims = String.join(", ", p.shape().dims().stream().map(String::valueOf).toList());
            params.add(i == 0 ? "" : ",\n").add("new $T($S, $T.of($L))", PARAM, p.name(), LIST, dims);
        }
        CodeBlock metrics = CodeBlock.join(model.metrics().stream().map(m -> CodeBlock.of("$S", m.name())).toList(), ", ");
        CodeBlock stop = model.stop().map(c -> CodeBlock.of("$S", c.text())).orElse(CodeBlock.of("null"));
        CodeBlock defaults = CodeBlock.of("new $T($S, $L, $LL, $LL)", DEFAULTS, model.train().optimizer(),
                Double.toString(model.train().learningRate()), model.train().maxSteps(), model.train().seed());
        CodeBlock init = CodeBlock.builder()
                .add("new $T(\n$>$>$S, $S, $S,\n", ModelClassGenerator.MODEL_SIGNATURE, model.name(), sourceName, dtype.label())
                .add("$T.of(\n$>$L),\n$<", LIST, params.build())
                .add("$S, $T.of($L), $L,\n", model.loss().name(), LIST, metrics, stop)
                .add("$L)$<$<", defaults)
                .build();
        return FieldSpec.builder(ModelClassGenerator.MODEL_SIGNATURE, "SIGNATURE",
                        Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("What this model declares: parameters, loss, metrics and train defaults.\n")
                .initializer(init).build();
    }
}
