package dev.modelc.runtime.data;

import dev.modelc.runtime.HeapSize;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipException;

/**
 * Reads images and their labels from IDX files (MNIST's format, gzipped or not) into one
 * table: a row per image, its values in the file's order (row by row), then its label as the
 * last column. Values are kept as the file has them: pixels of unsigned bytes are 0 to 255.
 */
public final class IdxReader {
    private static final long MAX_ITEM = Integer.MAX_VALUE - 1L;

    private IdxReader() {
    }

    /** An images file and the labels file of the same items, in the same order. */
    public record Pair(Path images, Path labels) {
    }

    /**
     * Reads every pair in order into one table, each checked whole: its headers, that the
     * labels count the images, that the files hold exactly what their headers announce.
     *
     * @param classes labels must be whole numbers below it; 0 for any whole number from 0
     * @param labelInput the input the labels feed, named in messages
     */
    public static Table read(List<Pair> pairs, int classes, String labelInput) throws DataException {
        IdxFile first = IdxFile.header(pairs.get(0).images());
        for (Pair pair : pairs) {
            checkHeaders(first, IdxFile.header(pair.images()), IdxFile.header(pair.labels()));
        }
        Table.Builder table = new Table.Builder(first.source(), (int) first.itemSize() + 1, 1);
        try {
            for (Pair pair : pairs) {
                readPair(pair, table, classes, labelInput);
            }
        } catch (OutOfMemoryError e) {
            throw new DataException(first.source(), 0, "the data does not fit in memory: " + HeapSize.advice(), null);
        }
        return table.build();
    }

    /**
     * The images of a pair have items of one size, as many as the labels, which are one number
     * each; every pair's images are the size of the first's.
     */
    public static void checkHeaders(IdxFile first, IdxFile images, IdxFile labels) throws DataException {
        checkImages(first, images);
        checkLabels(images, labels);
    }

    /** Images of at most {@link Integer#MAX_VALUE} - 1 values each, the size of the first pair's. */
    public static void checkImages(IdxFile first, IdxFile images) throws DataException {
        if (images.itemSize() > MAX_ITEM) {
            throw new DataException(images.source(), 0, "its items are " + images.itemText() + ", more than "
                    + MAX_ITEM + " values each");
        }
        if (!images.itemDims().equals(first.itemDims())) {
            throw new DataException(images.source(), 0, "its images are " + images.itemText() + ", but those of "
                    + first.source() + " are " + first.itemText());
        }
    }

    /** One label per image. */
    public static void checkLabels(IdxFile images, IdxFile labels) throws DataException {
        if (labels.dims().size() != 1) {
            throw new DataException(labels.source(), 0, "has " + labels.dims().size() + " dimensions (items of "
                    + labels.itemText() + "); a labels file has one, the number of labels");
        }
        if (labels.items() != images.items()) {
            throw new DataException(labels.source(), 0, "holds " + labels.items() + " labels, but "
                    + images.source() + " holds " + images.items() + " images; each image needs one label");
        }
        if (labels.type() == 0x0D || labels.type() == 0x0E) {
            throw new DataException(labels.source(), 0, "holds floating-point numbers; labels are whole numbers "
                    + "(type 08, 09, 0B or 0C)");
        }
    }

    private static void readPair(Pair pair, Table.Builder table, int classes, String labelInput)
            throws DataException {
        int rows = Math.toIntExact(table.cells() / table.columns());
        try (DataInputStream in = IdxFile.open(pair.images())) {
            IdxFile header = IdxFile.header(pair.images().toString(), in);
            double[] image = new double[(int) header.itemSize()];
            for (int item = 0; item < header.items(); item++) {
                readItem(in, header, item, image);
                for (double v : image) {
                    table.add(v);
                }
                table.add(0); // the label's place, filled in below
            }
            requireEnd(in, header);
        } catch (IOException e) {
            throw IdxFile.unreadable(pair.images().toString(), e);
        }
        try (DataInputStream in = IdxFile.open(pair.labels())) {
            IdxFile header = IdxFile.header(pair.labels().toString(), in);
            double[] label = new double[1];
            for (int item = 0; item < header.items(); item++) {
                readItem(in, header, item, label);
                if (label[0] < 0 || classes > 0 && label[0] >= classes) {
                    throw new DataException(header.source(), 0, "label " + (item + 1) + " of " + header.items()
                            + " is " + (long) label[0] + ", but input " + labelInput + " takes classes "
                            + (classes > 0 ? "0 to " + (classes - 1) : "from 0"));
                }
                table.set((long) (rows + item) * table.columns() + table.columns() - 1, label[0]);
            }
            requireEnd(in, header);
        } catch (IOException e) {
            throw IdxFile.unreadable(pair.labels().toString(), e);
        }
    }

    /** Reads item {@code item} into {@code values}, as many as the item holds. */
    private static void readItem(DataInputStream in, IdxFile header, int item, double[] values)
            throws IOException, DataException {
        try {
            if (header.type() == 0x08) {
                byte[] bytes = in.readNBytes(values.length);
                if (bytes.length < values.length) {
                    throw new EOFException();
                }
                for (int i = 0; i < values.length; i++) {
                    values[i] = bytes[i] & 0xff;
                }
                return;
            }
            for (int i = 0; i < values.length; i++) {
                values[i] = switch (header.type()) {
                    case 0x09 -> in.readByte();
                    case 0x0B -> in.readShort();
                    case 0x0C -> in.readInt();
                    case 0x0D -> in.readFloat();
                    default -> in.readDouble();
                };
                if (!Double.isFinite(values[i])) {
                    throw new DataException(header.source(), 0, "item " + (item + 1) + " holds " + values[i]
                            + "; values must be finite numbers");
                }
            }
        } catch (EOFException e) {
            throw new DataException(header.source(), 0, "ends inside item " + (item + 1) + " of the " + header.items()
                    + " its header announces (" + header.itemText() + " each); is the file complete?");
        } catch (ZipException e) {
            throw new DataException(header.source(), 0, "the gzip data is corrupt in item " + (item + 1) + " ("
                    + e.getMessage() + ")");
        }
    }

    private static void requireEnd(DataInputStream in, IdxFile header) throws IOException, DataException {
        if (in.read() != -1) {
            throw new DataException(header.source(), 0, "holds more bytes than the " + header.items() + " items of "
                    + header.itemText() + " its header announces; the header or the file is wrong");
        }
    }
}
