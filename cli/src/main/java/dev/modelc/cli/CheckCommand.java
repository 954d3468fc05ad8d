package dev.modelc.cli;

import dev.modelc.ModelCompiler;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.codegen.ClassCache;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Parse and check a model; print every error found, or `ok`.")
final class CheckCommand implements Callable<Integer> {
    /**
     * A file that checks clean is remembered by its name and text (and this build of modelc), with
     * the warnings it gave: checking it again only prints them. A file with errors is checked every time.
     */
    private static final String WARNINGS = "/warnings";

    @CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "the .model file")
    java.nio.file.Path file;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws CompilationFailed {
        ModelFileOptions options = new ModelFileOptions();
        options.file = file;
        SourceFile source = options.read();
        ClassCache cache = UserCache.classes();
        String key = cache.key("checked clean", List.of(source.displayName(), source.text()));
        Optional<byte[]> clean = cache.findPrepared(key).map(entry -> entry.get(WARNINGS));
        String warnings;
        if (clean.isPresent()) {
            warnings = new String(clean.get(), StandardCharsets.UTF_8);
        } else {
            Diagnostics diagnostics = ModelCompiler.check(source);
            warnings = diagnostics.render();
            if (diagnostics.hasErrors()) {
                spec.commandLine().getErr().print(warnings);
                spec.commandLine().getErr().flush();
                return Main.BAD_INPUT;
            }
            cache.keepPrepared(key, Map.of(WARNINGS, warnings.getBytes(StandardCharsets.UTF_8)));
        }
        spec.commandLine().getErr().print(warnings);
        spec.commandLine().getErr().flush();
        spec.commandLine().getOut().println(file + ": ok");
        return 0;
    }
}
