package dev.modelc.runtime.checkpoint;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The default file system, seen through a provider that records what is done to files in
 * order: every channel opened, written, forced and closed, every move and delete. A crash test
 * cannot show a missing {@code fsync} (the page cache survives a killed process); this shows
 * whether one was asked for, and when.
 */
final class RecordingFileSystem extends FileSystem {
    /** One thing done: {@code kind} on {@code path} (and to {@code other}, for a move). */
    record Event(String kind, Path path, Path other) {
        @Override
        public String toString() {
            return kind + " " + path + (other == null ? "" : " -> " + other);
        }
    }

    private final FileSystem real = FileSystems.getDefault();
    private final RecordingProvider provider = new RecordingProvider(this);
    private final List<Event> events = new ArrayList<>();

    /** {@code path} of the default file system as a path of this one. */
    Path wrap(Path path) {
        return path == null ? null : new RecordingPath(this, path instanceof RecordingPath r ? r.real() : path);
    }

    /** The default file system's path behind one of this one's. */
    static Path unwrap(Path path) {
        if (path instanceof RecordingPath recording) {
            return recording.real();
        }
        throw new java.nio.file.ProviderMismatchException("not a recording path: " + path);
    }

    synchronized void record(String kind, Path path, Path other) {
        events.add(new Event(kind, path, other));
    }

    /** What was done so far, in order, with paths of the default file system. */
    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    @Override
    public FileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException("the default file system stays open");
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public boolean isReadOnly() {
        return real.isReadOnly();
    }

    @Override
    public String getSeparator() {
        return real.getSeparator();
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return StreamSupport.stream(real.getRootDirectories().spliterator(), false).map(this::wrap)
                .collect(Collectors.toList());
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return real.getFileStores();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return real.supportedFileAttributeViews();
    }

    @Override
    public Path getPath(String first, String... more) {
        return wrap(real.getPath(first, more));
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        PathMatcher matcher = real.getPathMatcher(syntaxAndPattern);
        return path -> matcher.matches(unwrap(path));
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        return real.getUserPrincipalLookupService();
    }

    @Override
    public WatchService newWatchService() throws IOException {
        throw new UnsupportedOperationException("not needed to record writes");
    }
}
