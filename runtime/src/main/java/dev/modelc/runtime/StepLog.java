package dev.modelc.runtime;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes one CSV row per step: the step (updates made before it), the epoch (0 without data),
 * the learning rate, the loss and the metrics of that step's forward pass, and, when every
 * parameter is a scalar, each parameter's value at that loss. Numbers are written so that they
 * read back exactly. The writer is flushed at the end and left open for its owner to close.
 */
public final class StepLog implements Trainer.Listener {
    private final Writer out;

    public StepLog(Writer out) {
        this.out = out instanceof BufferedWriter ? out : new BufferedWriter(out);
    }

    /** The header row for a model. */
    public static String header(ModelSignature s) {
        StringBuilder header = new StringBuilder("step,epoch,lr,").append(s.loss());
        s.metrics().forEach(m -> header.append(',').append(m));
        if (s.allParamsScalar()) {
            s.params().forEach(p -> header.append(',').append(p.name()));
        }
        return header.toString();
    }

    @Override
    public void started(TrainableModel model, Trainer.Plan plan) {
        write(header(model.signature()));
    }

    @Override
    public void step(TrainableModel model, long step, long epoch, double loss) {
        row(model, step, epoch, loss);
    }

    @Override
    public void finished(TrainableModel model, Trainer.Result result) {
        flush();
    }

    private void row(TrainableModel model, long step, long epoch, double loss) {
        ModelSignature s = model.signature();
        StringBuilder row = new StringBuilder().append(step).append(',').append(epoch).append(',')
                .append(model.learningRate()).append(',').append(loss);
        for (int m = 0; m < s.metrics().size(); m++) {
            row.append(',').append(model.metric(m));
        }
        if (s.allParamsScalar()) {
            List<ModelSignature.Param> params = s.params();
            for (int p = 0; p < params.size(); p++) {
                row.append(',').append(model.param(p, 0));
            }
        }
        write(row.toString());
    }

    private void write(String line) {
        try {
            out.write(line);
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
