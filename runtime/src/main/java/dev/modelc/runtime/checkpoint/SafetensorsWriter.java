package dev.modelc.runtime.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a safetensors file as a stream: the header with the checksum's digits zeroed, then
 * each tensor's elements a chunk at a time, every byte hashed on its way out; last, the digits
 * are written into their place in the header. Nothing is held but the header and one chunk,
 * so whatever a model can hold can be saved, however large.
 */
final class SafetensorsWriter {
    private static final int CHUNK = 1 << 16;
    private static final String CHECKSUM_PREFIX = "sha256:";
    private static final String NO_CHECKSUM = CHECKSUM_PREFIX + "0".repeat(64);

    /** The elements of one tensor, by index in row-major order. */
    @FunctionalInterface
    interface Elements {
        double at(int index);
    }

    /** One tensor to write: its name, dtype (F32 or F64), shape, and where its elements come from. */
    record Source(String name, String dtype, List<Integer> shape, Elements elements) {
        Source {
            shape = List.copyOf(shape);
            if (Tensor.itemSize(dtype) == 0) {
                throw new IllegalArgumentException("dtype must be F32 or F64, got " + dtype);
            }
            if (Tensor.elements(shape) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tensor " + name + " has more than " + Integer.MAX_VALUE
                        + " elements, more than a checkpoint can give back");
            }
        }

        int count() {
            return (int) Tensor.elements(shape);
        }

        long byteSize() {
            return (long) count() * Tensor.itemSize(dtype);
        }
    }

    /** Where the bytes go: in order, and once at the end into a place already written. */
    private interface Sink {
        void write(ByteBuffer bytes) throws IOException;

        void patch(long position, byte[] bytes) throws IOException;
    }

    private SafetensorsWriter() {
    }

    /** The whole file's size: the length prefix, the header and the data. */
    static long size(Map<String, String> metadata, List<Source> tensors) {
        long size = 8 + header(metadata, tensors).length;
        for (Source t : tensors) {
            size += t.byteSize();
        }
        return size;
    }

    /** Writes the file from the channel's start; the channel is left open. */
    static void write(FileChannel channel, Map<String, String> metadata, List<Source> tensors) throws IOException {
        write(new Sink() {
            @Override
            public void write(ByteBuffer bytes) throws IOException {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }

            @Override
            public void patch(long position, byte[] bytes) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
            }
        }, metadata, tensors);
    }

    /** The whole file in memory, for files small enough to hold. */
    static byte[] toBytes(Map<String, String> metadata, List<Source> tensors) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[][] patched = new byte[1][];
        long[] at = new long[1];
        try {
            write(new Sink() {
                @Override
                public void write(ByteBuffer bytes) {
                    out.write(bytes.array(), bytes.position(), bytes.remaining());
                    bytes.position(bytes.limit());
                }

                @Override
                public void patch(long position, byte[] bytes) {
                    patched[0] = bytes;
                    at[0] = position;
                }
            }, metadata, tensors);
        } catch (IOException e) {
            throw new IllegalStateException("memory does not fail to be written", e);
        }
        byte[] file = out.toByteArray();
        System.arraycopy(patched[0], 0, file, (int) at[0], patched[0].length);
        return file;
    }

    private static void write(Sink sink, Map<String, String> metadata, List<Source> tensors) throws IOException {
        byte[] header = header(metadata, tensors);
        MessageDigest digest = SafetensorsFile.digest();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        chunk.putLong(header.length);
        emit(sink, digest, chunk);
        for (int from = 0; from < header.length; from += CHUNK) {
            chunk.put(header, from, Math.min(CHUNK, header.length - from));
            emit(sink, digest, chunk);
        }
        for (Source t : tensors) {
            int itemSize = Tensor.itemSize(t.dtype());
            for (int i = 0; i < t.count(); i++) {
                if (chunk.remaining() < itemSize) {
                    emit(sink, digest, chunk);
                }
                double value = t.elements().at(i);
                if (itemSize == 8) {
                    chunk.putDouble(value);
                } else {
                    chunk.putFloat((float) value);
                }
            }
        }
        emit(sink, digest, chunk);
        byte[] digits = HexFormat.of().formatHex(digest.digest()).getBytes(StandardCharsets.US_ASCII);
        int at = SafetensorsFile.indexOf(header, NO_CHECKSUM.getBytes(StandardCharsets.US_ASCII), 0, header.length);
        sink.patch(8L + at + CHECKSUM_PREFIX.length(), digits);
    }

    private static void emit(Sink sink, MessageDigest digest, ByteBuffer chunk) throws IOException {
        chunk.flip();
        digest.update(chunk.array(), 0, chunk.limit());
        sink.write(chunk);
        chunk.clear();
    }

    /** The JSON header with a zeroed checksum, padded with spaces so the data starts 8-byte aligned. */
    static byte[] header(Map<String, String> metadata, List<Source> tensors) {
        if (metadata.containsKey(SafetensorsFile.CHECKSUM)) {
            throw new IllegalArgumentException("the checksum is computed when writing; do not give one");
        }
        StringBuilder json = new StringBuilder("{").append(HeaderJson.quote(SafetensorsFile.METADATA)).append(":{");
        Map<String, String> withChecksum = new LinkedHashMap<>(metadata);
        withChecksum.put(SafetensorsFile.CHECKSUM, NO_CHECKSUM);
        String separator = "";
        for (Map.Entry<String, String> e : withChecksum.entrySet()) {
            json.append(separator).append(HeaderJson.quote(e.getKey())).append(':')
                    .append(HeaderJson.quote(e.getValue()));
            separator = ",";
        }
        json.append('}');
        long offset = 0;
        for (Source t : tensors) {
            json.append(',').append(HeaderJson.quote(t.name())).append(":{\"dtype\":\"").append(t.dtype())
                    .append("\",\"shape\":").append(shapeText(t.shape())).append(",\"data_offsets\":[")
                    .append(offset).append(',').append(offset + t.byteSize()).append("]}");
            offset += t.byteSize();
        }
        json.append('}');
        int length = json.toString().getBytes(StandardCharsets.UTF_8).length;
        json.append(" ".repeat((8 - length % 8) % 8));
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        if (header.length > SafetensorsReader.MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("the header would be " + header.length + " bytes, over the "
                    + SafetensorsReader.MAX_HEADER_BYTES + " a reader takes");
        }
        return header;
    }

    private static String shapeText(List<Integer> shape) {
        StringBuilder text = new StringBuilder("[");
        for (int d = 0; d < shape.size(); d++) {
            text.append(d == 0 ? "" : ",").append(shape.get(d));
        }
        return text.append(']').toString();
    }
}
