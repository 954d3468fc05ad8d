package dev.modelc.cli;

import dev.modelc.runtime.Dataset;
import dev.modelc.runtime.data.DataException;
import dev.modelc.runtime.training.Training;

/** Loads the data a run trains on, the train block's CSV or the one given by --data; a bad file is a user error. */
final class DataFiles {
    private DataFiles() {
    }

    /**
     * Reads and splits the data. A path from the train block is relative to the model file's
     * folder; one from --data, to the current folder.
     */
    static Dataset load(Training training) {
        try {
            return training.dataset();
        } catch (DataException e) {
            throw new Failures.UserError(e.getMessage());
        }
    }
}
