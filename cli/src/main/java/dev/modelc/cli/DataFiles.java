package dev.modelc.cli;

import dev.modelc.ModelCompiler;
import dev.modelc.runtime.Dataset;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.data.DataException;
import dev.modelc.runtime.training.Training;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Finds and loads the data a run trains on, the train block's CSV or the one given by --data; a bad file is a user error. */
final class DataFiles {
    private DataFiles() {
    }

    /** The data source: the train block's, with its path replaced by {@code override} when given. */
    static ModelSignature.Data source(ModelCompiler.Result result, Path override, Path modelFile) {
        ModelSignature.Data declared = result.simplified().train().data()
                .map(d -> d.idx() != null ? ModelSignature.Data.idx(d.idx(), d.testFraction(), d.standardize())
                        : new ModelSignature.Data(d.path(), d.labelColumn(), d.skipLines(), d.testFraction(),
                                d.standardize()))
                .orElse(null);
        return source(declared, result.simplified().name(), override);
    }

    /** The same, from a loaded model's signature. */
    static ModelSignature.Data source(ModelSignature signature, Path override, Path modelFile) {
        return source(signature.train().data(), signature.name(), override);
    }

    private static ModelSignature.Data source(ModelSignature.Data declared, String modelName, Path override) {
        if (declared == null && override == null) {
            throw new Failures.UserError("model `" + modelName + "` has inputs but no data: add "
                    + "`data csv(\"file.csv\", label = last)` to its train block, or give --data FILE");
        }
        if (declared == null) {
            return new ModelSignature.Data(override.toString(), -1, 0, 0, false);
        }
        return override == null ? declared : new ModelSignature.Data(override.toString(), declared.labelColumn(),
                declared.skipLines(), declared.testFraction(), declared.standardize());
    }

    /** The file the data is read from: a path from the train block is relative to the model file's folder. */
    static Path path(ModelSignature.Data source, Path modelFile, boolean fromFlag) {
        Path path;
        try {
            path = Path.of(source.path());
        } catch (InvalidPathException e) {
            throw new Failures.UserError(source.path().replace("\0", "\\0") + ": not a possible file name ("
                    + e.getReason() + ")");
        }
        if (!fromFlag && !path.isAbsolute()) {
            Path folder = modelFile.toAbsolutePath().getParent();
            path = folder == null ? path : folder.resolve(path).normalize();
        }
        return path;
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
