package dev.modelc.runtime.checkpoint;

import dev.modelc.runtime.HeapSize;
import dev.modelc.runtime.Printable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
    /** The bytes per element of every dtype the format names; modelc reads the values of F32 and F64 only. */
    static final Map<String, Integer> DTYPE_SIZES = new java.util.TreeMap<>(Map.ofEntries(Map.entry("BOOL", 1), Map.entry("U8", 1),
            Map.entry("I8", 1), Map.entry("F8_E5M2", 1), Map.entry("F8_E4M3", 1), Map.entry("I16", 2),
            Map.entry("U16", 2), Map.entry("F16", 2), Map.entry("BF16", 2), Map.entry("I32", 4), Map.entry("U32", 4),
            Map.entry("F32", 4), Map.entry("I64", 8), Map.entry("U64", 8), Map.entry("F64", 8)));
    private static final int CHUNK = 1 << 16;
    private static final String CHECKSUM_PREFIX = "sha256:";

    /** A tensor as the header describes it. */
    private record Entry(String name, String dtype, List<Integer> shape, long begin, long end) {
    }

    private SafetensorsReader() {
    }

    static SafetensorsFile read(Path path) throws IOException, CheckpointException {
        try {
            return readFile(path);
        } catch (OutOfMemoryError e) {
            throw new CheckpointException("it does not fit in memory: " + HeapSize.advice());
        }
    }

    private static SafetensorsFile readFile(Path path) throws IOException, CheckpointException {
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            // Opening a FIFO would wait for a writer; a checkpoint is read twice, which a stream cannot be.
            throw new CheckpointException("is not a regular file (a folder, device, FIFO or socket); a checkpoint "
                    + "is read from a file");
        }
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
            // Hashed before the header is parsed, so that damage anywhere is told as damage, not as a flaw of format.
            int digits = checksumDigits(header);
            String mismatch = digits < 0 ? null : checksumMismatch(channel, size, header, digits);
            Header parsed;
            try {
                parsed = parse(header, digits);
            } catch (CheckpointException e) {
                throw mismatch == null ? e : new CheckpointException(mismatch);
            }
            checkDataSize(parsed.dataSize(), size - 8 - headerLength);
            if (mismatch != null) {
                throw new CheckpointException(mismatch);
            }
            Map<String, String> others = new LinkedHashMap<>();
            parsed.entries().stream().filter(e -> Tensor.itemSize(e.dtype()) == 0)
                    .forEach(e -> others.put(e.name(), e.dtype()));
            return new SafetensorsFile(readTensors(channel, 8 + headerLength, parsed.entries()), parsed.metadata(),
                    others);
        }
    }

    /** What the header says: the metadata, the tensors, and the bytes they take. */
    private record Header(Map<String, String> metadata, List<Entry> entries, long dataSize) {
    }

    private static Header parse(byte[] header, int checksumDigits) throws CheckpointException {
        Map<String, Object> top = parseHeader(header);
        Map<String, String> metadata = metadata(top.get(SafetensorsFile.METADATA));
        requireChecksumFound(metadata.get(SafetensorsFile.CHECKSUM), header, checksumDigits);
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Object> e : top.entrySet()) {
            if (!e.getKey().equals(SafetensorsFile.METADATA)) {
                entries.add(entry(e.getKey(), e.getValue()));
            }
        }
        return new Header(metadata, entries, checkLayout(entries));
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
                throw new CheckpointException(SafetensorsFile.METADATA + " entry "
                        + Printable.quote(String.valueOf(e.getKey())) + " is not a string");
            }
            metadata.put((String) e.getKey(), text);
        }
        return metadata;
    }

    private static Entry entry(String name, Object value) throws CheckpointException {
        String what = "tensor " + Printable.quote(name);
        if (!(value instanceof Map<?, ?> fields)) {
            throw new CheckpointException(what + " is not described by an object");
        }
        for (Object key : fields.keySet()) {
            if (!List.of("dtype", "shape", "data_offsets").contains(key)) {
                throw new CheckpointException(what + " has an unknown field " + Printable.quote(String.valueOf(key)));
            }
        }
        if (!(fields.get("dtype") instanceof String dtype)) {
            throw new CheckpointException(what + " has no dtype");
        }
        if (!DTYPE_SIZES.containsKey(dtype)) {
            throw new CheckpointException(what + " has dtype " + Printable.quote(dtype) + ", which is not one of "
                    + "safetensors' dtypes " + DTYPE_SIZES.keySet());
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

    /** The ranges, in order, must follow each other from the data's first byte without gaps or overlaps. */
    private static long checkLayout(List<Entry> entries) throws CheckpointException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry e : sorted) {
            long elements = Tensor.elements(e.shape());
            long bytes = elements > Integer.MAX_VALUE ? -1 : elements * DTYPE_SIZES.get(e.dtype());
            if (e.begin() != expected || e.end() < e.begin()) {
                throw new CheckpointException("tensor " + Printable.quote(e.name()) + " has data_offsets [" + e.begin() + ", "
                        + e.end() + "], but the next bytes start at " + expected + ": the ranges must follow each "
                        + "other without gaps or overlaps");
            }
            if (bytes != e.end() - e.begin()) {
                throw new CheckpointException("tensor " + Printable.quote(e.name()) + " is " + e.dtype() + " of shape "
                        + e.shape() + ", which needs " + (bytes < 0 ? "more elements than modelc reads" : bytes
                        + " bytes")
                        + ", but its data_offsets span " + (e.end() - e.begin()));
            }
            expected = e.end();
        }
        return expected;
    }

    /** A file cut short says so, even when its checksum fails too: that is the more useful news. */
    private static void checkDataSize(long expected, long dataSize) throws CheckpointException {
        if (expected != dataSize) {
            throw new CheckpointException("the tensors take " + expected + " bytes, but the file holds " + dataSize
                    + " after the header: it is "
                    + (dataSize < expected ? "truncated" : "damaged: longer than its header says"));
        }
    }

    /**
     * The F32 and F64 tensors' values, read a chunk at a time (a tensor may be larger than one
     * buffer can hold); tensors of other dtypes are left unread.
     */
    private static Map<String, Tensor> readTensors(FileChannel channel, long dataStart, List<Entry> entries)
            throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : entries) {
            int itemSize = Tensor.itemSize(e.dtype());
            if (itemSize == 0) {
                continue;
            }
            double[] values = new double[(int) Tensor.elements(e.shape())];
            long position = dataStart + e.begin();
            for (int i = 0; i < values.length; ) {
                int count = Math.min(values.length - i, CHUNK / itemSize);
                chunk.clear().limit(count * itemSize);
                readInto(channel, position, chunk);
                position += chunk.limit();
                chunk.flip();
                for (int k = 0; k < count; k++, i++) {
                    values[i] = itemSize == 8 ? chunk.getDouble() : chunk.getFloat();
                }
            }
            tensors.put(e.name(), new Tensor(e.dtype(), e.shape(), values));
        }
        return tensors;
    }

    /**
     * Where the 64 hex digits of the checksum start in the header, as this writer puts them
     * ({@code "checksum":"sha256:} and the digits), or -1 when the header holds no such text or
     * holds it more than once.
     */
    private static int checksumDigits(byte[] header) {
        byte[] key = ("\"" + SafetensorsFile.CHECKSUM + "\":\"" + CHECKSUM_PREFIX).getBytes(StandardCharsets.US_ASCII);
        int at = SafetensorsFile.indexOf(header, key, 0, header.length);
        if (at < 0 || SafetensorsFile.indexOf(header, key, at + 1, header.length) >= 0) {
            return -1;
        }
        int digits = at + key.length;
        if (digits + 65 > header.length || header[digits + 64] != '"') {
            return -1;
        }
        for (int i = digits; i < digits + 64; i++) {
            if (!(header[i] >= '0' && header[i] <= '9' || header[i] >= 'a' && header[i] <= 'f')) {
                return -1;
            }
        }
        return digits;
    }

    /** Hashes the whole file, the checksum's digits read as zeros; says how it differs, or null when it matches. */
    private static String checksumMismatch(FileChannel channel, long size, byte[] header, int digits)
            throws IOException {
        MessageDigest digest = SafetensorsFile.digest();
        long zeroFrom = 8 + digits;
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        for (long position = 0; position < size; position += chunk.limit()) {
            chunk.clear().limit((int) Math.min(CHUNK, size - position));
            readInto(channel, position, chunk);
            byte[] bytes = chunk.array();
            for (long i = Math.max(position, zeroFrom); i < Math.min(position + chunk.limit(), zeroFrom + 64); i++) {
                bytes[(int) (i - position)] = '0';
            }
            digest.update(bytes, 0, chunk.limit());
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        String stored = new String(header, digits, 64, StandardCharsets.US_ASCII);
        return actual.equals(stored) ? null : "the checksum does not match the contents: the file is damaged (it "
                + "says " + stored.substring(0, 12) + "..., the bytes give " + actual.substring(0, 12) + "...)";
    }

    /** A checksum in the metadata must be the one checked above, written as this writer writes it. */
    private static void requireChecksumFound(String checksum, byte[] header, int digits) throws CheckpointException {
        if (checksum == null && digits < 0) {
            return;
        }
        if (checksum == null || digits < 0 || !SafetensorsFile.isChecksum(checksum)
                || !checksum.endsWith(new String(header, digits, 64, StandardCharsets.US_ASCII))) {
            throw new CheckpointException("the checksum is not \"sha256:\" and 64 hex digits where the header "
                    + "should hold it: the file is damaged");
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        readInto(channel, position, buffer);
        return buffer.flip();
    }

    private static void readInto(FileChannel channel, long position, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException("the file ended while it was read");
            }
        }
    }
}
