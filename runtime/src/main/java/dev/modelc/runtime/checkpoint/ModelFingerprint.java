package dev.modelc.runtime.checkpoint;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Printable;
import dev.modelc.runtime.TrainableModel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What a checkpoint must agree on with the model it is loaded into, one line per item: the
 * dtype, the optimizer, each parameter and input with its shape, each optimizer state buffer.
 * Names of the model and its loss are left out, so a model can be renamed or its loss
 * edited and still resume; anything that changes what the saved numbers mean is in.
 */
public final class ModelFingerprint {
    private ModelFingerprint() {
    }

    public static List<String> lines(TrainableModel model) {
        ModelSignature s = model.signature();
        List<String> lines = new ArrayList<>();
        lines.add("dtype " + s.dtype());
        lines.add("optimizer " + (s.train() == null ? "none" : s.train().optimizer()));
        for (ModelSignature.Param p : s.params()) {
            lines.add("param " + p.name() + " " + shape(p.shape()));
        }
        for (ModelSignature.Input i : s.inputs()) {
            lines.add("input " + i.name() + " " + shape(i.shape()) + (i.integer() ? " int " + i.classes() : ""));
        }
        model.stateNames().forEach(name -> lines.add("state " + name));
        return lines;
    }

    /** The lines joined by newlines, as the checkpoint's metadata holds them. */
    public static String text(TrainableModel model) {
        return String.join("\n", lines(model));
    }

    /** SHA-256 of {@link #text}, in hex. */
    public static String hash(String text) {
        return HexFormat.of().formatHex(SafetensorsFile.sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A shape as declared: {@code [batch, 64]}, {@code []} for a scalar. */
    static String shape(List<Integer> shape) {
        List<String> dims = new ArrayList<>();
        for (int d : shape) {
            dims.add(d == ModelSignature.BATCH ? "batch" : Integer.toString(d));
        }
        return "[" + String.join(", ", dims) + "]";
    }

    /**
     * How a saved fingerprint differs from the model's, in words: the first line each side has
     * that the other lacks. Empty when they agree.
     */
    static String difference(List<String> saved, List<String> model) {
        List<String> onlySaved = new ArrayList<>(saved);
        onlySaved.removeAll(model);
        List<String> onlyModel = new ArrayList<>(model);
        onlyModel.removeAll(saved);
        if (onlySaved.isEmpty() && onlyModel.isEmpty()) {
            return saved.equals(model) ? "" : "the same items in another order";
        }
        if (onlyModel.isEmpty()) {
            return "the checkpoint has `" + Printable.excerpt(onlySaved.get(0), 80) + "`" + more(onlySaved)
                    + ", which this model lacks";
        }
        if (onlySaved.isEmpty()) {
            return "this model has `" + onlyModel.get(0) + "`" + more(onlyModel) + ", which the checkpoint lacks";
        }
        return "the checkpoint has `" + Printable.excerpt(onlySaved.get(0), 80) + "`" + more(onlySaved)
                + " where this model has `"
                + onlyModel.get(0) + "`" + more(onlyModel);
    }

    private static String more(List<String> lines) {
        return lines.size() == 1 ? "" : " (and " + (lines.size() - 1) + " more)";
    }
}
