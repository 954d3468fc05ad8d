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

/** Writes what belongs to parameters: their fields, gradients and optimizer state, initialization, the update. */
final class ParamWriter {
    private static final ClassName RNG = ClassName.get("dev.modelc.runtime", "Rng");
    private final ModelIr model;
    private final Variables variables;
    private final Dtype dtype;
    private final boolean momentum;

    /** One optimizer state buffer: its public name, its field, the shape of its param. */
    record StateBuffer(String name, String field, Shape shape) {
    }

    /** The optimizer's state buffers, in the order {@code stateNames()} lists them. */
    List<StateBuffer> stateBuffers() {
        List<StateBuffer> buffers = new ArrayList<>();
        if (momentum) {
            for (ModelIr.ParamSpec p : model.params()) {
                buffers.add(new StateBuffer(p.name() + ".velocity", variables.velocity(p.name()), p.shape()));
            }
        }
        return buffers;
    }

    ParamWriter(ModelIr model, Variables variables, Dtype dtype) {
        this.model = model;
        this.variables = variables;
        this.dtype = dtype;
        this.momentum = model.train().momentum() != 0;
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
        if (momentum) {
            for (ModelIr.ParamSpec p : model.params()) {
                fields.add(field(p.shape(), variables.velocity(p.name()))
                        .addJavadoc("Momentum buffer of {@code $L}.\n", Comments.safe(p.name())).build());
            }
            fields.add(FieldSpec.builder(dtype.type(), "momentum", Modifier.PRIVATE, Modifier.FINAL)
                    .initializer(dtype.literal(model.train().momentum())).build());
        }
        fields.add(FieldSpec.builder(TypeName.LONG, "stepCount", Modifier.PRIVATE)
                .addJavadoc("Updates made since initialization.\n").build());
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
    MethodSpec initialize() {
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
        method.addStatement("stepCount = 0");
        if (momentum) {
            for (ModelIr.ParamSpec p : model.params()) {
                method.addCode(p.shape().isScalar()
                        ? CodeBlock.of("$N = $L;\n", variables.velocity(p.name()), dtype.literal(0))
                        : CodeBlock.of("$T.fill($N, $L);\n", Arrays.class, variables.velocity(p.name()), dtype.literal(0)));
            }
        }
        return method.build();
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

    // public void step() { for (int i = 0; i < 8192; i++) W[i] -= learningRate * dL_dW[i]; }
    MethodSpec step() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("step").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addStatement("stepCount++")
                .addComment(momentum ? "sgd with momentum: v <- momentum * v + gradient; param <- param - learningRate * v"
                        : "gradient descent: param <- param - learningRate * gradient");
        for (ModelIr.ParamSpec p : model.params()) {
            String param = variables.param(p.name());
            String grad = variables.gradient(p.name());
            boolean scalar = p.shape().isScalar();
            String at = scalar ? "" : "[i]";
            CodeBlock.Builder update = CodeBlock.builder();
            if (momentum) {
                String v = variables.velocity(p.name());
                update.addStatement("$N$L = momentum * $N$L + $N$L", v, at, v, at, grad, at)
                        .addStatement("$N$L -= $N * $N$L", param, at, variables.learningRate(), v, at);
            } else {
                update.addStatement("$N$L -= $N * $N$L", param, at, variables.learningRate(), grad, at);
            }
            if (scalar) {
                method.addCode(update.build());
            } else {
                method.beginControlFlow("for (int i = 0; i < $L; i++)", p.shape().sizeWithoutBatch())
                        .addCode(update.build()).endControlFlow();
            }
        }
        return method.build();
    }
}
