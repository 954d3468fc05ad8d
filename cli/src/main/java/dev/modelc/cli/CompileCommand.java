package dev.modelc.cli;

import dev.modelc.ModelCompiler;
import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.report.CompileReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "compile", mixinStandardHelpOptions = true,
        description = "Write the Java source of the model's class. With --dump or --report and no -o, print "
                + "them and write nothing.")
final class CompileCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ModelFileOptions.WithPackage model;

    @CommandLine.Mixin
    MemoryOptions memory;

    @CommandLine.Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "folder to write into; the package adds subfolders (default: the current folder)")
    Path output;

    @CommandLine.Option(names = "--dump", paramLabel = "STAGES", split = ",",
            description = "print stages: ${COMPLETION-CANDIDATES}")
    List<Stage> dumps = List.of();

    @CommandLine.Option(names = "--report",
            description = "print the rewrites applied, op counts, FLOPs and memory per step, before and after "
                    + "buffer planning")
    boolean report;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The stages that have a text dump. */
    enum Stage {
        ir, grad, java
    }

    @Override
    public Integer call() throws CompilationFailed, IOException {
        PrintWriter out = spec.commandLine().getOut();
        ModelCompiler.Result result = model.compile(spec.commandLine().getErr(), memory.budget);
        boolean writing = (dumps.isEmpty() && !report) || output != null;
        if (writing) {
            // Only javac knows whether each method fits the JVM's 64 KiB: a class it refuses is never written.
            result.load(UserCache.classes());
        }
        for (Stage stage : dumps) {
            out.print(Dumps.of(result, stage));
        }
        if (report) {
            out.print(CompileReport.of(result, model.dtype == Dtype.F32 ? 4 : 8));
        }
        out.flush();
        if (writing) {
            Path written = write(result, output == null ? Path.of(".") : output);
            spec.commandLine().getErr().println("wrote " + written);
        }
        return 0;
    }

    /** Writes the class under {@code root} atomically: a temporary file, then a rename. */
    static Path write(ModelCompiler.Result result, Path root) throws IOException {
        Path folder = root;
        String packageName = result.javaFile().packageName();
        if (!packageName.isEmpty()) {
            folder = root.resolve(packageName.replace('.', '/'));
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new Failures.UserError("cannot create folder " + folder + ": " + e.getMessage());
        }
        Path target = folder.resolve(result.javaFile().typeSpec().name() + ".java");
        Path temporary = Files.createTempFile(folder, ".modelc-", ".tmp");
        try {
            Files.writeString(temporary, result.javaSource(), StandardCharsets.UTF_8);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileSystemException e) {
            // The message would name the temporary file; the reason is what the user can act on.
            throw new Failures.UserError(target + ": cannot be written"
                    + (e.getReason() == null ? "" : ": " + e.getReason()));
        } finally {
            Files.deleteIfExists(temporary);
        }
        return target;
    }
}
