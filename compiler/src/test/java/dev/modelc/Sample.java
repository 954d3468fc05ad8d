package dev.modelc;

import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A sample model under {@code samples/}; the pipeline tests run over every one. */
public record Sample(String name, Path file) {

    /** Every {@code samples/*.model}, sorted by name. */
    public static List<Sample> all() {
        String folder = System.getProperty("modelc.samples");
        if (folder == null) {
            throw new IllegalStateException("system property modelc.samples is not set; run the tests with Maven");
        }
        try (Stream<Path> files = Files.list(Path.of(folder))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".model")).sorted()
                    .map(f -> new Sample(f.getFileName().toString().replaceFirst("\\.model$", ""), f))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public SourceFile source() {
        try {
            return SourceFile.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole pipeline's output for this sample, in the empty package. */
    public ModelCompiler.Result compile(Dtype dtype) throws CompilationFailed {
        return ModelCompiler.compile(source(), new ModelCompiler.Options("", dtype));
    }

    /** The sample {@code samples/<name>.model}. */
    public static Sample named(String name) {
        return all().stream().filter(s -> s.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no sample " + name));
    }

    @Override
    public String toString() {
        return name;
    }
}
