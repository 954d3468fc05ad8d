package dev.modelc.runtime.training;

import dev.modelc.runtime.Dataset;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.data.DataException;
import dev.modelc.runtime.data.IdxFile;
import dev.modelc.runtime.data.IdxReader;
import dev.modelc.runtime.data.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Loads {@code data idx(...)}: the images feed the model's first input and the labels its
 * second; the test files' items are held out, or else a seeded fraction of the training items.
 */
final class IdxSource {
    private IdxSource() {
    }

    /** @param files the files, resolved, in the order images, labels, test images, test labels */
    static Dataset load(ModelSignature signature, ModelSignature.Data data, List<Path> files, long seed)
            throws DataException {
        List<ModelSignature.Input> inputs = signature.inputs();
        String images = files.get(0).toString();
        if (inputs.size() != 2) {
            throw new DataException(images, 0, "IDX files feed two inputs, the images and then their labels, but "
                    + "model " + signature.name() + " has " + inputs.size() + " ("
                    + inputs.stream().map(ModelSignature.Input::name).collect(Collectors.joining(", ")) + ")");
        }
        ModelSignature.Input pixels = inputs.get(0);
        ModelSignature.Input label = inputs.get(1);
        if (label.rowSize() != 1) {
            throw new DataException(files.get(1).toString(), 0, "the labels feed input " + label.name() + ", which "
                    + "takes " + label.rowSize() + " values per row; a label is one value, as in `input "
                    + label.name() + " : int[batch]`");
        }
        List<IdxReader.Pair> pairs = new ArrayList<>();
        pairs.add(new IdxReader.Pair(files.get(0), files.get(1)));
        if (files.size() == 4) {
            pairs.add(new IdxReader.Pair(files.get(2), files.get(3)));
        }
        IdxFile header = null;
        for (IdxReader.Pair pair : pairs) {
            header = IdxFile.header(pair.images());
            String misfit = header.misfit(pixels.name(), rowDims(pixels));
            if (misfit != null) {
                throw new DataException(header.source(), 0, misfit);
            }
        }
        Table table = IdxReader.read(pairs, label.integer() ? label.classes() : 0, label.name());
        if (pairs.size() == 2) {
            // The last header read is the test images': their items are the rows held out.
            return Dataset.heldOutLast(table, inputs, header.items(), data.standardize());
        }
        return Dataset.of(table, inputs, -1, data.testFraction(), data.standardize(), seed);
    }

    private static List<Integer> rowDims(ModelSignature.Input input) {
        List<Integer> dims = new ArrayList<>();
        for (int d : input.shape()) {
            if (d != ModelSignature.BATCH) {
                dims.add(d);
            }
        }
        return dims;
    }
}
