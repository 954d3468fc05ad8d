package dev.modelc;

import dev.modelc.check.Limits;
import dev.modelc.codegen.ClassCache;
import dev.modelc.codegen.InMemoryCompiler;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.graph.Shape;
import dev.modelc.plan.BatchCapacity;
import dev.modelc.runtime.ModelSignature;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model ready to run: its class loaded, the warnings its compilation printed, and the widest
 * value a batch row makes, which bounds the rows of a pass. What a command needs to train a model,
 * without the stages' values.
 *
 * <p>A cache keeps it by what the compilation starts from: the file's name as shown in messages,
 * its text, the options, this build of the compiler and the JVM. A second run of the same model
 * then loads the stored class without parsing, checking or generating anything; a change to any
 * of these is another key, so nothing stale is served.
 *
 * @param warnings the diagnostics rendered, empty when there were none
 */
public record PreparedModel(ModelCompiler.LoadedModel loaded, String warnings, Limits.Widest widest) {
    /** The name of the entry's description among its class files: no class has a name with a slash. */
    private static final String DESCRIPTION = "/prepared";

    public ModelSignature signature() {
        return loaded.signature();
    }

    /** Why the class cannot be made for {@code rows} rows per pass, with the most it can, or empty when it can. */
    public Optional<String> capacityProblem(int rows) {
        return capacityProblem(rows, widest);
    }

    static Optional<String> capacityProblem(int rows, Limits.Widest widest) {
        if (rows <= Limits.maxRows(widest.rowElements())) {
            return Optional.empty();
        }
        return Optional.of(Limits.tooManyRows(rows, widest) + "; " + Limits.fewerRows(widest));
    }

    /** The model of {@code source}: from {@code cache} when it holds it, else compiled and kept there. */
    static PreparedModel prepare(SourceFile source, ModelCompiler.Options options, ClassCache cache)
            throws CompilationFailed {
        if (cache.folder().isEmpty()) {
            return fromResult(ModelCompiler.compile(source, options), cache);
        }
        List<String> parts = new ArrayList<>(List.of(source.displayName(), source.text()));
        parts.addAll(optionParts(options));
        String key = cache.key("prepared", parts);
        Optional<PreparedModel> stored = cache.findPrepared(key).flatMap(PreparedModel::decode);
        if (stored.isPresent()) {
            return stored.get();
        }
        ModelCompiler.Result result = ModelCompiler.compile(source, options);
        Map<String, byte[]> classes = result.classes(cache);
        PreparedModel prepared = of(result, classes);
        cache.keepPrepared(key, encode(result.className(), prepared, classes));
        return prepared;
    }

    /**
     * Every option, as text: one part per component of {@link ModelCompiler.Options} (a test
     * holds the two together). Not the record's {@code toString}, whose first call costs a run
     * more than the lookup it keys.
     */
    static List<String> optionParts(ModelCompiler.Options options) {
        return List.of(options.packageName(), options.dtype().name(), Boolean.toString(options.planBuffers()),
                Boolean.toString(options.recompute()), Long.toString(options.memoryBudget()));
    }

    static PreparedModel fromResult(ModelCompiler.Result result, ClassCache cache) throws CompilationFailed {
        return of(result, result.classes(cache));
    }

    private static PreparedModel of(ModelCompiler.Result result, Map<String, byte[]> classes) {
        return new PreparedModel(ModelCompiler.LoadedModel.of(InMemoryCompiler.loader(classes), result.className()),
                result.diagnostics().render(), BatchCapacity.widest(result.plan()));
    }

    private static Map<String, byte[]> encode(String className, PreparedModel prepared, Map<String, byte[]> classes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(className);
            writeLong(out, prepared.warnings());
            out.writeUTF(prepared.widest().what());
            List<Integer> dims = prepared.widest().shape().dims();
            out.writeInt(dims.size());
            for (int dim : dims) {
                out.writeInt(dim);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, byte[]> files = new HashMap<>(classes);
        files.put(DESCRIPTION, bytes.toByteArray());
        return files;
    }

    /** The stored model, or empty when the entry is not one this build wrote whole. */
    private static Optional<PreparedModel> decode(Map<String, byte[]> files) {
        byte[] description = files.get(DESCRIPTION);
        if (description == null) {
            return Optional.empty();
        }
        Map<String, byte[]> classes = new HashMap<>(files);
        classes.remove(DESCRIPTION);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(description))) {
            String className = in.readUTF();
            String warnings = readLong(in);
            String what = in.readUTF();
            int rank = in.readInt();
            List<Integer> dims = new ArrayList<>();
            for (int i = 0; i < rank; i++) {
                dims.add(in.readInt());
            }
            if (!classes.containsKey(className) || in.available() != 0) {
                return Optional.empty();
            }
            return Optional.of(new PreparedModel(ModelCompiler.LoadedModel.of(InMemoryCompiler.loader(classes),
                    className), warnings, new Limits.Widest(what, new Shape(dims))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Text of any length: {@code writeUTF} stops at 64 KiB of encoded text. */
    private static void writeLong(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readLong(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("a damaged entry");
        }
        return new String(in.readNBytes(length), java.nio.charset.StandardCharsets.UTF_8);
    }
}
