package dev.modelc.runtime.checkpoint;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

/** A path of a {@link RecordingFileSystem}: a default file system path, answering in kind. */
final class RecordingPath implements Path {
    private final RecordingFileSystem fs;
    private final Path real;

    RecordingPath(RecordingFileSystem fs, Path real) {
        this.fs = fs;
        this.real = real;
    }

    Path real() {
        return real;
    }

    @Override
    public FileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return real.isAbsolute();
    }

    @Override
    public Path getRoot() {
        return fs.wrap(real.getRoot());
    }

    @Override
    public Path getFileName() {
        return fs.wrap(real.getFileName());
    }

    @Override
    public Path getParent() {
        return fs.wrap(real.getParent());
    }

    @Override
    public int getNameCount() {
        return real.getNameCount();
    }

    @Override
    public Path getName(int index) {
        return fs.wrap(real.getName(index));
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        return fs.wrap(real.subpath(beginIndex, endIndex));
    }

    @Override
    public boolean startsWith(Path other) {
        return real.startsWith(RecordingFileSystem.unwrap(other));
    }

    @Override
    public boolean endsWith(Path other) {
        return real.endsWith(RecordingFileSystem.unwrap(other));
    }

    @Override
    public Path normalize() {
        return fs.wrap(real.normalize());
    }

    @Override
    public Path resolve(Path other) {
        return fs.wrap(real.resolve(RecordingFileSystem.unwrap(other)));
    }

    @Override
    public Path relativize(Path other) {
        return fs.wrap(real.relativize(RecordingFileSystem.unwrap(other)));
    }

    @Override
    public URI toUri() {
        return real.toUri();
    }

    @Override
    public Path toAbsolutePath() {
        return fs.wrap(real.toAbsolutePath());
    }

    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
        return fs.wrap(real.toRealPath(options));
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        throw new UnsupportedOperationException("not needed to record writes");
    }

    @Override
    public int compareTo(Path other) {
        return real.compareTo(RecordingFileSystem.unwrap(other));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecordingPath path && path.real.equals(real);
    }

    @Override
    public int hashCode() {
        return real.hashCode();
    }

    @Override
    public String toString() {
        return real.toString();
    }
}
