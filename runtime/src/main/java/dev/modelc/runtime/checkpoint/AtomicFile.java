package dev.modelc.runtime.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a file so that readers see the old contents or the new, never a part: the bytes go
 * to a temporary file in the same folder, are forced to the disk, and the temporary file is
 * renamed over the target in one step. A crash leaves at most a stray temporary file, named
 * {@code .<name>.<pid>.<n>.tmp} so it is never taken for the file itself; the next write of
 * the same file removes the strays of processes that are gone.
 */
public final class AtomicFile {
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
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        // Made as an ordinary new file, not by createTempFile, so it gets the usual permissions.
        Path temporary = folder.resolve(strayPrefix(absolute) + ProcessHandle.current().pid() + "."
                + System.nanoTime() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                content.writeTo(channel);
                channel.force(true);
            }
            move(temporary, absolute);
        } finally {
            Files.deleteIfExists(temporary);
        }
        syncFolder(folder);
        removeStrays(absolute);
    }

    private static String strayPrefix(Path target) {
        return "." + target.getFileName() + ".";
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
