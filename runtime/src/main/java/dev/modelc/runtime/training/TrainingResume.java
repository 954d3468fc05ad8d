package dev.modelc.runtime.training;

import dev.modelc.runtime.Dataset;
import dev.modelc.runtime.LearningRateSchedule;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.TrainingPosition;
import dev.modelc.runtime.TrainingSettings;
import dev.modelc.runtime.checkpoint.Checkpoint;
import dev.modelc.runtime.checkpoint.CheckpointException;

/**
 * Going on from a checkpoint: a resumed run repeats the seed, batch size, shuffling and
 * training rows it started with, and everything is checked before the model is changed.
 */
final class TrainingResume {
    private TrainingResume() {
    }

    /** The seed set, else the checkpoint's (when its metadata is readable; else the error comes later), else the block's. */
    static long seed(Long set, Checkpoint checkpoint, long block) {
        if (set != null) {
            return set;
        }
        Checkpoint.Run run = savedRun(checkpoint);
        return run != null ? run.seed() : block;
    }

    static int batchSize(Checkpoint checkpoint, int block) {
        Checkpoint.Run run = savedRun(checkpoint);
        return run != null ? run.batchSize() : block;
    }

    private static Checkpoint.Run savedRun(Checkpoint checkpoint) {
        try {
            return checkpoint == null ? null : checkpoint.run();
        } catch (CheckpointException e) {
            return null;
        }
    }

    /**
     * A trainer that goes on from the checkpoint, after checking that this run can: same seed,
     * batches, shuffling and training rows, and a position that fits them.
     *
     * @param rate a base rate to go on with instead of the saved one, or null
     */
    static Trainer trainer(TrainableModel model, Dataset data, TrainingSettings settings, Checkpoint checkpoint,
                           Double rate) throws CheckpointException {
        Checkpoint.Run saved = checkpoint.run();
        requireSame(saved, settings, data);
        TrainingPosition position = checkpoint.position();
        long planned = settings.plannedSteps(data);
        LearningRateSchedule schedule = checkpoint.schedule(model.signature(), planned);
        if (rate != null) {
            schedule = schedule.withBaseRate(LearningRateSchedule.modelRate(model.signature(), rate));
        }
        Trainer trainer = new Trainer(model, data, settings, schedule);
        try {
            trainer.resumeFrom(position);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(e.getMessage());
        }
        checkpoint.resume(model);
        return trainer;
    }

    private static void requireSame(Checkpoint.Run saved, TrainingSettings settings, Dataset data)
            throws CheckpointException {
        if (settings.seed() != saved.seed()) {
            throw new CheckpointException("the seed " + settings.seed() + " differs from the checkpoint's seed "
                    + saved.seed() + "; a resumed run keeps its seed, which chose the initial values, the data split "
                    + "and the shuffles");
        }
        if (data == null) {
            return;
        }
        if (settings.batchSize() != saved.batchSize()) {
            throw new CheckpointException("the batch size " + settings.batchSize() + " differs from the checkpoint's "
                    + saved.batchSize() + "; a resumed run keeps its batches");
        }
        if (settings.shuffle() != saved.shuffle()) {
            throw new CheckpointException("the checkpoint was trained " + (saved.shuffle() ? "with" : "without")
                    + " shuffling, but the train block now says otherwise");
        }
        if (data.trainSize() != saved.trainRows()) {
            throw new CheckpointException("the checkpoint was trained on " + saved.trainRows() + " rows, but the data "
                    + "now gives " + data.trainSize() + "; a resumed run needs the same data");
        }
    }
}
