package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** Class files kept by the generated source they were compiled from. */
    private List<Path> entries() throws IOException {
        return entries(".classes");
    }

    /** Models kept ready to run by the text and flags they were compiled from, and files that checked clean. */
    private List<Path> prepared() throws IOException {
        return entries(".prepared");
    }

    private List<Path> entries(String suffix) throws IOException {
        Path folder = temp.resolve("cache");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
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
        assertEquals(1, prepared().size());
        Path entry = prepared().get(0);
        long written = Files.getLastModifiedTime(entry).toMillis();
        Files.setLastModifiedTime(entry, java.nio.file.attribute.FileTime.fromMillis(written - 60_000));
        Files.delete(entries().get(0));
        assertEquals(first, train("train", CommandLineRun.quadratic()));
        assertEquals(List.of(entry), prepared());
        assertEquals(List.of(), entries(), "a hit neither generates nor compiles the class, so it looks up no source");
        assertFalse(Files.getLastModifiedTime(entry).toMillis() < written, "a hit marks the entry as used");
    }

    @Test
    void aSecondCheckOfACleanFileSaysTheSameAndAnEditedFileIsCheckedAgain() throws IOException {
        Path model = temp.resolve("quadratic.model");
        Files.copy(Path.of(CommandLineRun.quadratic()), model);
        CommandLineRun first = CommandLineRun.of("check", model.toString());
        assertEquals(0, first.exitCode(), first.transcript());
        assertEquals(1, prepared().size(), "a clean file is remembered");
        CommandLineRun second = CommandLineRun.of("check", model.toString());
        assertEquals(first.transcript(), second.transcript());
        assertEquals(1, prepared().size());
        Files.writeString(model, Files.readString(model).replace("loss J = x^2", "loss J = z^2"));
        for (int run = 0; run < 2; run++) {
            CommandLineRun broken = CommandLineRun.of("check", model.toString());
            assertEquals(Main.BAD_INPUT, broken.exitCode(), broken.transcript());
            assertTrue(broken.err().contains(model + ":"), broken.err());
            assertTrue(broken.err().contains("unknown name `z`"), broken.err());
        }
        assertEquals(1, prepared().size(), "a file with errors is not remembered");
    }

    @Test
    void theSameTextUnderAnotherNameIsAnotherEntry() throws IOException {
        Path model = Files.createDirectories(temp.resolve("a")).resolve("quadratic.model");
        Path copy = Files.createDirectories(temp.resolve("b")).resolve("quadratic.model");
        Files.copy(Path.of(CommandLineRun.quadratic()), model);
        Files.copy(model, copy);
        train("train", model.toString());
        train("train", copy.toString());
        assertEquals(2, prepared().size(), "messages name the file by its path, so each path has its own");
        assertEquals(1, entries().size(), "the generated class names only the file's name, so they share it");
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
        assertEquals(2, prepared().size(), "and a new entry ready to run");
        assertFalse(before.equals(after), "and trains as edited");
        train("train", model.toString(), "--dtype", "f32");
        assertEquals(3, entries().size(), "--dtype f32 is another class");
        train("gradcheck", model.toString(), "--tries", "1");
        train("train", model.toString());
        assertEquals(3, entries().size(), "gradcheck's f64 class is train's; the last run was a hit");
        assertEquals(3, prepared().size(), "the last run was a hit");
        train("train", model.toString(), "--memory-budget", "1M");
        assertEquals(4, prepared().size(), "--memory-budget changes how the code is generated");
    }

    @Test
    void offWritesNothing() throws IOException {
        System.setProperty("modelc.cache", "off");
        train("train", CommandLineRun.quadratic());
        CommandLineRun.of("check", CommandLineRun.quadratic());
        assertEquals(List.of(), entries());
        assertEquals(List.of(), prepared());
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
