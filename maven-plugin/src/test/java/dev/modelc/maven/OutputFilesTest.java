package dev.modelc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFilesTest {
    @TempDir
    Path root;

    @Test
    void atomicWriteReplacesTheFileAndLeavesNoTemporaryFile() throws IOException {
        Path target = root.resolve("a/b/X.java");
        OutputFiles.writeAtomically(target, "first");
        OutputFiles.writeAtomically(target, "second é");

        assertEquals("second é", Files.readString(target, StandardCharsets.UTF_8));
        assertEquals(List.of(target), filesUnder(root));
    }

    @Test
    void deletingTheLastFileRemovesEmptyFoldersButNeverTheRoot() throws IOException {
        OutputFiles.writeAtomically(root.resolve("a/keep.txt"), "x");
        OutputFiles.writeAtomically(root.resolve("a/b/c/X.java"), "x");

        assertTrue(OutputFiles.deleteWithEmptyFolders(root.resolve("a/b/c/X.java"), root));
        assertFalse(Files.exists(root.resolve("a/b")));
        assertTrue(Files.exists(root.resolve("a/keep.txt")));

        assertTrue(OutputFiles.deleteWithEmptyFolders(root.resolve("a/keep.txt"), root));
        assertTrue(Files.isDirectory(root));
        assertFalse(OutputFiles.deleteWithEmptyFolders(root.resolve("gone.txt"), root));
    }

    @Test
    void sha256OfKnownText() {
        // The standard test vector for "abc".
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", OutputFiles.sha256("abc"));
    }

    @Test
    void compilerFingerprintFollowsTheBytesOfAJarOrAFolder() throws IOException {
        Path jar = root.resolve("compiler.jar");
        Files.writeString(jar, "v1");
        String first = CompilerFingerprint.hash(jar);
        Files.writeString(jar, "v2");
        assertNotEquals(first, CompilerFingerprint.hash(jar));

        Path classes = root.resolve("classes");
        OutputFiles.writeAtomically(classes.resolve("dev/A.class"), "a");
        String folder = CompilerFingerprint.hash(classes);
        assertEquals(folder, CompilerFingerprint.hash(classes));
        OutputFiles.writeAtomically(classes.resolve("dev/A.class"), "b");
        assertNotEquals(folder, CompilerFingerprint.hash(classes));
    }

    private static List<Path> filesUnder(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
    }
}
