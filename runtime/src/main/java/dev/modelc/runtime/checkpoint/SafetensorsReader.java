package dev.modelc.runtime.checkpoint;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a safetensors file and trusts nothing in it: the header's length is checked against a
 * limit and the file's size before anything is allocated for it; the header must be strict
 * JSON of the format's shape; the tensors' byte ranges must tile the data exactly, each as
 * long as its dtype and shape require; and a checksum in the metadata must match the bytes.
 */
final class SafetensorsReader {
    /** The reference implementation's limit, so a file it refuses is refused here too. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    /** A tensor as the header describes it. */
    private record Entry(String name, String dtype, List<Integer> shape, long begin, long end) {
    }

    private SafetensorsReader() {
    }

    static SafetensorsFile read(Path path) throws IOException, CheckpointException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new CheckpointException("the file has " + size + (size == 1 ? " byte" : " bytes")
                        + ", fewer than the 8 that give a safetensors header's length: it is truncated");
            }
            ByteBuffer prefix = readFully(channel, 0, 8);
            long headerLength = prefix.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            checkHeaderLength(headerLength, size);
            byte[] header = readFully(channel, 8, (int) headerLength).array();
            Map<String, Object> top = parseHeader(header);
            Map<String, String> metadata = metadata(top.get(SafetensorsFile.METADATA));
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<String, Object> e : top.entrySet()) {
                if (!e.getKey().equals(SafetensorsFile.METADATA)) {
                    entries.add(entry(e.getKey(), e.getValue()));
                }
            }
            checkLayout(entries, size - 8 - headerLength);
            MessageDigest digest = SafetensorsFile.digest();
            digest.update(prefix.array());
            digest.update(withZeroChecksum(header, metadata.get(SafetensorsFile.CHECKSUM)));
            Map<String, Tensor> tensors = readTensors(channel, 8 + headerLength, entries, digest);
            checkChecksum(metadata.get(SafetensorsFile.CHECKSUM), digest.digest());
            return new SafetensorsFile(tensors, metadata);
        }
    }

    private static void checkHeaderLength(long headerLength, long size) throws CheckpointException {
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new CheckpointException("the header length is " + Long.toUnsignedString(headerLength)
                    + " bytes, over the limit of " + MAX_HEADER_BYTES + ": this is not a safetensors file, or it "
                    + "is damaged");
        }
        if (headerLength > size - 8) {
            throw new CheckpointException("the header length is " + headerLength + " bytes, but only " + (size - 8)
                    + " follow: the file is truncated");
        }
    }

    private static Map<String, Object> parseHeader(byte[] header) throws CheckpointException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(header)).toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointException("the header is not UTF-8 text: the file is damaged");
        }
        if (!text.startsWith("{")) {
            throw new CheckpointException("the header does not start with `{`: this is not a safetensors file");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> top = (Map<String, Object>) HeaderJson.parse(text);
        return top;
    }

    private static Map<String, String> metadata(Object value) throws CheckpointException {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (value == null) {
            return metadata;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new CheckpointException(SafetensorsFile.METADATA + " must map strings to strings");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String text)) {
                throw new CheckpointException(SafetensorsFile.METADATA + " entry \"" + e.getKey()
                        + "\" is not a string");
            }
            metadata.put((String) e.getKey(), text);
        }
        return metadata;
    }

    private static Entry entry(String name, Object value) throws CheckpointException {
        String what = "tensor \"" + name + "\"";
        if (!(value instanceof Map<?, ?> fields)) {
            throw new CheckpointException(what + " is not described by an object");
        }
        for (Object key : fields.keySet()) {
            if (!List.of("dtype", "shape", "data_offsets").contains(key)) {
                throw new CheckpointException(what + " has an unknown field \"" + key + "\"");
            }
        }
        if (!(fields.get("dtype") instanceof String dtype)) {
            throw new CheckpointException(what + " has no dtype");
        }
        if (Tensor.itemSize(dtype) == 0) {
            throw new CheckpointException(what + " has dtype " + dtype + "; only F32 and F64 tensors can be read");
        }
        List<Long> shape = numbers(fields.get("shape"), what + " shape", -1);
        List<Long> offsets = numbers(fields.get("data_offsets"), what + " data_offsets", 2);
        List<Integer> dims = new ArrayList<>();
        for (long d : shape) {
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new CheckpointException(what + " has the dimension " + d + ", outside 0 to " + Integer.MAX_VALUE);
            }
            dims.add((int) d);
        }
        return new Entry(name, dtype, dims, offsets.get(0), offsets.get(1));
    }

    private static List<Long> numbers(Object value, String what, int count) throws CheckpointException {
        if (!(value instanceof List<?> items) || (count >= 0 && items.size() != count)) {
            throw new CheckpointException(what + " must be a list of " + (count >= 0 ? count + " " : "")
                    + "whole numbers");
        }
        List<Long> numbers = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof Long number) || number < 0) {
                throw new CheckpointException(what + " must hold whole numbers of 0 or more");
            }
            numbers.add(number);
        }
        return numbers;
    }

    /** The ranges, in order, must cover the data from its first byte to its last, without gaps or overlaps. */
    private static void checkLayout(List<Entry> entries, long dataSize) throws CheckpointException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry e : sorted) {
            long elements = Tensor.elements(e.shape());
            long bytes = elements > Integer.MAX_VALUE ? -1 : elements * Tensor.itemSize(e.dtype());
            if (e.begin() != expected || e.end() < e.begin()) {
                throw new CheckpointException("tensor \"" + e.name() + "\" has data_offsets [" + e.begin() + ", "
                        + e.end() + "], but the next bytes start at " + expected + ": the ranges must follow each "
                        + "other without gaps or overlaps");
            }
            if (bytes != e.end() - e.begin() || bytes > Integer.MAX_VALUE - 8) {
                throw new CheckpointException("tensor \"" + e.name() + "\" is " + e.dtype() + " of shape "
                        + e.shape() + ", which needs " + (bytes < 0 ? "more than 2 GB" : bytes + " bytes")
                        + ", but its data_offsets span " + (e.end() - e.begin()));
            }
            expected = e.end();
        }
        if (expected != dataSize) {
            throw new CheckpointException("the tensors take " + expected + " bytes, but the file holds " + dataSize
                    + " after the header: it is "
                    + (dataSize < expected ? "truncated" : "longer than its header says"));
        }
    }

    private static Map<String, Tensor> readTensors(FileChannel channel, long dataStart, List<Entry> entries,
                                                   MessageDigest digest) throws IOException {
        List<Entry> inFileOrder = new ArrayList<>(entries);
        inFileOrder.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (Entry e : inFileOrder) {
            ByteBuffer bytes = readFully(channel, dataStart + e.begin(), (int) (e.end() - e.begin()));
            digest.update(bytes.array());
            bytes.order(ByteOrder.LITTLE_ENDIAN);
            double[] values = new double[(int) Tensor.elements(e.shape())];
            for (int i = 0; i < values.length; i++) {
                values[i] = e.dtype().equals("F64") ? bytes.getDouble() : bytes.getFloat();
            }
            byName.put(e.name(), new Tensor(e.dtype(), e.shape(), values));
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        entries.forEach(e -> tensors.put(e.name(), byName.get(e.name())));
        return tensors;
    }

    /** The header as it was hashed when written: the checksum's digits all zeros. */
    private static byte[] withZeroChecksum(byte[] header, String checksum) throws CheckpointException {
        if (checksum == null) {
            return header;
        }
        if (!SafetensorsFile.isChecksum(checksum)) {
            throw new CheckpointException("the checksum is not \"sha256:\" and 64 hex digits: the file is damaged");
        }
        byte[] wanted = checksum.getBytes(StandardCharsets.US_ASCII);
        int at = SafetensorsFile.indexOf(header, wanted, 0, header.length);
        if (at < 0 || SafetensorsFile.indexOf(header, wanted, at + 1, header.length) >= 0) {
            throw new CheckpointException("the checksum cannot be told apart in the header: the file is damaged");
        }
        byte[] zeroed = header.clone();
        byte[] zeros = SafetensorsFile.zeroChecksum().getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(zeros, 0, zeroed, at, zeros.length);
        return zeroed;
    }

    private static void checkChecksum(String checksum, byte[] computed) throws CheckpointException {
        if (checksum == null) {
            return;
        }
        String actual = HexFormat.of().formatHex(computed);
        String stored = checksum.substring(checksum.indexOf(':') + 1);
        if (!actual.equals(stored)) {
            throw new CheckpointException("the checksum does not match the contents: the file is damaged (it says "
                    + stored.substring(0, 12) + "..., the bytes give " + actual.substring(0, 12) + "...)");
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException("the file ended while it was read");
            }
        }
        return buffer.flip();
    }
}
