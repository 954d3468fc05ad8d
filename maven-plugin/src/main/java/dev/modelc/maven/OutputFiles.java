package dev.modelc.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** File operations that never leave a half-written file behind, and the hash that tells files apart. */
final class OutputFiles {
    private OutputFiles() {
    }

    /** Writes {@code text} to a temporary file beside {@code target}, then renames it over the target. */
    static void writeAtomically(Path target, String text) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path temporary = Files.createTempFile(folder, "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Deletes {@code file}, then each folder above it that became empty, up to but not including {@code root}. */
    static boolean deleteWithEmptyFolders(Path file, Path root) throws IOException {
        boolean deleted = Files.deleteIfExists(file);
        Path stop = root.toAbsolutePath().normalize();
        for (Path folder = file.toAbsolutePath().normalize().getParent();
                folder != null && folder.startsWith(stop) && !folder.equals(stop); folder = folder.getParent()) {
            if (!isEmptyFolder(folder)) {
                break;
            }
            Files.delete(folder);
        }
        return deleted;
    }

    private static boolean isEmptyFolder(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            return !entries.iterator().hasNext();
        }
    }

    /** The SHA-256 of a file's bytes in hex, or "" when it does not exist. */
    static String hashOf(Path file) throws IOException {
        return Files.isRegularFile(file) ? sha256(Files.readAllBytes(file)) : "";
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
