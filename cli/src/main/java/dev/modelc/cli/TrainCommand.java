package dev.modelc.cli;

import dev.modelc.ModelCompiler;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.runtime.IterationTable;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.Trainer;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Compile the model in memory and train it with full-batch gradient descent.",
                "Prints one row per iteration: the iteration, each scalar param, the loss, the metrics."})
final class TrainCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ModelFileOptions model;

    @CommandLine.Option(names = "--steps", paramLabel = "N",
            description = "at most N updates (default: the train block's max_steps, else 1000)")
    Long steps;

    @CommandLine.Option(names = "--lr", paramLabel = "X", description = "learning rate (default: the optimizer's lr)")
    Double learningRate;

    @CommandLine.Option(names = "--seed", paramLabel = "N", description = "seed for random initializers "
            + "(default: the train block's seed, else 0)")
    Long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws CompilationFailed {
        if (steps != null && steps < 0) {
            throw new Failures.UserError("--steps must be 0 or more, got " + steps);
        }
        if (learningRate != null && !(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new Failures.UserError("--lr must be a positive number, got " + learningRate);
        }
        PrintWriter out = spec.commandLine().getOut();
        ModelCompiler.Result result = model.compile(spec.commandLine().getErr());
        TrainableModel trainable = result.instantiate(seed != null ? seed : result.simplified().train().seed());
        if (learningRate != null) {
            trainable.setLearningRate(learningRate);
        }
        long maxSteps = steps != null ? steps : result.simplified().train().maxSteps();
        // The rate as written: an f32 model holds it as a float, which reads 0.10000000149011612.
        double shownRate = learningRate != null ? learningRate : trainable.signature().train().learningRate();
        out.println(describe(trainable.signature(), shownRate, maxSteps));
        out.flush();
        PrintStream table = new PrintStream(new WriterOutputStream(out), true, java.nio.charset.StandardCharsets.UTF_8);
        Trainer.Result outcome = Trainer.train(trainable, maxSteps, new IterationTable(table));
        table.flush();
        return outcome.reason() == Trainer.StopReason.DIVERGED ? Main.RUN_FAILED : 0;
    }

    private static String describe(ModelSignature s, double learningRate, long maxSteps) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "training %s (%s, %s): %s lr=%s",
                s.name(), s.source(), s.dtype(), s.train().optimizer(), learningRate));
        if (s.hasStopCondition()) {
            text.append(", stop when ").append(s.stopCondition());
        }
        return text.append(", at most ").append(maxSteps).append(" updates").toString();
    }
}
