package dev.modelc.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.TrainingPosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A save survives a power cut, not only a killed process: the new bytes are forced to the disk
 * before the temporary file is renamed over the old one, and the folder is synced after the
 * rename, so the new name is on the disk too. Killing the writer cannot show this (the kernel
 * still holds the unsynced pages), so the calls are recorded through a file system that
 * watches them.
 */
class DurableSaveTest {
    @TempDir
    Path temp;

    @Test
    void theBytesAreForcedBeforeTheRenameAndTheFolderSyncedAfter() throws Exception {
        RecordingFileSystem fs = new RecordingFileSystem();
        Path target = temp.toRealPath().resolve("t.safetensors");
        Files.write(target, new byte[] {9});
        AtomicFile.write(fs.wrap(target), new byte[] {1, 2, 3});
        assertDurablyReplaced(fs.events(), target);
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
    }

    @Test
    void aCheckpointIsSavedTheSameWay() throws Exception {
        RecordingFileSystem fs = new RecordingFileSystem();
        Path target = temp.toRealPath().resolve("model.safetensors");
        StateModel model = new StateModel("f32", List.of(3));
        model.setLearningRate(0.1);
        model.step();
        Checkpoint.of(model, new TrainingPosition(1, 1, 1, 5L, 0.5, 8, List.of(0.25)),
                new Checkpoint.Run(3, 8, true, 8)).write(fs.wrap(target));
        assertDurablyReplaced(fs.events(), target);
        StateModel back = new StateModel("f32", List.of(3));
        Checkpoint.read(target).resume(back);
        assertArrayEquals(model.w, back.w);
    }

    /**
     * One temporary file in the target's folder was written, forced after its last write, and
     * then renamed over the target; after the rename the folder itself was forced.
     */
    private static void assertDurablyReplaced(List<RecordingFileSystem.Event> events, Path target) {
        String log = "what was done:\n" + String.join("\n", events.stream().map(String::valueOf).toList());
        int[] moves = indexes(events, "move", null).filter(i -> target.equals(events.get(i).other())).toArray();
        assertEquals(1, moves.length, "one rename onto the target; " + log);
        int move = moves[0];
        Path temporary = events.get(move).path();
        assertEquals(target.getParent(), temporary.getParent(), "renamed within the folder; " + log);
        int lastWrite = indexes(events, "write", temporary).max().orElse(-1);
        assertTrue(lastWrite >= 0, "the temporary file was written; " + log);
        assertTrue(indexes(events, "write", target).findAny().isEmpty(), "the target is never written in place; " + log);
        assertTrue(indexes(events, "force", temporary).anyMatch(i -> i > lastWrite && i < move),
                "the temporary file is forced after its last write and before the rename; " + log);
        assertTrue(indexes(events, "force", target.getParent()).anyMatch(i -> i > move),
                "the folder is synced after the rename; " + log);
    }

    /** Where events of {@code kind} happened, on {@code path} when it is not null. */
    private static IntStream indexes(List<RecordingFileSystem.Event> events, String kind, Path path) {
        return IntStream.range(0, events.size()).filter(i -> events.get(i).kind().equals(kind)
                && (path == null || path.equals(events.get(i).path())));
    }
}
