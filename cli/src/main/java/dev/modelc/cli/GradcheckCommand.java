package dev.modelc.cli;

import dev.modelc.ModelCompiler;
import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.testing.GradCheck;
import dev.modelc.testing.GradientMismatch;
import dev.modelc.testing.InputCase;
import dev.modelc.testing.property.Property;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = "Compile the model in f64 and check its gradients against central differences of its loss. "
                + "Each try draws random inputs for the declared shapes; a failing case is shrunk to fewer rows "
                + "and simpler values. The params start as `modelc train` starts them, from the train block's "
                + "seed. Exit code 1 with the report when a gradient is off by more than atol 1e-5 + rtol 1e-3.")
final class GradcheckCommand implements Callable<Integer> {
    @CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "the .model file")
    Path file;

    @CommandLine.Option(names = "--tries", paramLabel = "N", defaultValue = "20",
            description = "random cases to check (default: ${DEFAULT-VALUE}); a model without inputs is checked once")
    int tries;

    @CommandLine.Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "seed for the random inputs and directions (default: ${DEFAULT-VALUE})")
    long seed;

    @CommandLine.Option(names = "--batch", paramLabel = "N", defaultValue = "8",
            description = "rows per case before shrinking (default: ${DEFAULT-VALUE})")
    int batch;

    @CommandLine.Option(names = "--fast", paramLabel = "N",
            description = "compare directional derivatives along N random directions instead of every element;"
                    + " much quicker for models with many params")
    Integer directions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws CompilationFailed {
        checkFlags();
        PrintWriter out = spec.commandLine().getOut();
        ModelCompiler.Result result = compile();
        result.capacityProblem(batch).ifPresent(problem -> {
            throw new Failures.UserError("--batch " + batch + ": " + problem);
        });
        ModelCompiler.LoadedModel loaded = result.load(UserCache.classes());
        long paramSeed = loaded.signature().train().seed();
        GradCheck settings = directions == null ? GradCheck.defaults() : GradCheck.defaults().fast(directions);
        Property.Search<InputCase> search = GradCheck.forAll(() -> create(loaded, paramSeed), tries)
                .seed(seed).batch(batch).using(settings).search();
        int code = search.counterexample().isPresent()
                ? failed(out, search.counterexample().get())
                : passed(out, loaded.signature().name(), settings, search.report(),
                        loaded.signature().inputs().isEmpty());
        out.flush();
        return code;
    }

    private void checkFlags() {
        if (tries < 1) {
            throw new Failures.UserError("--tries must be 1 or more, got " + tries);
        }
        if (batch < 1 || batch > 1 << 16) {
            throw new Failures.UserError("--batch must be from 1 to " + (1 << 16) + ", got " + batch);
        }
        if (directions != null && directions < 1) {
            throw new Failures.UserError("--fast must be 1 or more directions, got " + directions);
        }
    }

    /** The model in f64 whatever the file says: finite differences need the precision. */
    private ModelCompiler.Result compile() throws CompilationFailed {
        ModelFileOptions options = new ModelFileOptions();
        options.file = file;
        options.packageName = "";
        options.dtype = Dtype.F64;
        return options.compile(spec.commandLine().getErr());
    }

    private TrainableModel create(ModelCompiler.LoadedModel loaded, long paramSeed) {
        return loaded.create(paramSeed, batch);
    }

    private static int passed(PrintWriter out, String model, GradCheck settings, Property.Report report,
                              boolean withoutInputs) {
        if (report.checked() == 0) {
            out.println("gradcheck " + model + ": nothing compared: the loss was not finite in any of the "
                    + report.tries() + " cases");
            return Main.RUN_FAILED;
        }
        out.println("gradcheck " + model + ": passed (" + settings.describe() + ")");
        out.println(withoutInputs ? "  the model has no inputs: checked once, at the params it starts from"
                : "  " + report.checked() + " cases of random inputs checked, seed " + report.seed()
                        + (report.discarded() == 0 ? "" : "; " + report.discarded()
                        + " set aside because the loss was not finite there"));
        return 0;
    }

    private int failed(PrintWriter out, Property.Counterexample<InputCase> found) {
        Throwable failure = found.shrunkFailure();
        if (failure instanceof GradientMismatch mismatch) {
            out.println(mismatch.report());
        } else {
            out.println("gradcheck: the model failed to run: " + failure);
        }
        if (!found.shrunk().inputs().isEmpty()) {
            out.println("  found on try " + (found.tryIndex() + 1) + " of " + found.tries() + " (seed " + found.seed()
                    + "), shrunk in " + found.shrinkSteps() + " steps to:");
            out.println("    " + found.shrunk().toString().replace("\n", "\n    "));
        }
        out.println("to reproduce: modelc gradcheck " + file + " --seed " + found.seed() + " --tries "
                + (found.tryIndex() + 1) + " --batch " + batch + (directions == null ? "" : " --fast " + directions));
        return Main.RUN_FAILED;
    }
}
