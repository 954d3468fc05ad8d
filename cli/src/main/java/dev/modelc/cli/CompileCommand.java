package dev.modelc.cli;

import dev.modelc.ModelCompiler;
import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.report.CompileReport;
import dev.modelc.runtime.checkpoint.AtomicFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
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
            Path written = write(result, output == null ? Path.of(".") : output, model.file);
            spec.commandLine().getErr().println("wrote " + written);
        }
        return 0;
    }

    /** Writes the class under {@code root} atomically: a temporary file, then a rename. */
    static Path write(ModelCompiler.Result result, Path root, Path modelFile) {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new Failures.UserError("-o " + root + ": is a file, not a folder; give the folder to write into");
        }
        Path folder = root;
        String packageName = result.javaFile().packageName();
        if (!packageName.isEmpty()) {
            folder = root.resolve(packageName.replace('.', '/'));
        }
        try {
            Files.createDirectories(folder);
        } catch (FileAlreadyExistsException e) {
            throw new Failures.UserError("-o " + root + ": cannot make the folder " + folder + ": "
                    + e.getFile() + " is a file");
        } catch (IOException e) {
            throw new Failures.UserError("-o " + root + ": cannot make the folder " + folder + ": "
                    + RunFiles.reason(e));
        }
        Path target = folder.resolve(result.javaFile().typeSpec().name() + ".java");
        new RunFiles().reads("the model file", modelFile).writes("-o", target, RunFiles.Way.REPLACED).check();
        try {
            AtomicFile.write(target, result.javaSource().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw RunFiles.cannotWrite("", target, e);
        }
        return target;
    }
}
