package dev.modelc.runtime.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests: the header as the format lays it out, then the bytes given. */
public final class IdxFiles {
    private IdxFiles() {
    }

    /** The bytes of an IDX file of unsigned bytes with these dimensions (the item count first). */
    public static byte[] bytes(int[] dims, byte[] values) {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length);
        header.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
        for (int d : dims) {
            header.putInt(d);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.array());
        out.writeBytes(values);
        return out.toByteArray();
    }

    /** Writes the bytes, gzipped when the name ends in .gz. */
    public static Path write(Path file, byte[] bytes) throws IOException {
        if (file.toString().endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(bytes);
            }
        } else {
            Files.write(file, bytes);
        }
        return file;
    }

    /** Images of {@code rows} x {@code cols} pixels whose pixel k of image i is (37 * i + 11 * k) mod 256. */
    public static byte[] images(int count, int rows, int cols) {
        byte[] pixels = new byte[count * rows * cols];
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < rows * cols; k++) {
                pixels[i * rows * cols + k] = (byte) pixel(i, k);
            }
        }
        return bytes(new int[] {count, rows, cols}, pixels);
    }

    public static int pixel(int image, int k) {
        return (37 * image + 11 * k) % 256;
    }

    public static byte[] labels(int... labels) {
        byte[] values = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            values[i] = (byte) labels[i];
        }
        return bytes(new int[] {labels.length}, values);
    }
}
