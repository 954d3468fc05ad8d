package dev.modelc.cli;

import dev.modelc.ModelCompiler;
import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine;

/** The arguments every command that reads a model shares: the file, the package and the dtype. */
final class ModelFileOptions {
    @CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "the .model file")
    Path file;

    @CommandLine.Option(names = "--package", paramLabel = "P", defaultValue = "",
            description = "Java package of the generated class (default: none)")
    String packageName;

    @CommandLine.Option(names = "--dtype", paramLabel = "f32|f64", converter = DtypeConverter.class,
            description = "element type of the generated arithmetic (default: ${DEFAULT-VALUE})", defaultValue = "f64")
    Dtype dtype;

    SourceFile read() {
        try {
            if (Files.isDirectory(file)) {
                throw new Failures.UserError(file + ": is a folder, not a .model file");
            }
            return SourceFile.read(file);
        } catch (NoSuchFileException e) {
            throw new Failures.UserError(file + ": no such file");
        } catch (IOException e) {
            throw new Failures.UserError(e.getMessage() == null ? file + ": cannot be read" : e.getMessage());
        }
    }

    /** Compiles the file, printing any warnings; errors come back as {@link CompilationFailed}. */
    ModelCompiler.Result compile(PrintWriter err) throws CompilationFailed {
        return compile(err, 0);
    }

    /** The same, recomputing as much as it takes for the activation arrays to fit {@code memoryBudget} bytes. */
    ModelCompiler.Result compile(PrintWriter err, long memoryBudget) throws CompilationFailed {
        if (!packageName.isEmpty() && !packageName.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*")) {
            throw new Failures.UserError("--package: `" + packageName + "` is not a Java package name");
        }
        ModelCompiler.Options options = new ModelCompiler.Options(packageName, dtype).withMemoryBudget(memoryBudget);
        ModelCompiler.Result result = ModelCompiler.compile(read(), options);
        err.print(result.diagnostics().render());
        err.flush();
        return result;
    }

    static final class DtypeConverter implements CommandLine.ITypeConverter<Dtype> {
        @Override
        public Dtype convert(String value) {
            try {
                return Dtype.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
