package dev.modelc.cli;

import dev.modelc.runtime.HeldOut;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.data.DataException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code --save-best FILE}: after every epoch whose held-out value is the best so far (the
 * loss, lower; or the metric the stop condition watches, which way it asks), the checkpoint of
 * that moment, written whole or not at all, so that it resumes exactly from there.
 */
final class BestCheckpoint implements Trainer.Listener {
    private final Path path;
    private final TrainSetup setup;
    private final Trainer trainer;
    private double best = Double.NaN;
    private long bestEpoch;
    private long bestStep;

    BestCheckpoint(Path path, TrainSetup setup, Trainer trainer) {
        this.path = path;
        this.setup = setup;
        this.trainer = trainer;
    }

    @Override
    public void epoch(TrainableModel model, Trainer.EpochStats stats) {
        if (stats.test() == null) {
            return;
        }
        double value = HeldOut.value(model.signature(), stats.test());
        if (!Double.isFinite(value) || !HeldOut.better(model.signature(), value, best)) {
            return;
        }
        try {
            setup.training().save(model, trainer.epochEnd(), path);
        } catch (IOException e) {
            throw RunFiles.cannotWrite("--save-best", path, e);
        } catch (DataException e) {
            throw new Failures.UserError(e.getMessage());
        }
        best = value;
        bestEpoch = stats.epoch();
        bestStep = stats.steps();
    }

    /** What was kept: {@code saved the best test_loss (0.0412, epoch 7, step 700) to best.st}. */
    String summary(TrainableModel model) {
        if (Double.isNaN(best)) {
            return "nothing saved to " + path + ": no epoch ended with a finite " + HeldOut.name(model.signature());
        }
        return "saved the best " + HeldOut.name(model.signature()) + " (" + String.format(Locale.ROOT, "%.4f", best)
                + ", epoch " + bestEpoch + ", step " + bestStep + ") to " + path;
    }
}
