package dev.modelc.codegen;

import com.palantir.javapoet.CodeBlock;
import dev.modelc.graph.ModelIr;
import java.util.List;

/**
 * The javadoc of a generated class and of its passes: what the model declares, with each
 * name's shape and {@code .model} line, which lines each pass runs, and the thread rules.
 */
final class ClassDocs {
    private final ModelIr model;
    private final Dtype dtype;
    private final String sourceName;

    ClassDocs(ModelIr model, Dtype dtype, String sourceName) {
        this.model = model;
        this.dtype = dtype;
        this.sourceName = sourceName;
    }

    // Model {@code DigitsMlp} from digits_mlp.model, in f64 ... <p>Parameters ... <p>Threads: ...
    CodeBlock type() {
        StringBuilder doc = new StringBuilder();
        doc.append("Model ").append(Comments.code(model.name())).append(" from ").append(Comments.doc(sourceName))
                .append(", in ").append(dtype.label()).append(": forward pass, backward pass and ")
                .append(Comments.doc(model.train().optimizer())).append(" update.\n");
        if (!model.params().isEmpty()) {
            doc.append("<p>Parameters, in the order of {@code SIGNATURE} and {@link Params}:\n<ul>\n");
            for (ModelIr.ParamSpec p : model.params()) {
                doc.append(item(p.name(), p.shape().toString(), p.span().line(), p.sourceLine()));
            }
            doc.append("</ul>\n");
        }
        if (!model.inputs().isEmpty()) {
            doc.append("<p>Inputs, bound by {@code bind} in this order, row-major:\n<ul>\n");
            for (ModelIr.InputSpec input : model.inputs()) {
                String shape = (input.integer() ? "int" : "") + input.shape();
                doc.append(item(input.name(), shape, input.span().line(), null));
            }
            doc.append("</ul>\n");
        }
        doc.append("<p>Named values, readable by {@code value(name)} after {@code forward()}:\n")
                .append("<ul>\n");
        for (ModelIr.NamedValue v : model.values()) {
            doc.append(item(v.name(), v.node().shape().toString(), v.span().line(), v.sourceLine()));
        }
        doc.append("</ul>\n");
        doc.append(threads());
        return CodeBlock.of("$L", doc.toString());
    }

    private String threads() {
        String doc = "<p>Threads: an instance is for one thread at a time. Every method reads or writes its\n"
                + "arrays, {@code predict} included; share one between threads only with a lock around each\n"
                + "call, or give each thread an instance of its own.";
        if (!model.outputs().isEmpty()) {
            doc += " To predict from many threads at once,\nuse {@code predictor()}: a {@link Predictor} "
                    + "with a snapshot of the parameters, safe to share.";
        }
        return doc + "\n";
    }

    /** {@code <li>{@code W1} [64, 128], line 7: {@code param W1 : [64, 128] = he_normal}</li>} */
    private String item(String name, String shape, int line, String sourceLine) {
        String doc = "<li>" + Comments.code(name) + " " + Comments.doc(shape) + ", line " + line;
        if (sourceLine != null) {
            doc += ": " + Comments.code(sourceLine.strip());
        }
        return doc + "</li>\n";
    }

    // Runs the lines of the forward pass on the bound rows: 12, 13, 14, 15, 16; returns {@code L}.
    CodeBlock forward(List<Lines.Line> lines) {
        StringBuilder numbers = new StringBuilder();
        for (Lines.Line line : lines) {
            int number = line.origin() != null ? line.origin().span().line() : model.stop().orElseThrow().span().line();
            numbers.append(numbers.length() == 0 ? "" : ", ").append(number);
        }
        ModelIr.NamedValue loss = model.loss();
        String doc = "Runs the forward pass" + (model.inputs().isEmpty() ? "" : " on the bound rows") + ": lines " + numbers + " of " + Comments.doc(sourceName)
                + ", in that order,\neach by a method of its own. Returns the loss " + Comments.code(loss.name())
                + " (line " + loss.span().line() + ");\nthe metrics and named values stay readable until the "
                + "next pass.\n";
        return CodeBlock.of("$L", doc);
    }

    // The gradient of {@code L} for each parameter, from the values the last forward() left.
    CodeBlock backward() {
        String doc = "Computes the gradient of the loss " + Comments.code(model.loss().name())
                + " with respect to every parameter, from the values\nthe last {@code forward()} left; "
                + "it may reuse their arrays, so read {@code value(name)} before it.\n";
        return CodeBlock.of("$L", doc);
    }

    // One sgd update of every parameter with the gradients of the last backward().
    CodeBlock step() {
        String doc = "One " + Comments.doc(model.train().optimizer()) + " update of every parameter with the "
                + "gradients of the last {@code backward()}\nand the current learning rate (the train block's "
                + "{@code optimizer} line sets the rest).\n";
        return CodeBlock.of("$L", doc);
    }

    // x [batch, 64] (line 5), y int[batch] (line 6)
    String inputs() {
        StringBuilder doc = new StringBuilder();
        for (ModelIr.InputSpec input : model.inputs()) {
            doc.append(doc.length() == 0 ? "" : ", ").append(Comments.code(input.name())).append(' ')
                    .append(input.integer() ? "int" : "").append(Comments.doc(input.shape().toString()))
                    .append(" (line ").append(input.span().line()).append(')');
        }
        return doc.toString();
    }
}
