package dev.modelc.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.modelc.graph.Graphs;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Op;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The members of a model that calls {@code dropout}, and nothing for one that does not: the seed
 * its masks are drawn from (the one that initialized the params), whether it trains, and the key
 * of the step, which {@code forward} sets and the backward pass reads again, so both see one
 * mask; {@code predict} and evaluation ({@code setTraining(false)}) use the key that masks nothing,
 * which also has {@code batch_norm} use its running statistics, and only a training forward pass
 * moves them.
 */
final class DropoutWriter {
    private static final ClassName DROPOUT = ClassName.get("dev.modelc.runtime", "Dropout");
    private static final String SEED = "dropoutSeed";
    private static final String TRAINING = "training";
    private final boolean present;

    DropoutWriter(ModelIr model) {
        this.present = Graphs.topologicalOrder(model.roots()).stream().anyMatch(n -> n.op() == Op.DROPOUT
                || n.op() == Op.TRAINING);
    }

    boolean present() {
        return present;
    }

    List<FieldSpec> fields() {
        if (!present) {
            return List.of();
        }
        return List.of(FieldSpec.builder(TypeName.LONG, SEED, Modifier.PRIVATE).build(),
                FieldSpec.builder(TypeName.BOOLEAN, TRAINING, Modifier.PRIVATE).initializer("true").build(),
                FieldSpec.builder(TypeName.LONG, JavaExpressions.DROPOUT_KEY, Modifier.PRIVATE).build());
    }

    /** In {@code initialize(seed)}: the masks are drawn from the run's seed too. */
    CodeBlock remember() {
        return present ? CodeBlock.of("$N = seed;\n", SEED) : CodeBlock.of("");
    }

    /** At the start of {@code forward}: this step's masks, or none outside training. */
    CodeBlock forStep() {
        return present ? CodeBlock.of("$N = $N ? $T.key($N, stepCount) : $T.OFF;\n", JavaExpressions.DROPOUT_KEY,
                TRAINING, DROPOUT, SEED, DROPOUT) : CodeBlock.of("");
    }

    /** At the start of a prediction: no masks. */
    CodeBlock none() {
        return present ? CodeBlock.of("$N = $T.OFF;\n", JavaExpressions.DROPOUT_KEY, DROPOUT) : CodeBlock.of("");
    }

    List<MethodSpec> methods() {
        if (!present) {
            return List.of();
        }
        return List.of(MethodSpec.methodBuilder("setTraining").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).addParameter(TypeName.BOOLEAN, TRAINING)
                .addStatement("this.$N = $N", TRAINING, TRAINING).build());
    }
}
