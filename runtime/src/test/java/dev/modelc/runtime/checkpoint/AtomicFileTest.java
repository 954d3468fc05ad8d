package dev.modelc.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writing replaces the file whole and clears away what writers that died left, and nothing else;
 * it replaces only a regular file, follows links, and keeps the file's permissions.
 */
class AtomicFileTest {
    @TempDir
    Path temp;

    @Test
    void aWriteRemovesTheStraysOfDeadProcessesOnly() throws Exception {
        Process finished = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-version").redirectErrorStream(true).start();
        finished.getInputStream().readAllBytes();
        finished.waitFor();
        long live = ProcessHandle.current().pid();
        List<String> kept = List.of(".t.safetensors." + live + ".17.tmp", ".t.safetensors.x.17.tmp",
                ".t.safetensors.5." + finished.pid() + ".17.tmp", ".u.safetensors." + finished.pid() + ".17.tmp",
                "t.safetensors.bak", ".t.safetensors." + finished.pid() + ".17.tmp.old");
        for (String name : kept) {
            Files.writeString(temp.resolve(name), name);
        }
        Files.writeString(temp.resolve(".t.safetensors." + finished.pid() + ".-42.tmp"), "stray");
        Files.writeString(temp.resolve(".t.safetensors." + finished.pid() + ".42.tmp"), "stray");
        AtomicFile.write(temp.resolve("t.safetensors"), new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(temp.resolve("t.safetensors")));
        try (Stream<Path> files = Files.list(temp)) {
            List<String> left = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("t.safetensors"))
                    .sorted().toList();
            assertEquals(kept.stream().sorted().toList(), left);
        }
    }

    @Test
    void onlyARegularFileIsReplacedAndALinkIsFollowed() throws Exception {
        Path device = Files.createSymbolicLink(temp.resolve("device"), Path.of("/dev/null"));
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> AtomicFile.write(device, new byte[] {1}));
        assertTrue(e.getMessage().contains("is a device, FIFO or socket"), e.getMessage());
        assertThrows(FileSystemException.class, () -> AtomicFile.write(temp, new byte[] {1}));
        assertTrue(Files.isSymbolicLink(device));
        Path real = temp.resolve("real");
        Path link = Files.createSymbolicLink(temp.resolve("link"), Path.of("real"));
        AtomicFile.write(link, new byte[] {4, 5});
        assertTrue(Files.isSymbolicLink(link));
        assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(real));
    }

    @Test
    void theNewFileKeepsTheOldOnesPermissions() throws Exception {
        Path file = temp.resolve("private");
        AtomicFile.write(file, new byte[] {1});
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        AtomicFile.write(file, new byte[] {2});
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertArrayEquals(new byte[] {2}, Files.readAllBytes(file));
    }

    @Test
    void aNameAsLongAsTheSystemAllowsIsWrittenAndAnImpossibleOneFoundBeforehand() throws Exception {
        Path longest = temp.resolve("n".repeat(255));
        AtomicFile.checkWritable(longest);
        AtomicFile.write(longest, new byte[] {7});
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(longest));
        Path tooLong = temp.resolve("n".repeat(256));
        FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFile.checkWritable(tooLong));
        assertEquals(tooLong.toString(), e.getFile(), "names the user's file, not a temporary one");
        try (Stream<Path> files = Files.list(temp)) {
            assertEquals(1, files.count(), "the checks leave nothing behind");
        }
    }
}
