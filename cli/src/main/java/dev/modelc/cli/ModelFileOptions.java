package dev.modelc.cli;

import dev.modelc.ModelCompiler;
import dev.modelc.PreparedModel;
import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The model file every command reads, and how to compile it. Commands whose output depends on
 * the dtype or the package offer those flags through {@link WithDtype} and {@link WithPackage};
 * the others compile with the defaults, f64 and no package.
 */
class ModelFileOptions {
    @CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "the .model file")
    Path file;

    String packageName = "";

    Dtype dtype = Dtype.F64;

    /** The file and {@code --dtype}, for commands whose arithmetic or figures depend on it. */
    static class WithDtype extends ModelFileOptions {
        @CommandLine.Option(names = "--dtype", paramLabel = "f32|f64", converter = DtypeConverter.class,
                description = "element type of the generated arithmetic (default: ${DEFAULT-VALUE})",
                defaultValue = "f64")
        void setDtype(Dtype value) {
            dtype = value;
        }
    }

    /** The file, {@code --dtype} and {@code --package}, for the command that writes the Java source. */
    static final class WithPackage extends WithDtype {
        @CommandLine.Option(names = "--package", paramLabel = "P", defaultValue = "",
                description = "Java package of the generated class (default: none)")
        void setPackageName(String value) {
            packageName = value;
        }
    }

    SourceFile read() throws CompilationFailed {
        try {
            if (Files.isDirectory(file)) {
                throw new Failures.UserError(file + ": is a folder, not a .model file");
            }
            return SourceFile.read(file);
        } catch (SourceFile.NotUtf8 e) {
            throw new CompilationFailed(e.diagnostics());
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
        ModelCompiler.Result result = ModelCompiler.compile(read(), options(memoryBudget));
        err.print(result.diagnostics().render());
        err.flush();
        return result;
    }

    /**
     * The model ready to run, printing any warnings: taken whole from the user's cache when an
     * earlier run compiled the same text with the same options, else compiled (and kept there).
     */
    PreparedModel prepare(PrintWriter err, long memoryBudget) throws CompilationFailed {
        PreparedModel prepared = ModelCompiler.prepare(read(), options(memoryBudget), UserCache.classes());
        err.print(prepared.warnings());
        err.flush();
        return prepared;
    }

    private ModelCompiler.Options options(long memoryBudget) {
        ModelCompiler.Options.packageProblem(packageName).ifPresent(problem -> {
            throw new Failures.UserError("--package: " + problem);
        });
        return new ModelCompiler.Options(packageName, dtype).withMemoryBudget(memoryBudget);
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
