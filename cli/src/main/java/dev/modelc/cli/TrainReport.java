package dev.modelc.cli;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TableNumbers;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.TrainingPosition;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The lines {@code modelc train} prints around a run, wherever the run trains: in this JVM or on Spark. */
public final class TrainReport {
    private TrainReport() {
    }

    /** The first line: the model, its file and precision, the optimizer and rate, the stop condition. */
    public static String describe(ModelSignature s, double learningRate) {
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

    /** The base rate, as written: an f32 model holds it as a float, which reads 0.10000000149011612. */
    public static double shownRate(TrainableModel trainable, double rate) {
        return trainable.signature().dtype().equals("f32") ? Double.parseDouble(Float.toString((float) rate)) : rate;
    }

    /** ", resumed at step N in epoch E" for a run that does not start at the beginning, else "". */
    public static String resumedFrom(TrainingPosition from) {
        if (from.steps() == 0 && from.epoch() == 0) {
            return "";
        }
        return ", resumed at step " + from.steps() + (from.epoch() > 0 ? " in epoch " + from.epoch() : "");
    }

    /** Models with few parameters show what they learned, as the regression samples want to be read. */
    public static void smallParams(PrintStream out, TrainableModel trainable) {
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
    public static void speed(PrintWriter err, long steps, long startedNanos) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        if (steps > 0 && seconds > 0) {
            err.printf(Locale.ROOT, "%d steps in %.2f s: %.0f steps/s%n", steps, seconds, steps / seconds);
            err.flush();
        }
    }
}
