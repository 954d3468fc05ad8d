package dev.modelc.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed (SIGKILL) at a random moment while it saves checkpoints, over and over: the
 * file at the checkpoint's path is afterwards always one complete version, byte for byte (the
 * last one saved, the one being saved, or, before the process saved anything, what the path
 * held before), never a part or a mix. Temporary files left behind are named so nothing takes
 * them for the checkpoint, and the next save removes them.
 *
 * <p>{@code -Dmodelc.kills=N} sets the number of processes killed (100); {@code -Dmodelc.seed=N}
 * repeats a run's random delays.
 */
class KilledWhileSavingTest {
    /** Two tensors of 2^16 doubles: a 1 MiB file, which takes some milliseconds to write and force to disk. */
    private static final int SIZE = 1 << 16;
    private static final Pattern STRAY = Pattern.compile("\\.ckpt\\.safetensors\\.(\\d+)\\.-?\\d+\\.tmp");

    @TempDir
    Path temp;

    /** What the path holds: version {@code version} of run {@code run}, or nothing for version 0. */
    private record Saved(long run, long version) {
        static final Saved NOTHING = new Saved(0, 0);
    }

    @Test
    void theCheckpointIsAlwaysOneWholeVersion() throws Exception {
        int kills = Integer.getInteger("modelc.kills", 100);
        long seed = Long.getLong("modelc.seed", System.nanoTime());
        Random random = new Random(seed);
        Path folder = Files.createDirectory(temp.resolve("ckpt"));
        Path path = folder.resolve("ckpt.safetensors");
        long saveNanos = timeOfOneSave(temp.resolve("probe.safetensors"));
        Saved onDisk = Saved.NOTHING;
        Set<Long> mayLeaveStrays = new HashSet<>();
        int beforeFirstSave = 0;
        long started = System.nanoTime();
        for (long run = 1; run <= kills; run++) {
            String what = "run " + run + " (-Dmodelc.seed=" + seed + ")";
            Process child = start(path, run);
            Progress progress = new Progress(child);
            assertEquals("ready", progress.next(), what + ": " + childErrors());
            LockSupport.parkNanos((long) (random.nextDouble() * progress.timeOfLastSave(random.nextInt(3),
                    saveNanos)));
            // The handle's kill sends SIGKILL and leaves the output readable; Process.destroyForcibly closes it.
            child.toHandle().destroyForcibly();
            child.waitFor();
            long saved = progress.lastSaved();
            beforeFirstSave += saved == 0 ? 1 : 0;
            Saved found = found(path, what);
            List<Saved> expected = saved == 0 ? List.of(onDisk, new Saved(run, 1))
                    : List.of(new Saved(run, saved), new Saved(run, saved + 1));
            assertTrue(expected.contains(found), what + ": the path holds " + found + " after saves up to " + saved
                    + ", but only " + expected + " could be there");
            if (saved > 0) {
                mayLeaveStrays.clear();
            }
            mayLeaveStrays.add(child.pid());
            assertOnlyStraysOf(mayLeaveStrays, folder, what);
            onDisk = found;
        }
        System.out.printf("%d processes killed while saving in %.1f s (a save takes %.1f ms); %d before their first "
                + "save returned%n", kills, (System.nanoTime() - started) / 1e9, saveNanos / 1e6, beforeFirstSave);
        assertTrue(beforeFirstSave < kills, "some processes must have saved before being killed");
    }

    /** What a writing process has said: {@code ready}, then {@code saved N} after each save. */
    private static final class Progress {
        private final BufferedReader out;
        private long saved;

        Progress(Process child) {
            this.out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        }

        String next() throws IOException {
            String line = out.readLine();
            if (line != null && line.startsWith("saved ")) {
                saved = Long.parseLong(line.substring("saved ".length()));
            }
            return line;
        }

        /**
         * Lets the process save {@code saves} times and returns how long its last save took, so that
         * a kill after a random part of that time lands anywhere in the next; before the first save,
         * which loads classes and is slower, a guess of ten warm saves.
         */
        long timeOfLastSave(int saves, long warmSave) throws IOException {
            long last = System.nanoTime();
            long duration = 10 * warmSave;
            for (int i = 0; i < saves; i++) {
                assertNotNull(next(), "the process ended by itself");
                long now = System.nanoTime();
                duration = now - last;
                last = now;
            }
            return duration;
        }

        /** After the process has ended: the last version it said it saved, 0 for none. */
        long lastSaved() throws IOException {
            while (next() != null) {
                continue;
            }
            return saved;
        }
    }

    /** How long a save takes here, warmed up. */
    private static long timeOfOneSave(Path path) throws IOException {
        long best = Long.MAX_VALUE;
        for (int i = 1; i <= 5; i++) {
            long start = System.nanoTime();
            WideModel.checkpoint(SIZE, 0, i).write(path);
            best = Math.min(best, System.nanoTime() - start);
        }
        Files.delete(path);
        return best;
    }

    private Process start(Path path, long run) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), CheckpointWriterProcess.class.getName(),
                path.toString(), Integer.toString(SIZE), Long.toString(run))
                .redirectError(temp.resolve("child-errors.txt").toFile()).start();
    }

    private String childErrors() throws IOException {
        return Files.readString(temp.resolve("child-errors.txt"));
    }

    /** Loads the checkpoint at {@code path}, checks it is exactly the version it says, and says which. */
    private static Saved found(Path path, String what) throws Exception {
        if (!Files.exists(path)) {
            return Saved.NOTHING;
        }
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.read(path);
        } catch (CheckpointException e) {
            return fail(what + ": the checkpoint does not load: " + e.getMessage());
        }
        Saved saved = new Saved(checkpoint.run().seed(), checkpoint.position().steps());
        assertArrayEquals(WideModel.checkpoint(SIZE, saved.run(), saved.version()).file().toBytes(),
                Files.readAllBytes(path), what + ": " + saved + " byte for byte");
        WideModel model = new WideModel(SIZE, 0, 0);
        checkpoint.resume(model);
        assertEquals(saved.version(), model.stepCount());
        return saved;
    }

    /** Besides the checkpoint, only temporary files of the given processes, named as such. */
    private static void assertOnlyStraysOf(Set<Long> pids, Path folder, String what) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.equals("ckpt.safetensors")) {
                    continue;
                }
                Matcher stray = STRAY.matcher(name);
                assertTrue(stray.matches(), what + ": " + name + " is not a temporary file's name");
                assertTrue(pids.contains(Long.parseLong(stray.group(1))),
                        what + ": " + name + " was left by a process before the last one that saved: " + pids);
            }
        }
    }
}
