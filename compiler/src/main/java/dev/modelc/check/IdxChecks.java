package dev.modelc.check;

import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.graph.DataSpec;
import dev.modelc.graph.Shape;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.data.DataException;
import dev.modelc.runtime.data.IdxFile;
import dev.modelc.runtime.data.IdxReader;
import dev.modelc.syntax.Ast;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Checks {@code data idx("images", "labels", test = idx("test images", "test labels"), standardize
 * = false)}: IDX files (MNIST's format) whose images feed the model's first input and whose
 * labels feed its second, an {@code int[batch]}. When the files can be read now, their headers
 * are checked too: the images must fit the first input's shape, and the labels count them.
 */
final class IdxChecks {
    static final String FORM = "data idx(\"train-images-idx3-ubyte.gz\", \"train-labels-idx1-ubyte.gz\", "
            + "test = idx(\"t10k-images-idx3-ubyte.gz\", \"t10k-labels-idx1-ubyte.gz\"), standardize = false)";
    private final Diagnostics diagnostics;
    private final Map<String, Type> inputs;

    /** @param inputs the model's inputs and their types, in declaration order */
    IdxChecks(Diagnostics diagnostics, Map<String, Type> inputs) {
        this.diagnostics = diagnostics;
        this.inputs = inputs;
    }

    /** The data source, or null after reporting what is wrong. */
    DataSpec check(Ast.Call call) {
        List<Ast.Text> files = files(call, "`idx` needs the images file and then the labels file, as strings");
        if (files == null) {
            return null;
        }
        List<Ast.Text> test = null;
        double fraction = 0;
        boolean standardize = false;
        boolean ok = true;
        List<String> seen = new ArrayList<>();
        for (Ast.Argument argument : call.arguments().subList(2, call.arguments().size())) {
            String key = argument.name() == null ? null : argument.name().text();
            if (key == null || !key.equals("test") && !key.equals("standardize")) {
                diagnostics.error(argument.span(), key == null ? "`idx` takes two files, the images and the labels"
                        : "`" + key + "` is not an option of `idx` (test, standardize)", "write `" + FORM + "`");
                ok = false;
            } else if (seen.contains(key)) {
                diagnostics.error(argument.name().span(), "option `" + key + "` is given twice");
                ok = false;
            } else if (key.equals("standardize")) {
                standardize = bool(argument.value());
            } else if (argument.value() instanceof Ast.Call held && held.function().text().equals("idx")) {
                test = files(held, "`test = idx(...)` needs the test images file and then the test labels file, "
                        + "as strings");
                ok &= test != null && (held.arguments().size() == 2 || tooMany(held));
            } else {
                fraction = fraction(argument.value());
                ok &= fraction >= 0;
            }
            if (key != null) {
                seen.add(key);
            }
        }
        ok &= inputsFit(call);
        if (!ok) {
            return null;
        }
        ModelSignature.Idx idx = test == null ? new ModelSignature.Idx(files.get(0).value(), files.get(1).value())
                : new ModelSignature.Idx(files.get(0).value(), files.get(1).value(), test.get(0).value(),
                test.get(1).value());
        return headersFit(files, test) ? DataSpec.idx(idx, fraction, standardize) : null;
    }

    /** The first two arguments, unnamed strings, or null after reporting. */
    private List<Ast.Text> files(Ast.Call call, String problem) {
        List<Ast.Text> files = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            if (call.arguments().size() <= i || call.arguments().get(i).name() != null
                    || !(call.arguments().get(i).value() instanceof Ast.Text text)) {
                diagnostics.error(call.span(), problem, "write `" + FORM + "`");
                return null;
            }
            if (text.value().isBlank()) {
                diagnostics.error(text.span(), "the file name is empty");
                return null;
            }
            files.add(text);
        }
        return files;
    }

    private boolean tooMany(Ast.Call held) {
        diagnostics.error(held.arguments().get(2).span(), "`test = idx(...)` takes two files, the test images and "
                + "the test labels");
        return false;
    }

    /** The first input takes the images, the second, an {@code int[batch]}, the labels. */
    private boolean inputsFit(Ast.Call call) {
        if (inputs.size() != 2) {
            diagnostics.error(call.span(), "IDX files feed two inputs, the images and then their labels, but the "
                    + "model has " + inputs.size() + (inputs.isEmpty() ? "" : " (" + String.join(", ",
                    inputs.keySet()) + ")"), "declare `input x : [batch, 784]` and `input y : int[batch]`");
            return false;
        }
        List<String> names = new ArrayList<>(inputs.keySet());
        Type label = inputs.get(names.get(1));
        if (label != null && !(label.integer() && label.shape().equals(Shape.of(Shape.BATCH)))) {
            diagnostics.error(call.span(), "the labels feed input `" + names.get(1) + "`, the second, which is "
                    + label + "; labels are one class per row, as in `input " + names.get(1) + " : int[batch]`");
            return false;
        }
        return true;
    }

    /**
     * Checks the headers of the files that can be read now (a missing file may appear before
     * training, which then reports it); false after reporting a problem.
     */
    private boolean headersFit(List<Ast.Text> files, List<Ast.Text> test) {
        String input = inputs.keySet().iterator().next();
        Type type = inputs.get(input);
        IdxFile first = header(files.get(0));
        boolean ok = pairFits(files, first, input, type, first);
        return test == null ? ok : pairFits(test, header(test.get(0)), input, type, first) && ok;
    }

    private boolean pairFits(List<Ast.Text> pair, IdxFile images, String input, Type type, IdxFile first) {
        IdxFile labels = header(pair.get(1));
        if (images == BAD || labels == BAD) {
            return false;
        }
        if (images == null || type == null) {
            return true;
        }
        String misfit = images.misfit(input, rowDims(type.shape()));
        if (misfit != null) {
            diagnostics.error(pair.get(0).span(), images.source() + ": " + misfit);
            return false;
        }
        try {
            IdxReader.checkImages(first == null || first == BAD ? images : first, images);
            if (labels != null) {
                IdxReader.checkLabels(images, labels);
            }
            return true;
        } catch (DataException e) {
            boolean labelsToBlame = labels != null && e.source().equals(labels.source());
            diagnostics.error((labelsToBlame ? pair.get(1) : pair.get(0)).span(), e.getMessage());
            return false;
        }
    }

    /** Stands for a header already reported as wrong. */
    private static final IdxFile BAD = new IdxFile("", 0, List.of(1));

    /** The file's header; null when it cannot be read now; {@link #BAD} after reporting a bad one. */
    private IdxFile header(Ast.Text file) {
        Path path;
        try {
            path = Path.of(file.value());
            Path model = Path.of(diagnostics.source().displayName()).toAbsolutePath().getParent();
            path = path.isAbsolute() || model == null ? path : model.resolve(path).normalize();
        } catch (InvalidPathException e) {
            return null;
        }
        try {
            return IdxFile.header(path);
        } catch (DataException e) {
            if (e.getCause() instanceof IOException) {
                return null;
            }
            diagnostics.error(file.span(), e.getMessage());
            return BAD;
        }
    }

    private static List<Integer> rowDims(Shape shape) {
        List<Integer> dims = new ArrayList<>(shape.dims());
        dims.removeIf(d -> d == Shape.BATCH);
        return dims;
    }

    private double fraction(Ast.Expr value) {
        OptionalDouble v = ConstantExpressions.evaluate(value, diagnostics);
        if (v.isEmpty() || !(v.getAsDouble() >= 0 && v.getAsDouble() < 1)) {
            diagnostics.error(value.span(), "`test` is the test files, `idx(\"images\", \"labels\")`, or the "
                    + "fraction of the training images held out: at least 0 and below 1");
            return -1;
        }
        return v.getAsDouble();
    }

    private boolean bool(Ast.Expr value) {
        if (value instanceof Ast.Name name && (name.name().equals("true") || name.name().equals("false"))) {
            return name.name().equals("true");
        }
        diagnostics.error(value.span(), "`standardize` is `true` or `false`");
        return false;
    }
}
