package dev.modelc.spark.cli;

import dev.modelc.cli.LogFile;
import dev.modelc.cli.Main;
import dev.modelc.cli.RunPictures;
import dev.modelc.cli.SparkBackend;
import dev.modelc.cli.TrainReport;
import dev.modelc.runtime.EpochLog;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.ProgressBar;
import dev.modelc.runtime.StepLog;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.TrainingHistory;
import dev.modelc.runtime.TrainingSettings;
import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.runtime.data.DataException;
import dev.modelc.runtime.training.Training;
import dev.modelc.spark.ModelJar;
import dev.modelc.spark.SparkTrainer;
import dev.modelc.spark.TrainingRows;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * {@code modelc train F --spark [MASTER]}: the rows read by the session's executors, training
 * by {@link SparkTrainer}, and the lines, log, checkpoint and picture of {@code modelc train}.
 */
final class SparkTrainRun {
    private final SparkBackend.TrainRequest request;
    private final SparkSession spark;
    private final ModelJar jar;

    SparkTrainRun(SparkBackend.TrainRequest request, SparkSession spark, ModelJar jar) {
        this.request = request;
        this.spark = spark;
        this.jar = jar;
    }

    int run() throws DataException, IOException {
        Class<?> type = jar.load();
        ModelSignature s = Models.signature(type);
        Training training = request.training().apply(s);
        if (!training.onData()) {
            throw new SparkBackend.UserError("model `" + s.name() + "` has no inputs, so it has no rows to spread "
                    + "over Spark; train it without --spark");
        }
        TrainingSettings settings = training.settings();
        try (TrainingRows rows = TrainingRows.read(spark, s, training.dataPath().toString(), training.source(),
                training.seed())) {
            TrainableModel model = Models.create(type, training.seed());
            SparkTrainer trainer = SparkStart.trainer(model, rows, settings, request);
            Trainer.Plan plan = trainer.plan();
            PrintStream out = request.out();
            double rate = request.learningRate() != null ? request.learningRate()
                    : TrainReport.shownRate(model, plan.schedule().baseRate());
            out.println(TrainReport.describe(s, rate) + ", data " + training.source().path() + ", on Spark "
                    + request.master() + " (" + rows.partitions() + " partitions)"
                    + TrainReport.resumedFrom(plan.from()));
            TrainingHistory history = new TrainingHistory();
            Trainer.Result result;
            String logFailure;
            // A resumed run goes on with the log of the run it resumes, as on one machine.
            try (LogFile log = request.resume() ? LogFile.resume(request.log(), request.err(), StepLog.header(s),
                    plan.from().steps()) : LogFile.open(request.log(), request.err())) {
                result = train(trainer, model, out, history, log.writer());
                log.close();
                logFailure = log.failure();
            }
            finish(model, plan.schedule().baseRate(), result, history, rows, settings);
            int exitCode = result.reason() == Trainer.StopReason.DIVERGED ? Main.RUN_FAILED : 0;
            if (logFailure != null && exitCode == 0) {
                throw new SparkBackend.UserError(logFailure);
            }
            return exitCode;
        }
    }

    private Trainer.Result train(SparkTrainer trainer, TrainableModel model, PrintStream out,
                                 TrainingHistory history, Writer log) {
        List<Trainer.Listener> listeners = new ArrayList<>();
        if (ProgressBar.onTerminal()) {
            listeners.add(new ProgressBar(out, System::nanoTime));
        }
        listeners.addAll(List.of(new EpochLog(out), history, new StepLog(log)));
        long started = System.nanoTime();
        Trainer.Result result = trainer.run(Trainer.Listener.all(listeners));
        TrainReport.speed(request.err(), result.steps() - trainer.plan().from().steps(), started);
        TrainReport.smallParams(out, model);
        return result;
    }

    /** Saves and draws what was asked for; a run that diverged is not saved, so no good checkpoint is lost. */
    private void finish(TrainableModel model, double baseRate, Trainer.Result result, TrainingHistory history,
                        TrainingRows rows, TrainingSettings settings) {
        PrintStream out = request.out();
        if (request.save() != null && result.reason() == Trainer.StopReason.DIVERGED) {
            out.println("not saved to " + request.save() + ": training diverged");
        } else if (request.save() != null) {
            Checkpoint.Run run = new Checkpoint.Run(settings.seed(), settings.batchSize(), settings.shuffle(),
                    rows.trainSize(), rows.preprocessing());
            try {
                Checkpoint.save(model, result.position(), run, result.schedule(), request.save());
            } catch (IOException e) {
                throw new SparkBackend.UserError(request.save() + ": cannot be written: " + e.getMessage());
            }
            out.println("saved " + request.save() + " at step " + result.position().steps());
        }
        if (request.plot() != null) {
            RunPictures.drawCurve(request.plot(), model, baseRate, history);
            out.println("plotted " + request.plot());
        }
    }
}
