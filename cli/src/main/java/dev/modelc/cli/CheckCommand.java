package dev.modelc.cli;

import dev.modelc.ModelCompiler;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.Diagnostics;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Parse and check a model; print every error found, or `ok`.")
final class CheckCommand implements Callable<Integer> {
    @CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "the .model file")
    java.nio.file.Path file;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws CompilationFailed {
        ModelFileOptions options = new ModelFileOptions();
        options.file = file;
        Diagnostics diagnostics = ModelCompiler.check(options.read());
        if (diagnostics.hasErrors()) {
            spec.commandLine().getErr().print(diagnostics.render());
            spec.commandLine().getErr().flush();
            return Main.BAD_INPUT;
        }
        spec.commandLine().getErr().print(diagnostics.render());
        spec.commandLine().getErr().flush();
        spec.commandLine().getOut().println(file + ": ok");
        return 0;
    }
}
