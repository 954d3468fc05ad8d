package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line keeps compiled classes between runs, and compiles again whenever the code would differ. */
class ClassCacheCommandTest {
    @TempDir
    Path temp;

    private String saved;

    @BeforeEach
    void pointTheCacheAtAFreshFolder() {
        saved = System.getProperty("modelc.cache");
        System.setProperty("modelc.cache", temp.resolve("cache").toString());
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty("modelc.cache");
        } else {
            System.setProperty("modelc.cache", saved);
        }
    }

    private List<Path> entries() throws IOException {
        Path folder = temp.resolve("cache");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".classes")).toList();
        }
    }

    /** The run's standard output without the speed, which goes to standard error anyway. */
    private static String train(String... args) {
        CommandLineRun run = CommandLineRun.of(args);
        assertEquals(0, run.exitCode(), run.transcript());
        return run.out();
    }

    @Test
    void aSecondRunTrainsTheSameFromTheStoredClass() throws IOException {
        String first = train("train", CommandLineRun.quadratic());
        assertEquals(1, entries().size());
        Path entry = entries().get(0);
        long written = Files.getLastModifiedTime(entry).toMillis();
        Files.setLastModifiedTime(entry, java.nio.file.attribute.FileTime.fromMillis(written - 60_000));
        assertEquals(first, train("train", CommandLineRun.quadratic()));
        assertEquals(List.of(entry), entries());
        assertFalse(Files.getLastModifiedTime(entry).toMillis() < written, "a hit marks the entry as used");
    }

    @Test
    void anEditedModelOrAnotherDtypeCompilesAgain() throws IOException {
        Path model = temp.resolve("quadratic.model");
        Files.copy(Path.of(CommandLineRun.quadratic()), model);
        String before = train("train", model.toString());
        assertEquals(1, entries().size());
        Files.writeString(model, Files.readString(model).replace("lr = 0.1", "lr = 0.2"));
        String after = train("train", model.toString());
        assertEquals(2, entries().size(), "the edited model is a new class");
        assertFalse(before.equals(after), "and trains as edited");
        train("train", model.toString(), "--dtype", "f32");
        assertEquals(3, entries().size(), "--dtype f32 is another class");
        train("gradcheck", model.toString(), "--tries", "1");
        train("train", model.toString());
        assertEquals(3, entries().size(), "gradcheck's f64 class is train's; the last run was a hit");
    }

    @Test
    void offWritesNothing() throws IOException {
        System.setProperty("modelc.cache", "off");
        train("train", CommandLineRun.quadratic());
        assertEquals(List.of(), entries());
    }

    @Test
    void theFolderFollowsXdgThenHome() {
        assertEquals(Path.of("/c/modelc"), UserCache.folder(null, "/c", "/home/u"));
        assertEquals(Path.of("/home/u/.cache/modelc"), UserCache.folder(null, "relative/is/ignored", "/home/u"));
        assertEquals(Path.of("/home/u/.cache/modelc"), UserCache.folder(null, "", "/home/u"));
        assertEquals(Path.of("/x"), UserCache.folder("/x", "/c", "/home/u"));
        assertNull(UserCache.folder("off", "/c", "/home/u"));
        assertNull(UserCache.folder(null, null, null));
    }
}
