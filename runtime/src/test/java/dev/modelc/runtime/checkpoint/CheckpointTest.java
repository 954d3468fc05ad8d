package dev.modelc.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.LearningRateSchedule;
import dev.modelc.runtime.TrainingPosition;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints of a model: what they hold, exact restores, and refusals that leave the model as it was. */
class CheckpointTest {
    private static final TrainingPosition POSITION = new TrainingPosition(7, 2, 3, -42L, 1.25, 96, List.of(0.5));
    private static final Checkpoint.Run RUN = new Checkpoint.Run(11, 32, true, 500);

    @TempDir
    Path temp;

    private static StateModel trained(String dtype, int steps) {
        StateModel model = new StateModel(dtype, List.of(3));
        model.setLearningRate(0.03);
        for (int i = 0; i < steps; i++) {
            model.step();
        }
        return model;
    }

    private Path saved(StateModel model) throws Exception {
        Path path = temp.resolve("model.safetensors");
        Checkpoint.of(model, POSITION, RUN, LearningRateSchedule.of(model.signature(), 0.03, 0).state()).write(path);
        return path;
    }

    @Test
    void holdsParamsStatesAndEverythingForResumingAsMetadata() throws Exception {
        StateModel model = trained("f64", 5);
        SpecReader.Contents contents = SpecReader.read(Files.readAllBytes(saved(model)));
        assertEquals(List.of("w", "b", "w.velocity", "b.velocity"), List.copyOf(contents.tensors().keySet()));
        assertEquals(List.of(3L), contents.tensors().get("w").shape());
        assertEquals(List.of(), contents.tensors().get("b").shape());
        assertArrayEquals(model.w, contents.tensors().get("w").values());
        assertArrayEquals(model.wVelocity, contents.tensors().get("w.velocity").values());
        assertEquals(model.bVelocity, contents.tensors().get("b.velocity").values()[0]);
        Map<String, String> m = contents.metadata();
        assertEquals("modelc-checkpoint", m.get("format"));
        assertEquals("1", m.get("format_version"));
        assertEquals("7", m.get("step"));
        assertEquals("2", m.get("epoch"));
        assertEquals("3", m.get("batches_done"));
        assertEquals("-42", m.get("shuffle_state"));
        assertEquals("0.03", m.get("learning_rate"));
        assertEquals("11", m.get("seed"));
        assertEquals("dtype f64\noptimizer sgd\nparam w [3]\nparam b []\nstate w.velocity\nstate b.velocity",
                m.get("signature"));
        assertEquals(64, m.get("signature_sha256").length());
    }

    @Test
    void resumingRestoresEveryNumberExactly() throws Exception {
        for (String dtype : List.of("f64", "f32")) {
            StateModel model = trained(dtype, 6);
            Checkpoint checkpoint = Checkpoint.read(saved(model));
            StateModel fresh = new StateModel(dtype, List.of(3));
            checkpoint.resume(fresh);
            assertArrayEquals(model.everything(), fresh.everything(), dtype);
            assertEquals(POSITION, checkpoint.position());
            assertEquals(RUN, checkpoint.run());
            model.step();
            fresh.step();
            assertArrayEquals(model.everything(), fresh.everything(), dtype + ", one step on");
        }
    }

    @Test
    void initializingTakesTheParamsOnlyAcrossDtypes() throws Exception {
        StateModel source = trained("f64", 4);
        Checkpoint checkpoint = Checkpoint.read(saved(source));
        StateModel target = new StateModel("f32", List.of(3));
        checkpoint.initialize(target);
        for (int i = 0; i < 3; i++) {
            assertEquals((float) source.w[i], target.w[i]);
        }
        assertEquals((float) source.b, target.b);
        assertEquals(0, target.steps, "the step count is not a param");
        assertEquals(0, target.wVelocity[0], "nor is the optimizer's state");
    }

    @Test
    void anotherModelIsRefusedWithTheDifferenceAndLeftAsItWas() throws Exception {
        Path path = saved(trained("f64", 3));
        StateModel wider = new StateModel("f64", List.of(4));
        assertRefused(path, wider, "it was saved from another model (signature ",
                "the checkpoint has `param w [3]` where this model has `param w [4]`");
        StateModel f32 = new StateModel("f32", List.of(3));
        assertRefused(path, f32, "the checkpoint has `dtype f64` where this model has `dtype f32`");
        CheckpointException shape = assertThrows(CheckpointException.class,
                () -> Checkpoint.read(path).initialize(wider));
        assertEquals("tensor \"w\" has shape [3], but this model's is [4]", shape.getMessage());
    }

