package dev.modelc.runtime.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelc.runtime.Dataset;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.data.DataException;
import dev.modelc.runtime.data.IdxFiles;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code data idx(...)} as training loads it: the files relative to the model's folder, the split, standardizing. */
class IdxTrainingDataTest {
    private static final int B = ModelSignature.BATCH;
    private static final int[] LABELS = {3, 0, 9, 1, 7};
    private static final int[] TEST_LABELS = {2, 8};

    @TempDir
    Path dir;

    @BeforeEach
    void files() throws Exception {
        IdxFiles.write(dir.resolve("train-images.gz"), IdxFiles.images(5, 2, 2));
        IdxFiles.write(dir.resolve("train-labels.gz"), IdxFiles.labels(LABELS));
        IdxFiles.write(dir.resolve("test-images"), IdxFiles.bytes(new int[] {2, 2, 2}, new byte[] {1, 2, 3, 4,
                (byte) 250, 6, 7, 8}));
        IdxFiles.write(dir.resolve("test-labels"), IdxFiles.labels(TEST_LABELS));
    }

    @Test
    void theTestFilesAreTheHeldOutRows() throws Exception {
        Dataset data = load(List.of(B, 1, 2, 2), new ModelSignature.Idx("train-images.gz", "train-labels.gz",
                "test-images", "test-labels"), 0, false);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, data.trainRows());
        assertArrayEquals(new int[] {5, 6}, data.testRows());
        for (int i = 0; i < 5; i++) {
            for (int k = 0; k < 4; k++) {
                assertEquals(IdxFiles.pixel(i, k), data.value(i, data.columns(0)[k]));
            }
            assertEquals(LABELS[i], data.value(i, data.columns(1)[0]));
        }
        assertEquals(250, data.value(6, 0));
        assertEquals(TEST_LABELS[1], data.value(6, 4));
    }

    @Test
    void aFractionOfTheTrainingImagesIsHeldOutWithoutTestFiles() throws Exception {
        Dataset data = load(List.of(B, 4), new ModelSignature.Idx("train-images.gz", "train-labels.gz"), 0.4, false);
        assertEquals(3, data.trainSize());
        assertEquals(2, data.testSize());
        int[] all = new int[5];
        System.arraycopy(data.trainRows(), 0, all, 0, 3);
        System.arraycopy(data.testRows(), 0, all, 3, 2);
        Arrays.sort(all);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, all);
    }

    @Test
    void standardizingUsesTheTrainingImagesAlone() throws Exception {
        Dataset data = load(List.of(B, 4), new ModelSignature.Idx("train-images.gz", "train-labels.gz",
                "test-images", "test-labels"), 0, true);
        for (int k = 0; k < 4; k++) {
            double sum = 0;
            for (int i = 0; i < 5; i++) {
                sum += IdxFiles.pixel(i, k);
            }
            double mean = sum / 5;
            double squares = 0;
            for (int i = 0; i < 5; i++) {
                squares += (IdxFiles.pixel(i, k) - mean) * (IdxFiles.pixel(i, k) - mean);
            }
            assertEquals(mean, data.mean(k), 1e-12);
            assertEquals(Math.sqrt(squares / 5), data.std(k), 1e-12);
        }
        assertEquals(0, data.mean(4));
        assertEquals(1, data.std(4));
    }

    @Test
    void imagesThatDoNotFitTheInputAreTheImagesFilesFault() {
        DataException e = assertThrows(DataException.class, () -> load(List.of(B, 1, 1, 4),
                new ModelSignature.Idx("train-images.gz", "train-labels.gz"), 0, false));
        assertEquals(dir.resolve("train-images.gz").toString(), e.source());
        assertEquals("holds items of 2x2 (4 values), which do not fit input x : [batch, 1, 1, 4]; declare it as "
                + "[batch, 4] or [batch, 1, 2, 2]", e.problem());
    }

    @Test
    void aLabelBeyondTheClassesOfTheLabelInputIsAnError() {
        DataException e = assertThrows(DataException.class, () -> load(List.of(B, 4), 8,
                new ModelSignature.Idx("train-images.gz", "train-labels.gz"), 0, false));
        assertEquals(dir.resolve("train-labels.gz").toString(), e.source());
        assertEquals("label 3 of 5 is 9, but input y takes classes 0 to 7", e.problem());
    }

    @Test
    void anotherFileForAnIdxModelIsCsvWithTheLabelLast() {
        ModelSignature.Data idx = ModelSignature.Data.idx(new ModelSignature.Idx("a", "b"), 0.25, true);
        assertEquals(new ModelSignature.Data("rows.csv", -1, 0, 0.25, true), idx.withPath("rows.csv"));
    }

    private Dataset load(List<Integer> shape, ModelSignature.Idx files, double test, boolean standardize)
            throws DataException {
        return load(shape, 10, files, test, standardize);
    }

    private Dataset load(List<Integer> shape, int classes, ModelSignature.Idx files, double test, boolean standardize)
            throws DataException {
        List<ModelSignature.Input> inputs = List.of(new ModelSignature.Input("x", shape, false, 0),
                new ModelSignature.Input("y", List.of(B), true, classes));
        ModelSignature.TrainDefaults train = new ModelSignature.TrainDefaults("gd", Map.of("lr", 0.1),
                ModelSignature.Schedule.CONSTANT, 0, -1, 7, 2, false, 1, ModelSignature.Data.idx(files, test,
                standardize), null);
        ModelSignature signature = new ModelSignature("Images", "images.model", "f64", List.of(), inputs, "L",
                List.of(), null, train);
        return Training.of(signature).modelFolder(dir).dataset();
    }
}
