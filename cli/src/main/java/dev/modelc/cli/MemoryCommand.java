package dev.modelc.cli;

import dev.modelc.ModelCompiler;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.report.MemoryReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "memory", mixinStandardHelpOptions = true,
        description = "Show the bytes training holds, before and after buffer planning: parameters, "
                + "gradients, optimizer state and the activations stored for the backward pass, as a formula in "
                + "the batch size and at given sizes.")
final class MemoryCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ModelFileOptions.WithDtype model;

    @CommandLine.Mixin
    MemoryOptions memory;

    @CommandLine.Option(names = "--batch", paramLabel = "N", split = ",", defaultValue = "1,32,256",
            description = "batch sizes to show the bytes at (default: ${DEFAULT-VALUE})")
    List<Integer> batches;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws CompilationFailed {
        for (int batch : batches) {
            if (batch < 1) {
                throw new Failures.UserError("--batch: batch sizes are whole numbers from 1; got " + batch);
            }
        }
        ModelCompiler.Result result = model.compile(spec.commandLine().getErr(), memory.budget);
        PrintWriter out = spec.commandLine().getOut();
        out.print(MemoryReport.of(result, model.dtype, batches));
        out.flush();
        return 0;
    }
}
