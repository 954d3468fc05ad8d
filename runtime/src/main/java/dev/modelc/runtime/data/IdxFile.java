package dev.modelc.runtime.data;

import dev.modelc.runtime.InputFile;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The header of an IDX file, the format MNIST and Fashion-MNIST come in: two zero bytes, a byte
 * for the element type, a byte for the number of dimensions, then each dimension as a big-endian
 * 32-bit count, the first being the number of items. The file may be gzipped (found by its first
 * bytes, whatever its name).
 *
 * @param source the file as it was named, for messages
 * @param type the element type's code: 0x08 unsigned byte, 0x09 signed byte, 0x0B 16-bit, 0x0C
 *             32-bit integer, 0x0D 32-bit float, 0x0E 64-bit float
 * @param dims every dimension, the number of items first
 */
public record IdxFile(String source, int type, List<Integer> dims) {
    private static final int MAX_DIMS = 16;

    public IdxFile {
        dims = List.copyOf(dims);
    }

    /** The number of items: images, or labels. */
    public int items() {
        return dims.get(0);
    }

    /** The dimensions of one item, such as [28, 28]; empty for a label. */
    public List<Integer> itemDims() {
        return dims.subList(1, dims.size());
    }

    /** The values in one item. */
    public long itemSize() {
        long size = 1;
        for (int d : itemDims()) {
            size *= d;
        }
        return size;
    }

    /** An item's dimensions as people write them: "28x28", or "1 value" for a scalar item. */
    public String itemText() {
        return itemDims().isEmpty() ? "1 value" : itemDims().stream().map(String::valueOf)
                .collect(Collectors.joining("x"));
    }

    /** Bytes per element of the type, or 0 for a code that is no IDX type. */
    static int elementBytes(int type) {
        return switch (type) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> 0;
        };
    }

    /**
     * Whether an input whose row has {@code rowDims} (the shape without the batch) takes one
     * item: a flat row of as many values, or the same dimensions once dimensions of 1 are left
     * out, so 28x28 images fit {@code [batch, 784]}, {@code [batch, 28, 28]} and
     * {@code [batch, 1, 28, 28]}, and not {@code [batch, 1, 14, 56]}.
     */
    public boolean fits(List<Integer> rowDims) {
        long size = 1;
        for (int d : rowDims) {
            size *= d;
        }
        if (size != itemSize()) {
            return false;
        }
        return rowDims.size() <= 1 || withoutOnes(rowDims).equals(withoutOnes(itemDims()));
    }

    /**
     * Why an input whose row has {@code rowDims} cannot take these items, said after the file's
     * name, or null when it can.
     */
    public String misfit(String input, List<Integer> rowDims) {
        if (fits(rowDims)) {
            return null;
        }
        String items = itemDims().stream().map(String::valueOf).collect(Collectors.joining(", "));
        return "holds items of " + itemText() + " (" + itemSize() + " values), which do not fit input " + input
                + " : " + shape(rowDims) + "; declare it as [batch, " + itemSize() + "]"
                + (itemDims().size() > 1 ? " or [batch, 1, " + items + "]" : "");
    }

    private static String shape(List<Integer> rowDims) {
        return rowDims.stream().map(String::valueOf).collect(Collectors.joining(", ", "[batch, ", "]"))
                .replace("[batch, ]", "[batch]");
    }

    private static List<Integer> withoutOnes(List<Integer> dims) {
        List<Integer> kept = new ArrayList<>();
        for (int d : dims) {
            if (d != 1) {
                kept.add(d);
            }
        }
        return kept;
    }

    /** Reads the header of the file at {@code path}. */
    public static IdxFile header(Path path) throws DataException {
        try (DataInputStream in = open(path)) {
            return header(path.toString(), in);
        } catch (IOException e) {
            throw unreadable(path.toString(), e);
        }
    }

    /** The file's bytes, unpacked when they are gzip data; the caller closes the stream. */
    static DataInputStream open(Path path) throws IOException, DataException {
        String source = path.toString();
        if (Files.isDirectory(path)) {
            throw new DataException(source, 0, "is a folder, not a file");
        }
        BufferedInputStream in = new BufferedInputStream(InputFile.open(path), 1 << 16);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        if (first == 0x1F && second == 0x8B) {
            try {
                return new DataInputStream(new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16));
            } catch (ZipException | EOFException e) {
                in.close();
                throw new DataException(source, 0, "the gzip data is corrupt or incomplete (" + e.getMessage() + ")");
            }
        }
        return new DataInputStream(in);
    }

    /** Reads the header from the stream's start. */
    static IdxFile header(String source, DataInputStream in) throws IOException, DataException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new DataException(source, 0, magic.length == 0 ? "the file is empty; an IDX file starts with a "
                    + "4-byte magic number" : "ends after " + magic.length + " bytes, inside the IDX magic number");
        }
        if (magic[0] != 0 || magic[1] != 0 || elementBytes(magic[2] & 0xff) == 0 || magic[3] == 0
                || (magic[3] & 0xff) > MAX_DIMS) {
            throw new DataException(source, 0, "is not an IDX file: its magic number is " + hex(magic) + ", not "
                    + "00 00, a type (08 for unsigned bytes) and a number of dimensions (03 for images, 01 for "
                    + "labels)");
        }
        int rank = magic[3] & 0xff;
        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            byte[] count = in.readNBytes(4);
            if (count.length < 4) {
                throw new DataException(source, 0, "ends inside its header: it announces " + rank + " dimensions "
                        + "but holds " + i);
            }
            int d = ((count[0] & 0xff) << 24) | ((count[1] & 0xff) << 16) | ((count[2] & 0xff) << 8) | (count[3] & 0xff);
            if (d <= 0) {
                throw new DataException(source, 0, "dimension " + (i + 1) + " of its header is "
                        + Integer.toUnsignedString(d) + "; IDX dimensions here are from 1 to " + Integer.MAX_VALUE);
            }
            dims.add(d);
        }
        return new IdxFile(source, magic[2] & 0xff, dims);
    }

    static DataException unreadable(String source, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new DataException(source, 0, "no such file", e);
        }
        if (e instanceof AccessDeniedException) {
            return new DataException(source, 0, "cannot be read: permission denied", e);
        }
        if (e instanceof EOFException) {
            return new DataException(source, 0, "the gzip data ends too early; is the file complete?", e);
        }
        if (e instanceof ZipException) {
            return new DataException(source, 0, "the gzip data is corrupt (" + e.getMessage() + ")", e);
        }
        if (e instanceof FileSystemException f) {
            return new DataException(source, 0, "cannot be read" + (f.getReason() != null ? ": " + f.getReason()
                    : ""), e);
        }
        return new DataException(source, 0, "cannot be read: " + e.getMessage(), e);
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(text.length() == 0 ? "" : " ").append(String.format("%02X", b & 0xff));
        }
        return text.toString();
    }
}
