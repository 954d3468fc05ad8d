package dev.modelc.cli;

import dev.modelc.ModelCompiler;
import dev.modelc.PreparedModel;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.runtime.EpochLog;
import dev.modelc.runtime.IterationTable;
import dev.modelc.runtime.ProgressBar;
import dev.modelc.runtime.StepLog;
import dev.modelc.runtime.TableRows;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.TrainingPosition;
import dev.modelc.runtime.TrainingHistory;
import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.runtime.plot.Plots;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    @CommandLine.Option(names = "--save-best", paramLabel = "CKPT", description = "after every epoch whose held-out "
            + "value is the best so far (the loss, or the metric `stop when test_<metric>` watches), write its "
            + "checkpoint; it resumes from there exactly")
    Path saveBest;

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
            + "two scalar params, also the descent over the loss's contour lines; with data, also each epoch's loss "
            + "and metrics, on the training rows and on the test rows")
    Path plot;

    @CommandLine.Option(names = "--every", paramLabel = "N", description = "print every N-th row of the table "
            + "(every N-th epoch line with data), besides the first and the last; by default a table shows its "
            + "first " + TableRows.FIRST_ROWS + " rows, then about " + TableRows.SPREAD_ROWS + " more spread "
            + "over the run, and data runs show every epoch")
    Long every;

    @CommandLine.Option(names = {"-q", "--quiet"}, description = "print no table and no epoch lines: what is "
            + "trained, and how training ended")
    boolean quiet;

    @CommandLine.Option(names = "--spark", arity = "0..1", fallbackValue = "local[*]", paramLabel = "MASTER",
            description = "train on Apache Spark: a session inside this JVM on every core, or the cluster of MASTER "
                    + "(spark://host:7077); --data may then be Parquet (a file or a folder)")
    String spark;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws CompilationFailed {
        checkFlags();
        Path checkpointPath = resume != null ? resume : init;
        if (spark != null) {
            ModelCompiler.Result result = model.compile(spec.commandLine().getErr(), memory.budget);
            files(RunFiles.training(result, model.file, training.data)).check();
            return onSpark(result, CheckpointFiles.read(checkpointPath), checkpointPath);
        }
        PreparedModel prepared = model.prepare(spec.commandLine().getErr(), memory.budget);
        files(RunFiles.training(prepared.signature(), model.file, training.data)).check();
        Checkpoint checkpoint = CheckpointFiles.read(checkpointPath);
        TrainSetup setup = TrainSetup.prepare(prepared, training, model.file, checkpoint, resume != null);
        if (learningRate != null) {
            setup = setup.withTraining(setup.training().learningRate(learningRate));
        }
        Trainer trainer = setup.trainer(checkpointPath);
        if (init != null) {
            CheckpointFiles.noteIgnored(checkpoint, init, setup.model(), spec.commandLine().getErr());
        }
        if (save != null) {
            CheckpointFiles.requireRoom(save, setup, trainer.plan().schedule());
        }
        BestCheckpoint best = saveBest == null ? null : bestCheckpoint(setup, trainer);
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true,
                StandardCharsets.UTF_8);
        TrainingHistory history = new TrainingHistory();
        Trainer.Result outcome;
        String logFailure;
        PrintWriter err = spec.commandLine().getErr();
        try (Interruption interruption = Interruption.install(trainer::requestStop, err,
                "finishing the step in progress, then " + (save == null ? "stopping (nothing is saved without --save)"
                        : "saving to " + save))) {
            try (LogFile logFile = resume == null ? LogFile.open(log, err) : LogFile.resume(log, err,
                    StepLog.header(setup.model().signature()), trainer.plan().from().steps())) {
                outcome = train(setup, trainer, out, best == null ? List.of(history, new StepLog(logFile.writer()))
                        : List.of(history, new StepLog(logFile.writer()), best));
                logFile.close();
                logFailure = logFile.failure();
            }
            finish(setup, trainer.plan().schedule().baseRate(), outcome, history, out);
            if (best != null) {
                out.println(best.summary(setup.model()));
            }
            if (interruption.happened()) {
                out.flush();
                interrupted(interruption.what(), outcome);
                if (logFailure != null) {
                    Failures.error(err, logFailure);
                }
                return interruption.exitCode();
            }
        }
        out.flush();
        int exitCode = outcome.reason() == Trainer.StopReason.DIVERGED ? Main.RUN_FAILED : 0;
        if (logFailure != null && exitCode == 0) {
            throw new Failures.UserError(logFailure);
        }
        return exitCode;
    }

    /** Everything this run reads and writes, checked together before it trains. */
    private RunFiles files(RunFiles training) {
        RunFiles files = training
                .reads("the checkpoint of --resume", resume)
                .reads("the checkpoint of --init", init);
        return files.writes("--save", save, RunFiles.Way.REPLACED)
                .writes("--save-best", saveBest, RunFiles.Way.REPLACED)
                .writes("--log", log, RunFiles.Way.STREAMED)
                .writes("--plot", plot, RunFiles.Way.REPLACED);
    }

    /** --save-best's listener, once the run is known to hold rows out to measure. */
    private BestCheckpoint bestCheckpoint(TrainSetup setup, Trainer trainer) {
        if (trainer.plan().testRows() == 0) {
            throw new Failures.UserError("--save-best keeps the checkpoint of the best held-out value, but this run "
                    + "holds no rows out; hold some out in the train block: `data csv(\"file.csv\", ..., test = 0.2)`");
        }
        CheckpointFiles.requireRoom(saveBest, setup, trainer.plan().schedule());
        return new BestCheckpoint(saveBest, setup, trainer);
    }

    /** The rows to print of a run of at most {@code maxSteps} updates: as the flags say, else bounded. */
    private TableRows rows(long maxSteps) {
        return quiet ? TableRows.NONE : every != null ? TableRows.every(every) : TableRows.bounded(maxSteps);
    }

    /** Where a run stopped by a signal stands, and the command that goes on from there. */
    private void interrupted(String signal, Trainer.Result outcome) {
        PrintWriter err = spec.commandLine().getErr();
        TrainingPosition at = outcome.position();
        if (outcome.reason() != Trainer.StopReason.REQUESTED) {
            return;
        }
        err.println("modelc: stopped by " + signal + " after update " + at.steps() + (at.epoch() == 0 ? ""
                : " (epoch " + at.epoch() + ", " + at.batchesDone() + " batches into it)"));
        err.println(save == null ? "modelc: nothing was saved; with --save, a stopped run can be resumed"
                : "modelc: to go on from there: modelc" + Failures.shellWords(resumeCommand()));
        err.flush();
    }

    /** This command's words with --resume of the checkpoint just saved in place of --resume or --init. */
    private List<String> resumeCommand() {
        List<String> words = new ArrayList<>();
        List<String> given = spec.root().commandLine().getParseResult().originalArgs();
        for (int i = 0; i < given.size(); i++) {
            String word = given.get(i);
            if (word.equals("--resume") || word.equals("--init")) {
                i++;
            } else if (!word.startsWith("--resume=") && !word.startsWith("--init=")) {
                words.add(word);
            }
        }
        words.add("--resume");
        words.add(save.toString());
        return words;
    }

    /** The run on Spark, by the Spark module: the same flags, the same training, the same output. */
    private int onSpark(ModelCompiler.Result result, Checkpoint checkpoint, Path checkpointPath) {
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true,
                StandardCharsets.UTF_8);
        return SparkBackend.load().train(new SparkBackend.TrainRequest(spark, result,
                signature -> TrainSetup.training(signature, training, model.file, checkpoint, resume != null,
                        learningRate),
                checkpointPath, resume != null, learningRate, save, log, plot, out, spec.commandLine().getErr()));
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
        if (saveBest != null && spark != null) {
            throw new Failures.UserError("--save-best is not available with --spark yet; train on one machine, or "
                    + "save at the end with --save");
        }
        if (resume != null && init != null) {
            throw new Failures.UserError("--resume and --init both load a checkpoint; give one");
        }
        if (plot != null && !Plots.supports(plot)) {
            throw new Failures.UserError("--plot " + plot + ": give a .png or .svg file");
        }
    }

    /** Prints what is trained, then trains: a table of iterations without data, epoch lines with. */
    private Trainer.Result train(TrainSetup setup, Trainer trainer, PrintStream out, List<Trainer.Listener> more) {
        TrainableModel trainable = setup.model();
        Trainer.Plan plan = trainer.plan();
        String header = TrainReport.describe(trainable.signature(), learningRate != null ? learningRate
                : TrainReport.shownRate(trainable, plan.schedule().baseRate()));
        out.println(header + (setup.hasData() ? ", data " + setup.training().source().path() + ", "
                + SweepCommand.budget(setup, plan.maxSteps()) : ", at most " + plan.maxSteps() + " updates")
                + TrainReport.resumedFrom(plan.from()));
        List<Trainer.Listener> listeners = new ArrayList<>();
        if (!setup.hasData()) {
            listeners.add(new IterationTable(out, rows(plan.maxSteps())));
        } else {
            if (ProgressBar.onTerminal() && !quiet) {
                listeners.add(new ProgressBar(out, System::nanoTime));
            }
            listeners.add(new EpochLog(out, every != null || quiet ? rows(0) : TableRows.ALL));
        }
        listeners.addAll(more);
        long started = System.nanoTime();
        Trainer.Result outcome = trainer.run(Trainer.Listener.all(listeners));
        TrainReport.speed(spec.commandLine().getErr(), outcome.steps() - plan.from().steps(), started);
        if (setup.hasData()) {
            TrainReport.smallParams(out, trainable);
        }
        return outcome;
    }

    /** Saves and draws what was asked for; a run that diverged is not saved, so no good checkpoint is lost. */
    private void finish(TrainSetup setup, double baseRate, Trainer.Result outcome, TrainingHistory history,
                        PrintStream out) {
        if (save != null && outcome.reason() == Trainer.StopReason.DIVERGED) {
            out.println("not saved to " + save + ": training diverged");
        } else if (save != null) {
            CheckpointFiles.save(save, setup, outcome);
            out.println("saved " + save + " at step " + outcome.position().steps());
        }
        if (plot != null) {
            RunPictures.draw(plot, setup, baseRate, history);
            out.println("plotted " + plot);
        }
    }
}
