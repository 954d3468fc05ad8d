package dev.modelc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsPixelsAsTheirByteValuesThenTheLabelGzippedOrNot() throws Exception {
        for (String suffix : List.of("", ".gz")) {
            Path images = IdxFiles.write(dir.resolve("images" + suffix), IdxFiles.images(5, 2, 3));
            Path labels = IdxFiles.write(dir.resolve("labels" + suffix), IdxFiles.labels(3, 0, 9, 1, 7));
            Table table = IdxReader.read(List.of(new IdxReader.Pair(images, labels)), 10, "y");
            assertEquals(5, table.rows());
            assertEquals(7, table.columns());
            int[] expectedLabels = {3, 0, 9, 1, 7};
            for (int i = 0; i < 5; i++) {
                for (int k = 0; k < 6; k++) {
                    assertEquals(IdxFiles.pixel(i, k), table.get(i, k), "image " + i + " pixel " + k);
                }
                assertEquals(expectedLabels[i], table.get(i, 6));
            }
        }
    }

    @Test
    void pixelsAboveOneHundredTwentySevenAreNotNegative() throws Exception {
        Path images = IdxFiles.write(dir.resolve("i"), IdxFiles.bytes(new int[] {1, 2}, new byte[] {(byte) 200,
                (byte) 255}));
        Path labels = IdxFiles.write(dir.resolve("l"), IdxFiles.labels(2));
        Table table = IdxReader.read(List.of(new IdxReader.Pair(images, labels)), 0, "y");
        assertEquals(200, table.get(0, 0));
        assertEquals(255, table.get(0, 1));
        assertEquals(2, table.get(0, 2));
    }

    @Test
    void pairsFollowOneAnotherInOrder() throws Exception {
        Path images = IdxFiles.write(dir.resolve("a.gz"), IdxFiles.images(2, 2, 2));
        Path labels = IdxFiles.write(dir.resolve("b.gz"), IdxFiles.labels(4, 5));
        Path testImages = IdxFiles.write(dir.resolve("c"), IdxFiles.bytes(new int[] {1, 2, 2}, new byte[] {9, 8, 7,
                6}));
        Path testLabels = IdxFiles.write(dir.resolve("d"), IdxFiles.labels(1));
        Table table = IdxReader.read(List.of(new IdxReader.Pair(images, labels), new IdxReader.Pair(testImages,
                testLabels)), 6, "y");
        assertEquals(3, table.rows());
        assertEquals(IdxFiles.pixel(1, 3), table.get(1, 3));
        assertEquals(5, table.get(1, 4));
        assertEquals(List.of(9.0, 8.0, 7.0, 6.0, 1.0), List.of(table.get(2, 0), table.get(2, 1), table.get(2, 2),
                table.get(2, 3), table.get(2, 4)));
    }

    @Test
    void aHeaderTellsTheItemsAndTheirShape() throws Exception {
        Path images = IdxFiles.write(dir.resolve("i.gz"), IdxFiles.images(4, 28, 28));
        IdxFile header = IdxFile.header(images);
        assertEquals(4, header.items());
        assertEquals(List.of(28, 28), header.itemDims());
        assertEquals(784, header.itemSize());
        assertEquals("28x28", header.itemText());
    }

    @Test
    void imagesFitAFlatRowOrTheSameDimensionsAsideFromOnes() {
        IdxFile images = new IdxFile("i", 0x08, List.of(10, 28, 28));
        assertTrue(images.fits(List.of(784)));
        assertTrue(images.fits(List.of(28, 28)));
        assertTrue(images.fits(List.of(1, 28, 28)));
        assertTrue(images.fits(List.of(28, 1, 28)));
        assertFalse(images.fits(List.of(1, 14, 56)));
        assertFalse(images.fits(List.of(783)));
        assertFalse(images.fits(List.of(3, 28, 28)));
        assertEquals(null, images.misfit("x", List.of(784)));
        assertEquals("holds items of 28x28 (784 values), which do not fit input x : [batch, 1, 14, 56]; declare it "
                + "as [batch, 784] or [batch, 1, 28, 28]", images.misfit("x", List.of(1, 14, 56)));
    }

    @Test
    void aWrongMagicNumberIsNotAnIdxFile() throws Exception {
        Path images = dir.resolve("images.csv");
        Files.writeString(images, "1,2,3\n");
        Path labels = IdxFiles.write(dir.resolve("l"), IdxFiles.labels(1));
        DataException e = assertThrows(DataException.class, () -> read(images, labels));
        assertEquals(images.toString(), e.source());
        assertEquals("is not an IDX file: its magic number is 31 2C 32 2C, not 00 00, a type (08 for unsigned "
                + "bytes) and a number of dimensions (03 for images, 01 for labels)", e.problem());
    }

    @Test
    void aTruncatedFileSaysWhereItEnds() throws Exception {
        byte[] whole = IdxFiles.images(3, 2, 2);
        for (String name : List.of("cut", "cut.gz")) {
            Path images = IdxFiles.write(dir.resolve(name), Arrays.copyOf(whole, whole.length - 1));
            Path labels = IdxFiles.write(dir.resolve("l"), IdxFiles.labels(0, 1, 2));
            DataException e = assertThrows(DataException.class, () -> read(images, labels));
            assertEquals(images.toString(), e.source());
            assertEquals("ends inside item 3 of the 3 its header announces (2x2 each); is the file complete?",
                    e.problem());
        }
    }

    @Test
    void aCutGzipStreamIsReportedWithItsFile() throws Exception {
        Path whole = IdxFiles.write(dir.resolve("whole.gz"), IdxFiles.images(50, 8, 8));
        byte[] packed = Files.readAllBytes(whole);
        Path images = dir.resolve("cut.gz");
        Files.write(images, Arrays.copyOf(packed, packed.length / 2));
        Path labels = IdxFiles.write(dir.resolve("l"), IdxFiles.labels(new int[50]));
        DataException e = assertThrows(DataException.class, () -> read(images, labels));
        assertEquals(images.toString(), e.source());
        assertTrue(e.problem().contains("is the file complete?"), e.problem());
    }

    @Test
    void bytesBeyondWhatTheHeaderAnnouncesAreAnError() throws Exception {
        byte[] whole = IdxFiles.images(2, 2, 2);
        Path images = IdxFiles.write(dir.resolve("long"), Arrays.copyOf(whole, whole.length + 3));
        Path labels = IdxFiles.write(dir.resolve("l"), IdxFiles.labels(0, 1));
        DataException e = assertThrows(DataException.class, () -> read(images, labels));
        assertEquals("holds more bytes than the 2 items of 2x2 its header announces; the header or the file is "
                + "wrong", e.problem());
    }

    @Test
    void labelsMustCountTheImages() throws Exception {
        Path images = IdxFiles.write(dir.resolve("i"), IdxFiles.images(3, 2, 2));
        Path labels = IdxFiles.write(dir.resolve("l"), IdxFiles.labels(0, 1));
        DataException e = assertThrows(DataException.class, () -> read(images, labels));
        assertEquals(labels.toString(), e.source());
        assertEquals("holds 2 labels, but " + images + " holds 3 images; each image needs one label", e.problem());
    }

    @Test
    void aLabelBeyondTheClassesNamesItsPlace() throws Exception {
        Path images = IdxFiles.write(dir.resolve("i"), IdxFiles.images(3, 2, 2));
        Path labels = IdxFiles.write(dir.resolve("l"), IdxFiles.labels(0, 10, 1));
        DataException e = assertThrows(DataException.class, () -> read(images, labels));
        assertEquals(labels.toString(), e.source());
        assertEquals("label 2 of 3 is 10, but input y takes classes 0 to 9", e.problem());
    }

    @Test
    void aLabelsFileHasOneDimension() throws Exception {
        Path images = IdxFiles.write(dir.resolve("i"), IdxFiles.images(3, 2, 2));
        Path labels = IdxFiles.write(dir.resolve("l"), IdxFiles.images(3, 1, 1));
        DataException e = assertThrows(DataException.class, () -> read(images, labels));
        assertEquals("has 3 dimensions (items of 1x1); a labels file has one, the number of labels", e.problem());
    }

    @Test
    void testImagesMustBeTheTrainingImagesSize() throws Exception {
        Path images = IdxFiles.write(dir.resolve("i"), IdxFiles.images(3, 2, 2));
        Path labels = IdxFiles.write(dir.resolve("l"), IdxFiles.labels(0, 1, 2));
        Path other = IdxFiles.write(dir.resolve("t"), IdxFiles.images(1, 3, 3));
        Path otherLabels = IdxFiles.write(dir.resolve("tl"), IdxFiles.labels(0));
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(List.of(
                new IdxReader.Pair(images, labels), new IdxReader.Pair(other, otherLabels)), 10, "y"));
        assertEquals(other.toString(), e.source());
        assertEquals("its images are 3x3, but those of " + images + " are 2x2", e.problem());
    }

    @Test
    void aMissingOrEmptyFileIsNamed() throws Exception {
        Path labels = IdxFiles.write(dir.resolve("l"), IdxFiles.labels(0));
        DataException missing = assertThrows(DataException.class, () -> read(dir.resolve("nope.gz"), labels));
        assertEquals(dir.resolve("nope.gz").toString(), missing.source());
        assertEquals("no such file", missing.problem());
        Path empty = Files.createFile(dir.resolve("empty"));
        DataException e = assertThrows(DataException.class, () -> read(empty, labels));
        assertEquals("the file is empty; an IDX file starts with a 4-byte magic number", e.problem());
    }

    private static Table read(Path images, Path labels) throws DataException {
        return IdxReader.read(List.of(new IdxReader.Pair(images, labels)), 10, "y");
    }

}
