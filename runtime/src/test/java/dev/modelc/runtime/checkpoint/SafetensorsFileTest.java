package dev.modelc.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safetensors layer: what it writes, checked by an independent reader, and what it refuses to read. */
class SafetensorsFileTest {
    @TempDir
    Path temp;

    /** A matrix, a vector in F32, and a scalar, with metadata that needs escaping. */
    static SafetensorsFile sample() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("W", new Tensor("F64", List.of(2, 3), new double[] {1, -2, 3.5, 1e-300, -0.0, 7}));
        tensors.put("b.velocity", new Tensor("F32", List.of(3), new double[] {0.25, (float) 0.1, -8}));
        tensors.put("s", new Tensor("F64", List.of(), new double[] {Math.PI}));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("note", "quote \" backslash \\ newline \n done");
        metadata.put("step", "12");
        return new SafetensorsFile(tensors, metadata);
    }

    @Test
    void aWrittenFileFollowsTheFormat() throws Exception {
        byte[] file = sample().toBytes();
        SpecReader.Contents contents = SpecReader.read(file);
        assertEquals(0, (8 + contents.headerLength()) % 8, "the data starts 8-byte aligned");
        assertTrue(contents.header().startsWith("{"), contents.header());
        assertEquals(List.of("W", "b.velocity", "s"), List.copyOf(contents.tensors().keySet()));
        SpecReader.Entry w = contents.tensors().get("W");
        assertEquals("F64", w.dtype());
        assertEquals(List.of(2L, 3L), w.shape());
        assertEquals(0, w.begin());
        assertEquals(48, w.end());
        assertArrayEquals(new double[] {1, -2, 3.5, 1e-300, -0.0, 7}, w.values());
        SpecReader.Entry b = contents.tensors().get("b.velocity");
        assertEquals("F32", b.dtype());
        assertEquals(48, b.begin());
        assertEquals(60, b.end());
        assertArrayEquals(new double[] {0.25, (float) 0.1, -8}, b.values());
        SpecReader.Entry s = contents.tensors().get("s");
        assertEquals(List.of(), s.shape());
        assertEquals(60, s.begin());
        assertEquals(68, s.end());
        assertEquals(Math.PI, s.values()[0]);
        assertEquals(8 + contents.headerLength() + 68, file.length, "nothing after the last tensor");
        assertEquals("quote \" backslash \\ newline \n done", contents.metadata().get("note"));
        assertEquals("12", contents.metadata().get("step"));
    }

    @Test
    void theChecksumCoversEveryByteWithItsOwnDigitsZeroed() throws Exception {
        byte[] file = sample().toBytes();
        String checksum = SpecReader.read(file).metadata().get("checksum");
        assertTrue(checksum.matches("sha256:[0-9a-f]{64}"), checksum);
        String text = new String(file, StandardCharsets.ISO_8859_1);
        byte[] zeroed = text.replace(checksum, "sha256:" + "0".repeat(64)).getBytes(StandardCharsets.ISO_8859_1);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(zeroed));
        assertEquals("sha256:" + expected, checksum);
    }

    @Test
    void readingGivesBackWhatWasWritten() throws Exception {
        Path path = temp.resolve("t.safetensors");
        sample().write(path);
        SafetensorsFile read = SafetensorsFile.read(path);
        assertEquals(sample().tensors().keySet(), read.tensors().keySet());
        for (String name : read.tensors().keySet()) {
            assertArrayEquals(sample().tensors().get(name).values(), read.tensors().get(name).values(), name);
            assertEquals(sample().tensors().get(name).shape(), read.tensors().get(name).shape(), name);
        }
        assertEquals(sample().metadata().get("note"), read.metadata().get("note"));
        assertEquals(List.of("t.safetensors"), Files.list(temp).map(p -> p.getFileName().toString()).toList(),
                "no temporary file is left behind");
    }

    @Test
    void everyTruncationIsRefused() throws Exception {
        byte[] file = sample().toBytes();
        for (int length = 0; length < file.length; length++) {
            String message = refusal(Arrays.copyOf(file, length));
            assertTrue(message.contains("truncated") || message.contains("not valid JSON"),
                    "cut at " + length + ": " + message);
        }
    }

    @Test
    void everyFlippedByteIsRefusedUnlessItUnnamesTheChecksum() throws Exception {
        byte[] file = sample().toBytes();
        Path path = temp.resolve("flipped.safetensors");
        for (int at = 0; at < file.length; at++) {
            for (int bit : new int[] {0x01, 0x20, 0x80}) {
                byte[] damaged = file.clone();
                damaged[at] ^= (byte) bit;
                Files.write(path, damaged);
                try {
                    SafetensorsFile read = SafetensorsFile.read(path);
                    // Only a flip in the key's name can pass: the file then reads as one without a checksum,
                    // which checkpoints refuse (see CheckpointTest).
                    assertTrue(!read.metadata().containsKey(SafetensorsFile.CHECKSUM), "byte " + at + " bit " + bit);
                } catch (CheckpointException e) {
                    assertFalse(e.getMessage().isBlank());
                }
            }
        }
    }

    @Test
    void aHugeHeaderLengthIsRefusedBeforeAnythingIsAllocated() throws Exception {
        byte[] file = sample().toBytes();
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        assertEquals("the header length is 1099511627776 bytes, over the limit of 100000000: this is not a "
                + "safetensors file, or it is damaged", refusal(file));
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1);
        assertTrue(refusal(file).startsWith("the header length is 18446744073709551615 bytes"), refusal(file));
    }

    @Test
    void layoutErrorsAreNamed() throws Exception {
        String gap = "{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}";
        assertTrue(refusal(file(gap, 16)).contains("the next bytes start at 0"), refusal(file(gap, 16)));
        String shape = "{\"a\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[0,16]}}";
        assertTrue(refusal(file(shape, 16)).contains("needs 24 bytes"), refusal(file(shape, 16)));
        String dtype = "{\"a\":{\"dtype\":\"F128\",\"shape\":[1],\"data_offsets\":[0,16]}}";
        assertEquals("tensor \"a\" has dtype \"F128\", which is not one of safetensors' dtypes [BF16, BOOL, F16, F32, "
                + "F64, F8_E4M3, F8_E5M2, I16, I32, I64, I8, U16, U32, U64, U8]", refusal(file(dtype, 16)));
        String wide = "{\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertTrue(refusal(file(wide, 4)).contains("needs 8 bytes"), refusal(file(wide, 4)));
        String twice = "{\"a\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]},\"a\":{}}";
        assertTrue(refusal(file(twice, 8)).contains("appears twice"), refusal(file(twice, 8)));
        String longer = "{\"a\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]}}";
        assertTrue(refusal(file(longer, 9)).contains("longer than its header says"), refusal(file(longer, 9)));
        assertTrue(refusal(file("[1]", 0)).contains("does not start with `{`"));
    }

    @Test
    void aFileWithoutChecksumReadsWhenItIsValid() throws Exception {
        String header = "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],"
                + "\"data_offsets\":[0,8]}}";
        byte[] bytes = file(header, 8);
        ByteBuffer.wrap(bytes, bytes.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f);
        Path path = temp.resolve("foreign.safetensors");
        Files.write(path, bytes);
        assertArrayEquals(new double[] {1.5, -2}, SafetensorsFile.read(path).tensors().get("a").values());
    }

    @Test
    void tensorsOfOtherDtypesAreListedButNotRead() throws Exception {
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[4,12]},"
                + "\"half\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[12,18]}}";
        Path path = temp.resolve("torch.safetensors");
        Files.write(path, file(header, 18));
        SafetensorsFile read = SafetensorsFile.read(path);
        assertEquals(List.of("w"), List.copyOf(read.tensors().keySet()));
        assertEquals(Map.of("num_batches_tracked", "I64", "half", "BF16"), read.otherTensors());
    }

    @Test
    void aHeaderOfCountlessEmptyTensorsIsRefusedBeforeItFillsTheMemory() throws Exception {
        StringBuilder header = new StringBuilder("{");
        for (int t = 0; t < 50_000; t++) {
            header.append(t == 0 ? "" : ",").append("\"t").append(t).append("\":{\"dtype\":\"F32\",\"shape\":[0],"
                    + "\"data_offsets\":[0,0]}");
        }
        String refused = refusal(file(header.append('}').toString(), 0));
        assertEquals("the header holds more than 262144 values (a few for each tensor), more than modelc reads",
                refused);
    }

    @Test
    void aStreamedFileIsTheFileWrittenInMemoryByteForByte() throws Exception {
        // More elements than one chunk of the writer holds, and not a whole number of chunks.
        int size = (1 << 16) + 3;
        Path path = temp.resolve("streamed.safetensors");
        Checkpoint.save(new WideModel(size, 2, 5), dev.modelc.runtime.TrainingPosition.afterUpdates(5),
                new Checkpoint.Run(2, 0, false, 0), dev.modelc.runtime.LearningRateSchedule.of(new WideModel(size,
                        2, 5).signature(), 0).state(), path);
        assertArrayEquals(WideModel.checkpoint(size, 2, 5).file().toBytes(), Files.readAllBytes(path));
        SpecReader.Contents contents = SpecReader.read(Files.readAllBytes(path));
        assertEquals(size, contents.tensors().get("w").values().length);
        assertTrue(Checkpoint.size(new WideModel(size, 2, 5), new Checkpoint.Run(2, 0, false, 0),
                dev.modelc.runtime.LearningRateSchedule.of(new WideModel(size, 2, 5).signature(), 0).state())
                >= Files.size(path));
    }

    /** A file of the given header and that many zero bytes of data. */
    private static byte[] file(String header, int dataBytes) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length).put(json).array();
    }

    /** The message reading the bytes fails with; fails the test if they are read. */
    private String refusal(byte[] bytes) throws Exception {
        Path path = temp.resolve("damaged.safetensors");
        Files.write(path, bytes);
        return assertThrows(CheckpointException.class, () -> SafetensorsFile.read(path)).getMessage();
    }
}
