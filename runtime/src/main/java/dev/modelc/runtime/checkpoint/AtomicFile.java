package dev.modelc.runtime.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a file so that readers see the old contents or the new, never a part: the bytes go
 * to a temporary file in the same folder, are forced to the disk, and the temporary file is
 * renamed over the target in one step. A crash leaves at most a stray temporary file, named
 * {@code .<name>.<pid>.<n>.tmp} so it is never taken for the file itself; the next write of
 * the same file removes the strays of processes that are gone.
 *
 * <p>Only a regular file is ever replaced: a device, a FIFO or a folder at the path is refused,
 * never renamed over. A symbolic link is followed, so the file it points to is replaced and the
 * link stays. The new file keeps the old one's permissions.
 */
public final class AtomicFile {
    /** The most bytes of the target's name a temporary file's name repeats, so that it stays a legal name. */
    private static final int MAX_NAME_BYTES_KEPT = 200;

    /** What goes into the file: written from the channel's start, which may be written at any position. */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    private AtomicFile() {
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
    }

    /** Writes whatever {@code content} writes, atomically as above; when it throws, the file is left as it was. */
    public static void write(Path target, Content content) throws IOException {
        Path absolute = replaced(target);
        Path folder = absolute.getParent();
        Path temporary = temporaryFor(absolute);
        try {
            // Made as an ordinary new file, not by createTempFile, so it gets the usual permissions.
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                content.writeTo(channel);
                channel.force(true);
            }
            keepPermissions(absolute, temporary);
            move(temporary, absolute);
        } finally {
            Files.deleteIfExists(temporary);
        }
        syncFolder(folder);
        removeStrays(absolute);
    }

    /**
     * Checks, before any work is done, that {@link #write} could replace or create {@code target}:
     * it is a regular file or does not exist, and its folder takes a new file (a temporary file is
     * made there and removed, and a missing target is made and removed, so a read-only folder or
     * a name too long is found now). Throws what writing would, naming {@code target}.
     */
    public static void checkWritable(Path target) throws IOException {
        Path absolute = replaced(target);
        Path temporary = temporaryFor(absolute);
        try {
            Files.newByteChannel(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
            Files.delete(temporary);
            if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
                Files.newByteChannel(absolute, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                Files.delete(absolute);
            }
        } catch (FileSystemException e) {
            throw new FileSystemException(target.toString(), null, reason(e));
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * The absolute path whose file a write replaces: {@code target}, or the file its symbolic
     * links lead to. Refuses anything but a regular file or nothing.
     */
    static Path replaced(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        if (Files.isSymbolicLink(absolute)) {
            try {
                absolute = absolute.toRealPath();
            } catch (NoSuchFileException e) {
                // A link to nothing yet: the file is made where the link points.
                absolute = absolute.getParent().resolve(Files.readSymbolicLink(absolute)).toAbsolutePath();
                return replaced(absolute);
            }
        }
        if (Files.exists(absolute)) {
            BasicFileAttributes attributes = Files.readAttributes(absolute, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw new FileSystemException(target.toString(), null, notRegular(attributes)
                        + ", not a regular file; only a regular file is replaced");
            }
        }
        if (absolute.getParent() == null) {
            throw new FileSystemException(target.toString(), null, "is not a file name");
        }
        return absolute;
    }

    /** Why a file operation failed, in words: the system's reason, or what the exception's type says. */
    public static String reason(FileSystemException e) {
        if (e.getReason() != null) {
            return e.getReason();
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        return e.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String notRegular(BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "is a folder";
        }
        return attributes.isOther() ? "is a device, FIFO or socket" : "is something else";
    }

    private static Path temporaryFor(Path absolute) {
        return absolute.getParent().resolve(strayPrefix(absolute) + ProcessHandle.current().pid() + "."
                + System.nanoTime() + ".tmp");
    }

    /** {@code .NAME.}, with NAME cut to {@link #MAX_NAME_BYTES_KEPT} bytes of UTF-8 (whole characters). */
    private static String strayPrefix(Path target) {
        String name = target.getFileName().toString();
        while (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES_KEPT) {
            name = name.substring(0, name.offsetByCodePoints(name.length(), -1));
        }
        return "." + name + ".";
    }

    /** The new file takes the old one's mode, so that a private checkpoint stays private. */
    private static void keepPermissions(Path target, Path temporary) throws IOException {
        PosixFileAttributeView old = Files.getFileAttributeView(target, PosixFileAttributeView.class);
        if (old == null || !Files.exists(target)) {
            return;
        }
        Set<PosixFilePermission> permissions = old.readAttributes().permissions();
        Files.getFileAttributeView(temporary, PosixFileAttributeView.class).setPermissions(permissions);
    }

    /** Deletes the temporary files of earlier writes of {@code target} whose process has died. */
    private static void removeStrays(Path target) {
        String prefix = strayPrefix(target);
        Pattern stray = Pattern.compile(Pattern.quote(prefix) + "(\\d+)\\.-?\\d+\\.tmp");
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(target.getParent(),
                p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path sibling : siblings) {
                Matcher name = stray.matcher(sibling.getFileName().toString());
                if (name.matches() && !alive(name.group(1))) {
                    Files.deleteIfExists(sibling);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // Strays waste space but are never read; the file itself is written.
        }
    }

    private static boolean alive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true; // not a name this class makes: leave it
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(to + ": the file system cannot replace files atomically, so the file was "
                    + "not written", e);
        }
    }

    /** Makes the rename itself durable; where folders cannot be opened (Windows), the rename must do. */
    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Nothing more can be done; the file itself is already complete on disk.
        }
    }
}
