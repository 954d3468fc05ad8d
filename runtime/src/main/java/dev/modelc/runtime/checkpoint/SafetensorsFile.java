package dev.modelc.runtime.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
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
    private final Map<String, String> otherTensors;

    /** Tensors and metadata in the order given, which is the order they are written in. */
    public SafetensorsFile(Map<String, Tensor> tensors, Map<String, String> metadata) {
        this(tensors, metadata, Map.of());
    }

    /** A file read: its F32 and F64 tensors, its metadata, and the dtypes of its other tensors, by name. */
    SafetensorsFile(Map<String, Tensor> tensors, Map<String, String> metadata, Map<String, String> otherTensors) {
        this.tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.otherTensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(otherTensors));
        if (tensors.containsKey(METADATA)) {
            throw new IllegalArgumentException("a tensor cannot be named " + METADATA);
        }
    }

    /** The F32 and F64 tensors, the ones modelc reads. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** The file's tensors of other dtypes (I64, BF16, ...), by name: their dtypes; their values are not read. */
    public Map<String, String> otherTensors() {
        return otherTensors;
    }

    /** The metadata, the checksum included when the file was read with one. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Writes the file atomically (see {@link AtomicFile}), streaming the tensors out. */
    public void write(Path path) throws IOException {
        AtomicFile.write(path, channel -> SafetensorsWriter.write(channel, metadata, sources()));
    }

    /** Reads and checks a file; see {@link SafetensorsReader}. */
    public static SafetensorsFile read(Path path) throws IOException, CheckpointException {
        return SafetensorsReader.read(path);
    }

    /** The whole file, the checksum filled in last over the bytes written with zeros in its place. */
    public byte[] toBytes() {
        return SafetensorsWriter.toBytes(metadata, sources());
    }

    private List<SafetensorsWriter.Source> sources() {
        List<SafetensorsWriter.Source> sources = new ArrayList<>();
        tensors.forEach((name, t) -> sources.add(new SafetensorsWriter.Source(name, t.dtype(), t.shape(),
                i -> t.values()[i])));
        return sources;
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
}
