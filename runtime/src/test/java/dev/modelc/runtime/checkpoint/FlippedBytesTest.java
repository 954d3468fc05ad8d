package dev.modelc.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.modelc.runtime.LearningRateSchedule;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainingPosition;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No damaged checkpoint reaches a model: every bit of every byte of a small checkpoint flipped
 * in turn (the header's length, the JSON, the metadata, the checksum itself, the padding and
 * the tensors), and random byte values at random places, are each refused with a message that
 * says the file is damaged or truncated, by {@code --resume} and {@code --init} alike, and the
 * model is left untouched.
 */
class FlippedBytesTest {
    private static final ModelSignature.Schedule PLATEAU = new ModelSignature.Schedule("reduce_on_plateau",
            Map.of("factor", 0.5, "patience", 0.0, "threshold", 1e-4, "cooldown", 0.0, "min_lr", 0.0), List.of());

    @TempDir
    Path temp;

    /** A checkpoint of every kind of content: params, optimizer state, plateau state, position. */
    private Path checkpoint() throws Exception {
        StateModel model = new StateModel("f64", List.of(3), PLATEAU);
        LearningRateSchedule schedule = LearningRateSchedule.of(model.signature(), 10);
        for (int i = 0; i < 3; i++) {
            model.step();
            schedule.epochEnded(model.forward());
        }
        Path path = temp.resolve("damaged.safetensors");
        Checkpoint.of(model, new TrainingPosition(3, 1, 3, 99, 2.5, 3, List.of()), new Checkpoint.Run(5, 1, true, 3),
                schedule.state()).write(path);
        return path;
    }

    @Test
    void everyFlippedBitIsRefused() throws Exception {
        Path path = checkpoint();
        byte[] good = Files.readAllBytes(path);
        int headerEnd = 8 + (int) ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertTrue(good[headerEnd - 1] == ' ', "the header is padded, so flips in the padding are tried too");
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            for (int at = 0; at < good.length; at++) {
                for (int bit = 0; bit < 8; bit++) {
                    assertRefused(path, file, at, (byte) (good[at] ^ (1 << bit)), "byte " + at + " bit " + bit);
                }
                file.seek(at);
                file.write(good[at]);
            }
        }
        assertArrayEquals(good, Files.readAllBytes(path));
    }

    @Test
    void randomBytesAtRandomPlacesAreRefused() throws Exception {
        Path path = checkpoint();
        byte[] good = Files.readAllBytes(path);
        long seed = Long.getLong("modelc.seed", System.nanoTime());
        Random random = new Random(seed);
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            for (int i = 0; i < 2000; i++) {
                int at = random.nextInt(good.length);
                byte value = (byte) (good[at] + 1 + random.nextInt(255));
                assertRefused(path, file, at, value, "byte " + at + " set to " + (value & 0xff) + " (-Dmodelc.seed="
                        + seed + ")");
                file.seek(at);
                file.write(good[at]);
            }
        }
    }

    /** Writes {@code value} at {@code at}, then loads the file both ways: each must refuse it and leave the model. */
    private static void assertRefused(Path path, RandomAccessFile file, int at, byte value, String what)
            throws Exception {
        file.seek(at);
        file.write(value);
        StateModel resumed = new StateModel("f64", List.of(3), PLATEAU);
        StateModel initialized = new StateModel("f64", List.of(3), PLATEAU);
        long[] before = resumed.everything();
        try {
            Checkpoint checkpoint = Checkpoint.read(path);
            refuse(() -> {
                checkpoint.resume(resumed);
                checkpoint.schedule(resumed.signature(), 10);
            }, what + ", resumed");
            refuse(() -> checkpoint.initialize(initialized), what + ", initialized");
        } catch (CheckpointException e) {
            assertClear(e, what);
        }
        assertArrayEquals(before, resumed.everything(), what + ": the model is untouched");
        assertArrayEquals(before, initialized.everything(), what + ": the model is untouched");
    }

    private interface Load {
        void run() throws CheckpointException;
    }

    private static void refuse(Load load, String what) {
        try {
            load.run();
            fail(what + ": loaded");
        } catch (CheckpointException e) {
            assertClear(e, what);
        }
    }

    private static void assertClear(CheckpointException e, String what) {
        String message = e.getMessage();
        assertTrue(message.contains("the file is damaged") || message.contains("it is damaged")
                || message.contains("the file is truncated") || message.contains("it is truncated"),
                what + ": " + message);
    }
}
