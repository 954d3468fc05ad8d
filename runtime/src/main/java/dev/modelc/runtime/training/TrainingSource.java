package dev.modelc.runtime.training;

import dev.modelc.runtime.Dataset;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.data.CsvReader;
import dev.modelc.runtime.data.DataException;
import dev.modelc.runtime.data.Table;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a run's rows come from: the train block's CSV or IDX files (relative to the model's folder),
 * another file with the same layout (relative to the current folder), or rows already loaded.
 *
 * @param data the layout and path in force, or null when the model declares no data
 * @param fromBlock whether the path is the train block's, and so relative to {@code folder}
 * @param folder the model file's folder, or null for the current folder
 * @param dataset rows already loaded, or null
 */
record TrainingSource(ModelSignature.Data data, boolean fromBlock, Path folder, Dataset dataset) {

    static TrainingSource of(ModelSignature signature) {
        ModelSignature.Data declared = signature.train() == null ? null : signature.train().data();
        return new TrainingSource(declared, declared != null, null, null);
    }

    /** Another file: the train block's layout, or without one the last column as the label and nothing held out. */
    TrainingSource file(Path file) {
        ModelSignature.Data layout = data == null ? new ModelSignature.Data(file.toString(), -1, 0, 0, false)
                : data.withPath(file.toString());
        return new TrainingSource(layout, false, folder, null);
    }

    TrainingSource dataset(Dataset rows) {
        return new TrainingSource(data, fromBlock, folder, rows);
    }

    TrainingSource folder(Path modelFolder) {
        return new TrainingSource(data, fromBlock, modelFolder, dataset);
    }

    /** The file to read: a train block's path is relative to the model's folder, another to the current one. */
    Path path() throws DataException {
        return resolve(data.path());
    }

    private Path resolve(String name) throws DataException {
        Path path;
        try {
            path = Path.of(name);
        } catch (InvalidPathException e) {
            throw new DataException(name.replace("\0", "\\0"), 0, "not a possible file name ("
                    + e.getReason() + ")");
        }
        if (fromBlock && folder != null && !path.isAbsolute()) {
            return folder.resolve(path).normalize();
        }
        return path;
    }

    /** The IDX files to read, resolved as {@link #path()} is: images, labels, then any test images and labels. */
    private List<Path> idxFiles() throws DataException {
        ModelSignature.Idx idx = data.idx();
        List<Path> files = new ArrayList<>(List.of(resolve(idx.images()), resolve(idx.labels())));
        if (idx.testFiles()) {
            files.add(resolve(idx.testImages()));
            files.add(resolve(idx.testLabels()));
        }
        return files;
    }

    Dataset load(ModelSignature signature, long seed) throws DataException {
        if (dataset != null) {
            return dataset;
        }
        if (data == null) {
            throw new IllegalStateException("model " + signature.name() + " has inputs but no data: add `data csv("
                    + "\"file.csv\", label = last)` to its train block, or give a file with data(path)");
        }
        if (data.idx() != null) {
            return IdxSource.load(signature, data, idxFiles(), seed);
        }
        Table table = new CsvReader().read(path(), data.skipLines(), data.header());
        return Dataset.of(table, signature.inputs(), data, seed);
    }
}
