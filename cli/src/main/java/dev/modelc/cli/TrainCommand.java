package dev.modelc.cli;

import dev.modelc.ModelCompiler;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.runtime.EpochLog;
import dev.modelc.runtime.IterationTable;
import dev.modelc.runtime.LearningRateSchedule;
import dev.modelc.runtime.MinibatchTrainer;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.ProgressBar;
import dev.modelc.runtime.StepLog;
import dev.modelc.runtime.TableNumbers;
import dev.modelc.runtime.TableRows;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.TrainingHistory;
import dev.modelc.runtime.TrainingPosition;
import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.runtime.plot.Plots;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Compile the model in memory and train it with its optimizer. A model without inputs "
                + "prints a table of its iterations: the iteration, each scalar param, the loss, the metrics. A "
                + "model with inputs trains on its data (`data csv(...)` or --data) in minibatches and prints one "
                + "line per epoch, with a progress bar between them on a terminal.")
final class TrainCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ModelFileOptions.WithDtype model;

    @CommandLine.Mixin
    MemoryOptions memory;

    @CommandLine.Mixin
    TrainingOptions training;

    @CommandLine.Option(names = "--lr", paramLabel = "X", description = "learning rate (default: the optimizer's lr,"
            + " or the checkpoint's when resuming)")
    Double learningRate;

    @CommandLine.Option(names = "--save", paramLabel = "CKPT", description = "write a checkpoint (safetensors) at "
            + "the end: parameters, optimizer state, step, epoch, shuffle state; --steps 0 saves the initial values")
    Path save;

    @CommandLine.Option(names = "--resume", paramLabel = "CKPT", description = "continue from a checkpoint exactly "
            + "as if training had never stopped; --steps and --epochs count from the start")
    Path resume;

    @CommandLine.Option(names = "--init", paramLabel = "CKPT", description = "start from a checkpoint's parameters "
            + "(any safetensors file with them, F32 or F64), with a fresh optimizer")
    Path init;

    @CommandLine.Option(names = "--log", paramLabel = "CSV", description = "write one row per step: step, epoch, lr, "
            + "loss, metrics, and the params when all are scalars")
    Path log;

    @CommandLine.Option(names = "--plot", paramLabel = "IMG", description = "draw the loss curve (.png or .svg); for "
            + "two scalar params, also the descent over the loss's contour lines")
    Path plot;

    @CommandLine.Option(names = "--every", paramLabel = "N", description = "print every N-th row of the table "
            + "(every N-th epoch line with data), besides the first and the last; by default a table shows its "
            + "first " + TableRows.FIRST_ROWS + " rows, then about " + TableRows.SPREAD_ROWS + " more spread "
            + "over the run, and data runs show every epoch")
    Long every;

    @CommandLine.Option(names = {"-q", "--quiet"}, description = "print no table and no epoch lines: what is "
            + "trained, and how training ended")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What a finished run leaves: its exit code, where it stopped, whether it diverged. */
    private record Outcome(int exitCode, TrainingPosition position, boolean diverged) {
    }

    /** The model ready to train, where it stands and the schedule it goes on with. */
    private record Start(TrainSetup setup, TrainingPosition from, LearningRateSchedule schedule) {
    }

    @Override
    public Integer call() throws CompilationFailed {
        checkFlags();
        ModelCompiler.Result result = model.compile(spec.commandLine().getErr(), memory.budget);
        files(result).check();
        Checkpoint checkpoint = CheckpointFiles.read(resume != null ? resume : init);
        Checkpoint.Run saved = resume != null ? CheckpointFiles.run(checkpoint, resume) : null;
        TrainSetup setup = TrainSetup.prepare(result, training, model.file, saved, save != null);
        TrainingPosition from = TrainingPosition.START;
        if (resume != null) {
            from = CheckpointFiles.resume(checkpoint, resume, setup);
        } else if (init != null) {
            CheckpointFiles.initialize(checkpoint, init, setup.model(), spec.commandLine().getErr());
        }
        if (learningRate != null) {
            setup.model().setLearningRate(learningRate);
        }
        Start start = new Start(setup, from, schedule(checkpoint, setup));
        if (save != null) {
            CheckpointFiles.requireRoom(save, setup.model(), setup.run(), start.schedule());
        }
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true,
                StandardCharsets.UTF_8);
        TrainingHistory history = new TrainingHistory();
        Outcome outcome;
        String logFailure;
        try (LogFile logFile = resume == null ? LogFile.open(log, spec.commandLine().getErr()) : LogFile.resume(log,
                spec.commandLine().getErr(), StepLog.header(setup.model().signature()), from.steps())) {
            StepLog steps = new StepLog(logFile.writer());
            outcome = setup.hasData() ? onData(start, out, history, steps) : withoutData(start, out, history, steps);
            logFile.close();
            logFailure = logFile.failure();
        }
        finish(start, outcome, history, out);
        out.flush();
        if (logFailure != null && outcome.exitCode() == 0) {
            throw new Failures.UserError(logFailure);
        }
        return outcome.exitCode();
    }

    /** The rows to print of a run of at most {@code maxSteps} updates: as the flags say, else bounded. */
    private TableRows rows(long maxSteps) {
        return quiet ? TableRows.NONE : every != null ? TableRows.every(every) : TableRows.bounded(maxSteps);
    }

    /** Everything this run reads and writes, checked together before it trains. */
    private RunFiles files(ModelCompiler.Result result) {
        RunFiles files = RunFiles.training(result, model.file, training.data)
                .reads("the checkpoint of --resume", resume)
                .reads("the checkpoint of --init", init);
        return files.writes("--save", save, RunFiles.Way.REPLACED)
                .writes("--log", log, RunFiles.Way.STREAMED)
                .writes("--plot", plot, RunFiles.Way.REPLACED);
    }

    private void checkFlags() {
        training.check();
        if (every != null && every < 1) {
            throw new Failures.UserError("--every must be 1 or more, got " + every);
        }
        if (every != null && quiet) {
            throw new Failures.UserError("--every and --quiet contradict each other; give one");
        }
        if (learningRate != null && !(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new Failures.UserError("--lr must be a positive number, got " + learningRate);
        }
        if (resume != null && init != null) {
            throw new Failures.UserError("--resume and --init both load a checkpoint; give one");
        }
        if (plot != null && !Plots.supports(plot)) {
            throw new Failures.UserError("--plot " + plot + ": give a .png or .svg file");
        }
    }

    /**
     * The schedule to train with: a fresh one from the model's rate, or when resuming the saved
     * one, whose plateau goes on at --lr when that is given.
     */
    private LearningRateSchedule schedule(Checkpoint checkpoint, TrainSetup setup) {
        if (resume == null) {
            return LearningRateSchedule.of(setup.model(), setup.plannedSteps());
        }
        LearningRateSchedule saved = CheckpointFiles.schedule(checkpoint, resume, setup);
        return learningRate == null ? saved : saved.withBaseRate(setup.model().learningRate());
    }

    private Outcome withoutData(Start start, PrintStream out, TrainingHistory history, StepLog steps) {
        TrainSetup setup = start.setup();
        TrainingPosition from = start.from();
        TrainableModel trainable = setup.model();
        out.println(describe(trainable.signature(), shownRate(trainable)) + ", at most " + setup.maxSteps()
                + " updates" + resumedFrom(from));
        List<Trainer.Listener> listeners = List.of(new IterationTable(out, rows(setup.maxSteps())), history, steps);
        long started = System.nanoTime();
        Trainer.Result outcome = Trainer.resume(trainable, from.steps(), setup.maxSteps(), start.schedule(),
                Trainer.Listener.all(listeners));
        printSpeed(outcome.updates() - from.steps(), started);
        boolean diverged = outcome.reason() == Trainer.StopReason.DIVERGED;
        return new Outcome(diverged ? Main.RUN_FAILED : 0, TrainingPosition.afterUpdates(outcome.updates()), diverged);
    }

    private Outcome onData(Start start, PrintStream out, TrainingHistory history, StepLog steps) {
        TrainSetup setup = start.setup();
        TrainingPosition from = start.from();
        TrainableModel trainable = setup.model();
        out.println(describe(trainable.signature(), shownRate(trainable)) + ", data " + setup.source().path()
                + ", " + SweepCommand.budget(setup) + resumedFrom(from));
        List<MinibatchTrainer.Listener> listeners = new ArrayList<>();
        if (System.console() != null && !quiet) {
            listeners.add(new ProgressBar(out, System::nanoTime));
        }
        listeners.addAll(List.of(new EpochLog(out, every != null || quiet ? rows(0) : TableRows.ALL), history,
                steps));
        long started = System.nanoTime();
        MinibatchTrainer.Result outcome = MinibatchTrainer.resume(trainable, setup.data(), setup.settings(),
                start.schedule(), MinibatchTrainer.Listener.all(listeners), from);
        printSpeed(outcome.steps() - from.steps(), started);
        printSmallParams(out, trainable);
        boolean diverged = outcome.reason() == MinibatchTrainer.StopReason.DIVERGED;
        return new Outcome(diverged ? Main.RUN_FAILED : 0, outcome.position(), diverged);
    }

    /** Saves and draws what was asked for; a run that diverged is not saved, so no good checkpoint is lost. */
    private void finish(Start start, Outcome outcome, TrainingHistory history, PrintStream out) {
        TrainSetup setup = start.setup();
        if (save != null && outcome.diverged()) {
            out.println("not saved to " + save + ": training diverged");
        } else if (save != null) {
            CheckpointFiles.save(save, setup.model(), outcome.position(), setup.run(), start.schedule());
            out.println("saved " + save + " at step " + outcome.position().steps());
        }
        if (plot != null) {
            RunPictures.draw(plot, setup, history);
            out.println("plotted " + plot);
        }
    }

    private static String resumedFrom(TrainingPosition from) {
        if (from.steps() == 0 && from.epoch() == 0) {
            return "";
        }
        return ", resumed at step " + from.steps() + (from.epoch() > 0 ? " in epoch " + from.epoch() : "");
    }

    /** The rate in use, as written: an f32 model holds it as a float, which reads 0.10000000149011612. */
    private double shownRate(TrainableModel trainable) {
        if (learningRate != null) {
            return learningRate;
        }
        double rate = trainable.learningRate();
        return trainable.signature().dtype().equals("f32") ? Double.parseDouble(Float.toString((float) rate)) : rate;
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
        List<ModelSignature.Param> params = trainable.signature().params();
        if (params.stream().mapToInt(ModelSignature.Param::size).sum() > 16) {
            return;
        }
        for (int p = 0; p < params.size(); p++) {
            ModelSignature.Param param = params.get(p);
            List<String> values = new ArrayList<>();
            for (int i = 0; i < param.size(); i++) {
                values.add(TableNumbers.format(trainable.param(p, i)));
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
