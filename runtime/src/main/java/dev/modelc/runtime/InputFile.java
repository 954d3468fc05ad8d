package dev.modelc.runtime;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a file that is read once, from its start: a regular file, or what a shell gives for
 * {@code <(command)} or {@code /dev/stdin} (a pipe or a terminal), read as the stream it is,
 * without asking its size or position, which a pipe does not have. A named pipe (FIFO) is
 * refused before it is opened: opening one waits, for ever, until some process writes into it.
 */
public final class InputFile {
    /** The file type bits of a Unix mode, and the type of a named pipe. */
    private static final int TYPE_MASK = 0170000;
    private static final int FIFO = 0010000;

    private InputFile() {
    }

    /** The stream of the file's bytes; the caller closes it. */
    public static InputStream open(Path path) throws IOException {
        if (Files.isRegularFile(path)) {
            return Files.newInputStream(path);
        }
        if (isNamedPipe(path)) {
            throw new FileSystemException(path.toString(), null, "it is a named pipe (FIFO), which would wait "
                    + "for a writer; give a file, or a shell pipe such as <(command)");
        }
        // Read as a stream: a channel, and FileInputStream's own readAllBytes, ask a pipe for its position and fail.
        return new BufferedInputStream(new FileInputStream(path.toFile()));
    }

    /** Whether the path leads to a FIFO made with mkfifo, not to a pipe a shell opened for this process. */
    static boolean isNamedPipe(Path path) throws IOException {
        Path at = path;
        for (int links = 0; Files.isSymbolicLink(at) && links < 40; links++) {
            Path target = Files.readSymbolicLink(at);
            if (target.toString().matches("(pipe|socket|anon_inode):\\[\\d+\\]")) {
                return false; // /dev/fd/N of a pipe already open: a stream with a writer or at its end
            }
            at = at.resolveSibling(target);
        }
        try {
            Object mode = Files.getAttribute(at, "unix:mode");
            return mode instanceof Integer bits && (bits & TYPE_MASK) == FIFO;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return false; // no Unix modes here, and so no FIFOs
        }
    }
}
