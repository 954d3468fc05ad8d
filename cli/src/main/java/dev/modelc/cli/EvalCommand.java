package dev.modelc.cli;

import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.runtime.BatchGatherer;
import dev.modelc.runtime.Dataset;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Preprocessing;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.data.CsvReader;
import dev.modelc.runtime.data.DataException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Measure a trained model: the loss and every metric, each the mean over the rows. Without "
                + "--data, over the rows the train block holds out (test = ...), split as training split them; with "
                + "it, over every row of that file (the training file's columns, label included; for a model trained on "
                + "IDX files, CSV rows of an image's values and then its label). Rows are read as "
                + "training read them: label column, skipped lines, standardization.")
final class EvalCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ModelFileOptions.WithDtype model;

    @CommandLine.Option(names = "--init", paramLabel = "CKPT", required = true,
            description = "the checkpoint whose parameters are measured (from modelc train --save)")
    Path init;

    @CommandLine.Option(names = "--data", paramLabel = "CSV",
            description = "rows to measure, CSV with the training file's columns (default: the train block's held-out rows, "
                    + "or its IDX test files)")
    Path data;

    @CommandLine.Option(names = "--json", description = "print one JSON object, for scripts")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws CompilationFailed {
        PrintWriter err = spec.commandLine().getErr();
        SavedModel saved = SavedModel.open(model.compile(err), model.file, init);
        Dataset rows;
        int[] measured;
        TrainableModel trained;
        String what;
        if (data == null) {
            rows = saved.trainingData(err);
            measured = rows.testRows();
            if (measured.length == 0) {
                throw new Failures.UserError("the train block of `" + saved.signature().name() + "` holds out no rows "
                        + "(test = 0), so there is nothing to evaluate; give --data FILE");
            }
            trained = saved.newModel(saved.trainingCapacity());
            ModelSignature.Data source = saved.training().source();
            what = source.idx() != null && source.idx().testFiles() ? "test images of " + source.idx().testImages()
                    : "held-out rows of " + source.path();
        } else {
            rows = fileRows(saved.signature(), saved.preprocessing(err));
            measured = rows.trainRows();
            trained = saved.newModel(Math.min(measured.length, Trainer.MAX_TEST_CHUNK));
            what = "rows of " + data;
        }
        Trainer.Evaluation evaluation = Trainer.evaluate(trained, new BatchGatherer(trained, rows), measured);
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? json(saved.signature(), evaluation, data == null) : text(saved.signature(), evaluation,
                what));
        out.flush();
        return 0;
    }

    private Dataset fileRows(ModelSignature signature, Preprocessing preprocessing) {
        try {
            return Dataset.of(new CsvReader().read(data, preprocessing.skipLines(), preprocessing.hasHeader()), signature.inputs(),
                    preprocessing);
        } catch (DataException e) {
            throw new Failures.UserError(e.getMessage());
        }
    }

    private static String text(ModelSignature s, Trainer.Evaluation e, String what) {
        StringBuilder line = new StringBuilder(s.name() + " on " + e.rows() + " " + what + ": loss "
                + number(e.loss()));
        List<String> names = s.metrics();
        for (int m = 0; m < names.size(); m++) {
            line.append("  ").append(names.get(m)).append(' ').append(number(e.metrics().get(m)));
        }
        return line.toString();
    }

    /** As the epoch lines show a number: four decimals where that shows it, else scientific notation. */
    static String number(double value) {
        double size = Math.abs(value);
        boolean plain = value == 0 || !Double.isFinite(value) || (size >= 1e-3 && size < 1e6);
        return String.format(Locale.ROOT, plain ? "%.4f" : "%.3e", value);
    }

    /** Every number exactly as a double prints, NaN and infinities as null, which JSON lacks. */
    private String json(ModelSignature s, Trainer.Evaluation e, boolean heldOut) {
        StringBuilder text = new StringBuilder("{\"model\": ").append(Json.string(s.name()))
                .append(", \"checkpoint\": ").append(Json.string(init.toString()))
                .append(", \"data\": ").append(data == null ? "null" : Json.string(data.toString()))
                .append(", \"held_out\": ").append(heldOut)
                .append(", \"rows\": ").append(e.rows())
                .append(", \"loss\": ").append(Json.number(e.loss()))
                .append(", \"metrics\": {");
        for (int m = 0; m < s.metrics().size(); m++) {
            text.append(m == 0 ? "" : ", ").append(Json.string(s.metrics().get(m))).append(": ")
                    .append(Json.number(e.metrics().get(m)));
        }
        return text.append("}}").toString();
    }
}