    @Test
    void aSignatureEditedWithAValidChecksumIsStillRefused() throws Exception {
        StateModel model = trained("f64", 2);
        SafetensorsFile file = Checkpoint.read(saved(model)).file();
        Map<String, String> metadata = new LinkedHashMap<>(file.metadata());
        metadata.remove(SafetensorsFile.CHECKSUM);
        metadata.put("signature_sha256", "0".repeat(64));
        Path edited = temp.resolve("edited.safetensors");
        new SafetensorsFile(file.tensors(), metadata).write(edited);
        assertRefused(edited, new StateModel("f64", List.of(3)),
                "its signature does not match its signature_sha256: the file is damaged");
    }

    @Test
    void aSafetensorsFileFromElsewhereInitializesButDoesNotResume() throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("b", new Tensor("F32", List.of(), new double[] {0.5}));
        tensors.put("w", new Tensor("F32", List.of(3), new double[] {1, 2, 4}));
        tensors.put("unrelated", new Tensor("F64", List.of(2), new double[] {9, 9}));
        Path path = temp.resolve("foreign.safetensors");
        new SafetensorsFile(tensors, Map.of("format", "pt")).write(path);
        StateModel model = new StateModel();
        assertRefused(path, model, "it is not a modelc checkpoint (its metadata lacks \"format\": "
                + "\"modelc-checkpoint\"); --init can still load its parameters");
        Checkpoint.read(path).initialize(model);
        assertArrayEquals(new double[] {1, 2, 4}, model.w);
        assertEquals(0.5, model.b);
    }

    @Test
    void missingTensorsAndNonFiniteValuesAreRefused() throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", new Tensor("F64", List.of(3), new double[] {1, Double.NaN, 4}));
        Path path = temp.resolve("partial.safetensors");
        new SafetensorsFile(tensors, Map.of()).write(path);
        StateModel model = new StateModel();
        long[] before = model.everything();
        CheckpointException nan = assertThrows(CheckpointException.class, () -> Checkpoint.read(path)
                .initialize(model));
        assertEquals("tensor \"w\" holds NaN at element 1", nan.getMessage());
        tensors.put("w", new Tensor("F64", List.of(3), new double[] {1, 2, 4}));
        new SafetensorsFile(tensors, Map.of()).write(path);
        CheckpointException missing = assertThrows(CheckpointException.class, () -> Checkpoint.read(path)
                .initialize(model));
        assertEquals("it has no tensor \"b\"", missing.getMessage());
        assertArrayEquals(before, model.everything(), "w is checked, but not set before b is found missing");
    }

    @Test
    void damagedFilesAreRefusedBeforeTheModelIsTouched() throws Exception {
        byte[] good = Files.readAllBytes(saved(trained("f64", 3)));
        Path damaged = temp.resolve("damaged.safetensors");
        StateModel model = new StateModel("f64", List.of(3));
        long[] before = model.everything();
        List<byte[]> variants = List.of(Arrays.copyOf(good, good.length - 1), Arrays.copyOf(good, 100),
                Arrays.copyOf(good, 5), flipped(good, 40), flipped(good, good.length - 3), hugeHeader(good));
        for (byte[] variant : variants) {
            Files.write(damaged, variant);
            CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(damaged));
            assertFalse(e.getMessage().isBlank());
            assertArrayEquals(before, model.everything());
        }
        assertArrayEquals(good, Files.readAllBytes(temp.resolve("model.safetensors")), "the source is unchanged");
    }

    @Test
    void aNewerFormatIsRefused() throws Exception {
        SafetensorsFile file = Checkpoint.read(saved(trained("f64", 1))).file();
        Map<String, String> metadata = new LinkedHashMap<>(file.metadata());
        metadata.remove(SafetensorsFile.CHECKSUM);
        metadata.put("format_version", "2");
        Path newer = temp.resolve("newer.safetensors");
        new SafetensorsFile(file.tensors(), metadata).write(newer);
        assertRefused(newer, new StateModel("f64", List.of(3)),
                "it has format version 2, but this modelc reads version 1");
    }

    private static byte[] flipped(byte[] bytes, int at) {
        byte[] copy = bytes.clone();
        copy[at] ^= 0x04;
        return copy;
    }

    private static byte[] hugeHeader(byte[] bytes) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        return copy;
    }

    private static void assertRefused(Path path, StateModel model, String... parts) throws Exception {
        long[] before = model.everything();
        Checkpoint checkpoint = Checkpoint.read(path);
        CheckpointException e = assertThrows(CheckpointException.class, () -> checkpoint.resume(model));
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
        assertArrayEquals(before, model.everything(), "nothing is changed");
    }
}
