package dev.modelc.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.modelc.graph.Initializer;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.lang.model.element.Modifier;

/** Writes what belongs to parameters: their fields and gradients, and their initialization. */
final class ParamWriter {
    private static final ClassName RNG = ClassName.get("dev.modelc.runtime", "Rng");
    private final ModelIr model;
    private final Variables variables;
    private final Dtype dtype;

    ParamWriter(ModelIr model, Variables variables, Dtype dtype) {
        this.model = model;
        this.variables = variables;
        this.dtype = dtype;
    }

    // private final double[] W1 = new double[8192];   private double dL_dW1...
    List<FieldSpec> fields() {
        List<FieldSpec> fields = new ArrayList<>();
        String source = Comments.safe(model.sourceName().replaceAll(".*[/\\\\]", ""));
        for (ModelIr.ParamSpec p : model.params()) {
            fields.add(field(p.shape(), variables.param(p.name()))
                    .addJavadoc("$L:$L: {@code $L}\n", source, p.span().line(), Comments.safe(p.sourceLine())).build());
        }
        for (ModelIr.ParamSpec p : model.params()) {
            fields.add(field(p.shape(), variables.gradient(p.name()))
                    .addJavadoc("Gradient of the loss {@code $L} with respect to {@code $L}.\n",
                            Comments.safe(model.loss().name()), Comments.safe(p.name())).build());
        }
        return fields;
    }

    private FieldSpec.Builder field(Shape shape, String name) {
        if (shape.isScalar()) {
            return FieldSpec.builder(dtype.type(), name, Modifier.PRIVATE);
        }
        return FieldSpec.builder(ArrayTypeName.of(dtype.type()), name, Modifier.PRIVATE, Modifier.FINAL)
                .initializer("new $T[$L]", dtype.type(), shape.sizeWithoutBatch());
    }

    // public void initialize(long seed) { Rng rng = new Rng(seed); x = -3.0; for (...) W[i] = rng.normal(0.0, 0.1); }
    MethodSpec initialize(CodeBlock resetOptimizer) {
        MethodSpec.Builder method = MethodSpec.methodBuilder("initialize").addModifiers(Modifier.PUBLIC)
                .addJavadoc("Sets every parameter to its initial value and clears optimizer state;\n"
                        + "random initializers draw from {@code seed}.\n")
                .addParameter(TypeName.LONG, "seed");
        if (model.params().stream().anyMatch(p -> !(p.init() instanceof Initializer.Constant))) {
            method.addStatement("$T rng = new $T(seed)", RNG, RNG);
        }
        for (ModelIr.ParamSpec p : model.params()) {
            String name = variables.param(p.name());
            if (p.shape().isScalar()) {
                method.addStatement("$N = $L", name, draw(p.init(), p.shape()));
            } else if (p.init() instanceof Initializer.Constant c) {
                method.addStatement("$T.fill($N, $L)", Arrays.class, name, dtype.literal(c.value()));
            } else {
                method.beginControlFlow("for (int i = 0; i < $N.length; i++)", name)
                        .addStatement("$N[i] = $L", name, draw(p.init(), p.shape()))
                        .endControlFlow();
            }
        }
        return method.addCode(resetOptimizer).build();
    }

    /** One element's initial value; Glorot and He become normal or uniform with their bounds computed here. */
    private CodeBlock draw(Initializer init, Shape shape) {
        long fanOut = shape.isScalar() ? 1 : shape.dim(shape.rank() - 1);
        long fanIn = shape.rank() <= 1 ? fanOut : shape.sizeWithoutBatch() / fanOut;
        if (init instanceof Initializer.Constant c) {
            return dtype.literal(c.value());
        }
        if (init instanceof Initializer.Normal n) {
            return dtype.fromDouble(CodeBlock.of("rng.normal($L, $L)", n.mean(), n.std()));
        }
        if (init instanceof Initializer.Uniform u) {
            return dtype.fromDouble(CodeBlock.of("rng.uniform($L, $L)", u.low(), u.high()));
        }
        if (init instanceof Initializer.GlorotUniform) {
            double limit = Math.sqrt(6.0 / (fanIn + fanOut));
            return dtype.fromDouble(CodeBlock.of("rng.uniform($L, $L)", -limit, limit));
        }
        return dtype.fromDouble(CodeBlock.of("rng.normal(0.0, $L)", Math.sqrt(2.0 / fanIn)));
    }
}
