package dev.modelc.cli;

import dev.modelc.ModelCompiler;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.graph.TrainSpec;
import dev.modelc.runtime.Dataset;
import dev.modelc.runtime.EpochLog;
import dev.modelc.runtime.IterationTable;
import dev.modelc.runtime.MinibatchTrainer;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.Trainer;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Compile the model in memory and train it.",
                "A model without inputs trains by gradient descent and prints one row per iteration: the",
                "iteration, each scalar param, the loss, the metrics. A model with inputs trains on its data",
                "(`data csv(...)` or --data) in minibatches and prints one line per epoch."})
final class TrainCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ModelFileOptions model;

    @CommandLine.Mixin
    MemoryOptions memory;

    @CommandLine.Option(names = "--data", paramLabel = "PATH",
            description = "CSV file to train on, instead of the train block's (same columns)")
    Path data;

    @CommandLine.Option(names = "--epochs", paramLabel = "N", description = "epochs over the data "
            + "(default: the train block's, else " + TrainSpec.DEFAULT_EPOCHS + ")")
    Long epochs;

    @CommandLine.Option(names = "--batch", paramLabel = "N",
            description = "rows per step; 0 for all training rows (default: the train block's, else 0)")
    Integer batch;

    @CommandLine.Option(names = "--steps", paramLabel = "N", description = "at most N updates (default: the train "
            + "block's max_steps; without data and stop condition, " + TrainSpec.DEFAULT_MAX_STEPS + ")")
    Long steps;

    @CommandLine.Option(names = "--lr", paramLabel = "X", description = "learning rate (default: the optimizer's lr)")
    Double learningRate;

    @CommandLine.Option(names = "--seed", paramLabel = "N", description = "seed for initializers, the data split "
            + "and shuffling (default: the train block's seed, else 0)")
    Long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws CompilationFailed {
        checkFlags();
        PrintWriter out = spec.commandLine().getOut();
        ModelCompiler.Result result = model.compile(spec.commandLine().getErr(), memory.budget);
        long chosenSeed = seed != null ? seed : result.simplified().train().seed();
        PrintStream stream = new PrintStream(new WriterOutputStream(out), true, StandardCharsets.UTF_8);
        int code = result.simplified().inputs().isEmpty()
                ? withoutData(result, chosenSeed, stream) : onData(result, chosenSeed, stream);
        stream.flush();
        return code;
    }

    private void checkFlags() {
        if (steps != null && steps < 0) {
            throw new Failures.UserError("--steps must be 0 or more, got " + steps);
        }
        if (learningRate != null && !(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new Failures.UserError("--lr must be a positive number, got " + learningRate);
        }
        if (epochs != null && epochs < 1) {
            throw new Failures.UserError("--epochs must be 1 or more, got " + epochs);
        }
        if (batch != null && (batch < 0 || batch > 1 << 20)) {
            throw new Failures.UserError("--batch must be from 0 (all rows) to " + (1 << 20) + ", got " + batch);
        }
    }

    private int withoutData(ModelCompiler.Result result, long chosenSeed, PrintStream out) {
        if (data != null || epochs != null || batch != null) {
            throw new Failures.UserError("model `" + result.simplified().name()
                    + "` has no inputs, so --data, --epochs and --batch do not apply; use --steps");
        }
        TrainableModel trainable = result.instantiate(chosenSeed);
        applyLearningRate(trainable);
        long configured = result.simplified().train().maxSteps();
        long maxSteps = steps != null ? steps : configured >= 0 ? configured : TrainSpec.DEFAULT_MAX_STEPS;
        out.println(describe(trainable.signature(), shownRate(trainable)) + ", at most " + maxSteps + " updates");
        long started = System.nanoTime();
        Trainer.Result outcome = Trainer.train(trainable, maxSteps, new IterationTable(out));
        printSpeed(outcome.updates(), started);
        return outcome.reason() == Trainer.StopReason.DIVERGED ? Main.RUN_FAILED : 0;
    }

    private int onData(ModelCompiler.Result result, long chosenSeed, PrintStream out) {
        TrainSpec train = result.simplified().train();
        ModelSignature.Data source = DataFiles.source(result, data, model.file);
        ModelCompiler.LoadedModel loaded = result.load();
        Dataset dataset = DataFiles.load(loaded.signature(), source, model.file, data != null, chosenSeed);
        long maxSteps = steps != null ? steps : train.maxSteps() >= 0 ? train.maxSteps() : MinibatchTrainer.NO_STEP_LIMIT;
        if (maxSteps == 0) {
            throw new Failures.UserError("--steps 0 would train nothing; give at least 1");
        }
        MinibatchTrainer.Settings settings = new MinibatchTrainer.Settings(
                epochs != null ? epochs : train.epochs(), batch != null ? batch : train.batchSize(),
                train.shuffle(), maxSteps, chosenSeed);
        int capacity = MinibatchTrainer.capacityFor(settings.batchSize(), dataset.trainSize(), dataset.testSize());
        TrainableModel trainable = loaded.create(chosenSeed, capacity);
        applyLearningRate(trainable);
        out.println(describe(trainable.signature(), shownRate(trainable)) + ", data " + source.path());
        long started = System.nanoTime();
        MinibatchTrainer.Result outcome = MinibatchTrainer.train(trainable, dataset, settings, new EpochLog(out));
        printSpeed(outcome.steps(), started);
        printSmallParams(out, trainable);
        return outcome.reason() == MinibatchTrainer.StopReason.DIVERGED ? Main.RUN_FAILED : 0;
    }

    private void applyLearningRate(TrainableModel trainable) {
        if (learningRate != null) {
            trainable.setLearningRate(learningRate);
        }
    }

    /** The rate as written: an f32 model holds it as a float, which reads 0.10000000149011612. */
    private double shownRate(TrainableModel trainable) {
        return learningRate != null ? learningRate : trainable.signature().train().learningRate();
    }

    private static String describe(ModelSignature s, double learningRate) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "training %s (%s, %s): %s lr=%s",
                s.name(), s.source(), s.dtype(), s.train().optimizer(), learningRate));
        if (s.train().momentum() != 0) {
            text.append(" momentum=").append(s.train().momentum());
        }
        if (s.hasStopCondition()) {
            text.append(", stop when ").append(s.stopCondition());
        }
        return text.toString();
    }

    /** Models with few parameters show what they learned, as the regression samples want to be read. */
    private static void printSmallParams(PrintStream out, TrainableModel trainable) {
        java.util.List<ModelSignature.Param> params = trainable.signature().params();
        if (params.stream().mapToInt(ModelSignature.Param::size).sum() > 16) {
            return;
        }
        for (int p = 0; p < params.size(); p++) {
            ModelSignature.Param param = params.get(p);
            java.util.List<String> values = new java.util.ArrayList<>();
            for (int i = 0; i < param.size(); i++) {
                values.add(String.format(Locale.ROOT, "%.6f", trainable.param(p, i)));
            }
            String shown = param.shape().isEmpty() ? values.get(0) : "[" + String.join(", ", values) + "]";
            out.println(param.name() + " = " + shown);
        }
    }

    /** The speed goes to standard error, beside the table on standard output rather than in it. */
    private void printSpeed(long steps, long startedNanos) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        if (steps > 0 && seconds > 0) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf(Locale.ROOT, "%d steps in %.2f s: %.0f steps/s%n", steps, seconds, steps / seconds);
            err.flush();
        }
    }
}
