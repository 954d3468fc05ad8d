package dev.modelc.cli;

import dev.modelc.ModelCompiler;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.ProgressBar;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.checkpoint.AtomicFile;
import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.runtime.data.CsvRows;
import dev.modelc.runtime.data.DataException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Run a trained model's outputs on new rows and write one CSV row per input row. The columns "
                + "are named after the outputs' elements (probs[0], probs[1], ...), plus argmax, the class of "
                + "highest value, for the first output with one value per class. Rows are read as training read "
                + "them (skipped lines, label column, standardization); a row may lack its label. Rows are read and "
                + "predicted a batch at a time, so a file of any length takes bounded memory. With --spark, the rows "
                + "(Parquet or CSV, a file or a folder) are scored by a Spark session and written to -o as Parquet: "
                + "the rows' own columns, then one column per output.")
final class PredictCommand implements Callable<Integer> {
    /** Rows predicted in one pass. */
    static final int BATCH_ROWS = 256;

    @CommandLine.Mixin
    ModelFileOptions.WithDtype model;

    @CommandLine.Option(names = "--init", paramLabel = "CKPT", required = true,
            description = "the checkpoint whose parameters predict (from modelc train --save)")
    Path init;

    @CommandLine.Option(names = "--data", paramLabel = "ROWS", required = true,
            description = "the rows: the training file's columns, with or without the label (for a model trained on "
                    + "IDX files, an image's values, then optionally its label); CSV, or with --spark "
                    + "also Parquet (a file or a folder)")
    Path data;

    @CommandLine.Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "write the predictions here, replacing the file atomically (default: standard output); "
                    + "with --spark a Parquet folder, which must not exist yet")
    Path output;

    @CommandLine.Option(names = "--spark", arity = "0..1", fallbackValue = "local[*]", paramLabel = "MASTER",
            description = "score on Apache Spark: a session inside this JVM on every core, or the cluster of MASTER "
                    + "(spark://host:7077)")
    String spark;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws CompilationFailed {
        PrintWriter err = spec.commandLine().getErr();
        if (spark != null) {
            return onSpark(err);
        }
        checkOutput();
        SavedModel saved = SavedModel.open(model.compile(err), model.file, init);
        ModelSignature s = saved.signature();
        if (s.outputs().isEmpty()) {
            throw new Failures.UserError("model `" + s.name() + "` (" + s.source() + ") declares no output, so it "
                    + "cannot predict; declare what predict computes with a line such as "
                    + "`output probs = softmax(logits)`");
        }
        RowPredictions predictions = new RowPredictions(s, saved.preprocessing(err));
        TrainableModel trained = saved.newModel(BATCH_ROWS);
        Progress progress = new Progress(err, output != null && ProgressBar.onTerminal());
        long rows;
        try (CsvRows in = CsvRows.open(data, predictions.preprocessing().skipLines(),
                predictions.preprocessing().hasHeader())) {
            rows = output == null ? predictToStandardOutput(in, trained, predictions, progress)
                    : predictToFile(in, trained, predictions, progress);
        } catch (DataException e) {
            throw new Failures.UserError(e.getMessage());
        } finally {
            progress.clear();
        }
        if (output != null) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("predicted " + rows + (rows == 1 ? " row" : " rows") + " into " + output);
            out.flush();
        }
        return 0;
    }

    /** The rows scored by a Spark session, written whole to a new Parquet folder or not at all. */
    private int onSpark(PrintWriter err) throws CompilationFailed {
        if (output == null) {
            throw new Failures.UserError("predict --spark writes Parquet: give -o OUT.parquet");
        }
        if (Files.exists(output)) {
            throw new Failures.UserError(output + ": exists already; give a new name (nothing is overwritten)");
        }
        Path folder = output.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            throw new Failures.UserError(output + ": no such folder " + folder);
        }
        ModelCompiler.Result result = model.compile(err);
        Checkpoint checkpoint = CheckpointFiles.read(init);
        if (!Files.exists(data)) {
            throw new Failures.UserError(data + ": no such file or folder");
        }
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true,
                StandardCharsets.UTF_8);
        return SparkBackend.load().predict(new SparkBackend.PredictRequest(spark, result, model.file, checkpoint, init,
                data, output, out, err));
    }

    private void checkOutput() {
        if (output == null) {
            return;
        }
        Path folder = output.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            throw new Failures.UserError(output + ": no such folder " + folder);
        }
        if (Files.isDirectory(output)) {
            throw new Failures.UserError(output + ": is a folder; give a file name");
        }
        if (output.toAbsolutePath().normalize().equals(data.toAbsolutePath().normalize())) {
            throw new Failures.UserError(output + ": is the file the rows are read from; write the predictions "
                    + "elsewhere");
        }
    }

    private long predictToStandardOutput(CsvRows in, TrainableModel trained, RowPredictions predictions,
                                         Progress progress) throws DataException {
        PrintWriter out = spec.commandLine().getOut();
        try {
            return predictions.run(in, trained, out, progress);
        } catch (IOException e) {
            throw new Failures.UserError("standard output cannot be written: " + e.getMessage());
        } finally {
            out.flush();
        }
    }

    /** Writes into a temporary file that replaces the output only once every row is written. */
    private long predictToFile(CsvRows in, TrainableModel trained, RowPredictions predictions, Progress progress)
            throws DataException {
        long[] rows = new long[1];
        try {
            AtomicFile.write(output, channel -> {
                Writer writer = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel),
                        StandardCharsets.UTF_8), 1 << 16);
                try {
                    rows[0] = predictions.run(in, trained, writer, progress);
                } catch (DataException e) {
                    throw new BadRows(e);
                }
                writer.flush();
            });
        } catch (BadRows e) {
            throw e.data;
        } catch (IOException e) {
            throw new Failures.UserError(output + ": cannot be written: " + e.getMessage());
        }
        return rows[0];
    }

    /** A bad row met while the output was being written, carried out past the writing. */
    private static final class BadRows extends IOException {
        final DataException data;

        BadRows(DataException data) {
            super(data.getMessage(), data);
            this.data = data;
        }
    }

    /** On a terminal, the rows done so far on standard error, rewritten in place. */
    static final class Progress {
        private final PrintWriter err;
        private final boolean shown;
        private long lastNanos;
        private boolean drawn;

        Progress(PrintWriter err, boolean shown) {
            this.err = err;
            this.shown = shown;
        }

        void rows(long done) {
            long now = System.nanoTime();
            if (!shown || now - lastNanos < 200_000_000L) {
                return;
            }
            lastNanos = now;
            drawn = true;
            err.print("\rpredicting: " + done + " rows");
            err.flush();
        }

        void clear() {
            if (drawn) {
                err.print("\r" + " ".repeat(40) + "\r");
                err.flush();
            }
        }
    }
}
