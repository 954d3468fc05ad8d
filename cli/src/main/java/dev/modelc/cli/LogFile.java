package dev.modelc.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code --log} file, written row by row while the run goes on. A log that cannot be
 * written any more (a full disk, {@code /dev/full}) costs the run nothing: the failure is told
 * at once, naming the file and the reason, the log stops there, training goes on and its
 * checkpoint is saved; the command then ends with exit code 2.
 */
final class LogFile implements AutoCloseable {
    private final Path path;
    private final PrintWriter err;
    private final Writer target;
    private final Writer writer;
    private String failure;

    private LogFile(Path path, PrintWriter err, Writer target) {
        this.path = path;
        this.err = err;
        this.target = target;
        this.writer = new BufferedWriter(new KeepingFailure());
    }

    /** Opens {@code path} for writing, or a log that writes nothing when it is null. */
    static LogFile open(Path path, PrintWriter err) {
        if (path == null) {
            return new LogFile(null, err, Writer.nullWriter());
        }
        try {
            return new LogFile(path, err, new OutputStreamWriter(Files.newOutputStream(path), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw RunFiles.cannotWrite("--log", path, e);
        }
    }

    /** What the log's rows go to; it never throws. */
    Writer writer() {
        return writer;
    }

    /** Why the log stopped, as a message naming the file, or null when every row was written. */
    String failure() {
        return failure;
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            fail(e);
        }
    }

    private void fail(IOException e) {
        if (failure == null) {
            failure = RunFiles.cannotWrite("--log", path, e).getMessage() + "; the log stops there";
            err.println("modelc: error: " + failure + ", training goes on");
            err.flush();
        }
    }

    /** Passes text on to the file until the first failure, which it keeps; after it, drops everything. */
    private final class KeepingFailure extends Writer {
        @Override
        public void write(char[] text, int offset, int length) {
            if (failure == null) {
                try {
                    target.write(text, offset, length);
                } catch (IOException e) {
                    fail(e);
                }
            }
        }

        @Override
        public void flush() {
            if (failure == null) {
                try {
                    target.flush();
                } catch (IOException e) {
                    fail(e);
                }
            }
        }

        @Override
        public void close() {
            flush();
            try {
                target.close();
            } catch (IOException e) {
                fail(e);
            }
        }
    }
}
