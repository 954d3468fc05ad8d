package dev.modelc.cli;

import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The {@code --log} file, written row by row while the run goes on. A log that cannot be
 * written any more (a full disk, {@code /dev/full}) costs the run nothing: the failure is told
 * at once, naming the file and the reason, the log stops there, training goes on and its
 * checkpoint is saved; the command then ends with exit code 2. A resumed run goes on with the
 * log of the run it resumes (see {@link #resume}).
 */
public final class LogFile implements AutoCloseable {
    private final Path path;
    private final PrintWriter err;
    private final Writer target;
    private final Writer writer;
    private String failure;
    private boolean skippingHeader;

    private LogFile(Path path, PrintWriter err, Writer target) {
        this.path = path;
        this.err = err;
        this.target = target;
        this.writer = new BufferedWriter(new KeepingFailure());
    }

    /** Opens {@code path} for writing, or a log that writes nothing when it is null. */
    public static LogFile open(Path path, PrintWriter err) {
        if (path == null) {
            return new LogFile(null, err, Writer.nullWriter());
        }
        try {
            return new LogFile(path, err, new OutputStreamWriter(Files.newOutputStream(path), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw RunFiles.cannotWrite("--log", path, e);
        }
    }

    /**
     * Opens {@code path} for a run resumed after {@code steps} updates. When it is a regular file
     * that starts with {@code header}, it is the log of the run resumed: its rows of step
     * {@code steps} on (written after the checkpoint was saved, or the stopping step's own) are cut
     * off and the new rows follow the others, so a run stopped and resumed leaves the log of an
     * unbroken one. Anything else is written anew, as {@link #open} does.
     */
    public static LogFile resume(Path path, PrintWriter err, String header, long steps) {
        if (path == null || !Files.isRegularFile(path)) {
            return open(path, err);
        }
        try {
            long kept = rowsBefore(path, header, steps);
            if (kept < 0) {
                return open(path, err);
            }
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
                channel.truncate(kept);
            }
            LogFile log = new LogFile(path, err, new OutputStreamWriter(Files.newOutputStream(path,
                    StandardOpenOption.APPEND), StandardCharsets.UTF_8));
            log.skippingHeader = true;
            return log;
        } catch (IOException e) {
            throw RunFiles.cannotWrite("--log", path, e);
        }
    }

    /**
     * How many bytes of {@code path} come before its first row of step {@code steps} or more (or
     * its first line that is not a whole row), or -1 when its first line is not {@code header}.
     */
    private static long rowsBefore(Path path, String header, long steps) throws IOException {
        int longest = Math.max(header.length() * 4, 1 << 16);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean first = true;
            long read = 0;
            long kept = 0;
            for (int b = in.read(); b != -1 && line.size() <= longest; b = in.read()) {
                read++;
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (first ? !text.equals(header) : !isRowBefore(text, steps)) {
                    return first ? -1 : kept;
                }
                first = false;
                kept = read;
            }
            return first ? -1 : kept;
        }
    }

    private static boolean isRowBefore(String row, long steps) {
        int comma = row.indexOf(',');
        try {
            return comma > 0 && Long.parseLong(row.substring(0, comma)) < steps;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** What the log's rows go to; it never throws. */
    public Writer writer() {
        return writer;
    }

    /** Why the log stopped, as a message naming the file, or null when every row was written. */
    public String failure() {
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
            Failures.error(err, failure + ", training goes on");
        }
    }

    /** Passes text on to the file until the first failure, which it keeps; after it, drops everything. */
    private final class KeepingFailure extends Writer {
        @Override
        public void write(char[] text, int offset, int length) {
            // A log that goes on has its header already.
            while (skippingHeader && length > 0) {
                length--;
                skippingHeader = text[offset++] != '\n';
            }
            if (failure == null && length > 0) {
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
