package dev.modelc.cli;

import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.SharedTerms;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "grad", mixinStandardHelpOptions = true,
        description = "Print the simplified derivative of the loss with respect to each param. A part the "
                + "formulas share is printed once, named t1, t2, ..., and used by its name.")
final class GradCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ModelFileOptions model;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws CompilationFailed {
        PrintWriter out = spec.commandLine().getOut();
        ModelIr ir = model.compile(spec.commandLine().getErr()).simplified();
        SharedTerms.gradientFormulas(ir).forEach(out::println);
        out.flush();
        return 0;
    }
}
