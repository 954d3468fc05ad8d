package dev.modelc.runtime.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A file in the safetensors format: 8 bytes holding the header's length N (little-endian),
 * N bytes of JSON naming each tensor's dtype, shape and byte range, an optional
 * {@code "__metadata__"} map of strings, then the tensors' bytes, little-endian, row-major,
 * back to back. Files written here also carry a SHA-256 checksum over all their bytes in the
 * metadata, so a damaged file is told from a valid one; reading checks it when present.
 */
public final class SafetensorsFile {
    /** The metadata key of the checksum: {@code "sha256:"} and 64 hex digits. */
    public static final String CHECKSUM = "checksum";
    static final String METADATA = "__metadata__";
    private static final String CHECKSUM_PREFIX = "sha256:";
    private static final String NO_CHECKSUM = CHECKSUM_PREFIX + "0".repeat(64);

    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    /** Tensors and metadata in the order given, which is the order they are written in. */
    public SafetensorsFile(Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        if (tensors.containsKey(METADATA)) {
            throw new IllegalArgumentException("a tensor cannot be named " + METADATA);
        }
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** The metadata, the checksum included when the file was read with one. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Writes the file atomically (see {@link AtomicFile}). */
    public void write(Path path) throws IOException {
        AtomicFile.write(path, toBytes());
    }

    /** Reads and checks a file; see {@link SafetensorsReader}. */
    public static SafetensorsFile read(Path path) throws IOException, CheckpointException {
        return SafetensorsReader.read(path);
    }

    /** The whole file, the checksum filled in last over the bytes written with zeros in its place. */
    public byte[] toBytes() {
        byte[] header = paddedHeader();
        long dataSize = 0;
        for (Tensor t : tensors.values()) {
            dataSize += t.byteSize();
        }
        if (8 + header.length + dataSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a checkpoint over 2 GB is more than this writer holds in memory");
        }
        ByteBuffer file = ByteBuffer.allocate(8 + header.length + (int) dataSize).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(header.length).put(header);
        for (Tensor t : tensors.values()) {
            for (double v : t.values()) {
                if (t.itemSize() == 8) {
                    file.putDouble(v);
                } else {
                    file.putFloat((float) v);
                }
            }
        }
        byte[] bytes = file.array();
        byte[] digest = HexFormat.of().formatHex(sha256(bytes)).getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(bytes, NO_CHECKSUM.getBytes(StandardCharsets.US_ASCII), 8, 8 + header.length);
        System.arraycopy(digest, 0, bytes, at + CHECKSUM_PREFIX.length(), digest.length);
        return bytes;
    }

    /** The JSON header with a zeroed checksum, padded with spaces so the data starts 8-byte aligned. */
    private byte[] paddedHeader() {
        if (metadata.containsKey(CHECKSUM)) {
            throw new IllegalArgumentException("the checksum is computed when writing; do not give one");
        }
        StringBuilder json = new StringBuilder("{").append(HeaderJson.quote(METADATA)).append(":{");
        Map<String, String> withChecksum = new LinkedHashMap<>(metadata);
        withChecksum.put(CHECKSUM, NO_CHECKSUM);
        String separator = "";
        for (Map.Entry<String, String> e : withChecksum.entrySet()) {
            json.append(separator).append(HeaderJson.quote(e.getKey())).append(':')
                    .append(HeaderJson.quote(e.getValue()));
            separator = ",";
        }
        json.append('}');
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            json.append(',').append(HeaderJson.quote(e.getKey())).append(":{\"dtype\":\"").append(t.dtype())
                    .append("\",\"shape\":").append(shapeText(t.shape())).append(",\"data_offsets\":[")
                    .append(offset).append(',').append(offset + t.byteSize()).append("]}");
            offset += t.byteSize();
        }
        json.append('}');
        int length = json.toString().getBytes(StandardCharsets.UTF_8).length;
        json.append(" ".repeat((8 - length % 8) % 8));
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String shapeText(List<Integer> shape) {
        StringBuilder text = new StringBuilder("[");
        for (int d = 0; d < shape.size(); d++) {
            text.append(d == 0 ? "" : ",").append(shape.get(d));
        }
        return text.append(']').toString();
    }

    static byte[] sha256(byte[] bytes) {
        return digest().digest(bytes);
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    static int indexOf(byte[] bytes, byte[] wanted, int from, int to) {
        outer:
        for (int i = from; i + wanted.length <= to; i++) {
            for (int j = 0; j < wanted.length; j++) {
                if (bytes[i + j] != wanted[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static boolean isChecksum(String value) {
        return value.length() == NO_CHECKSUM.length() && value.startsWith(CHECKSUM_PREFIX)
                && value.substring(CHECKSUM_PREFIX.length()).matches("[0-9a-f]{64}");
    }

    static String zeroChecksum() {
        return NO_CHECKSUM;
    }
}
