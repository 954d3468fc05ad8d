package dev.modelc.runtime.checkpoint;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** The provider of a {@link RecordingFileSystem}: the default provider's work, recorded. */
final class RecordingProvider extends FileSystemProvider {
    private final RecordingFileSystem fs;
    private final FileSystemProvider real;

    RecordingProvider(RecordingFileSystem fs) {
        this.fs = fs;
        this.real = java.nio.file.FileSystems.getDefault().provider();
    }

    private static Path unwrap(Path path) {
        return RecordingFileSystem.unwrap(path);
    }

    @Override
    public String getScheme() {
        return "recording";
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        throw new UnsupportedOperationException("make a RecordingFileSystem instead");
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        return fs;
    }

    @Override
    public Path getPath(URI uri) {
        return fs.wrap(real.getPath(uri));
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        Path target = unwrap(path);
        FileChannel channel = real.newFileChannel(target, options, attrs);
        fs.record("open" + new java.util.TreeSet<>(options.stream().map(String::valueOf).toList()), target, null);
        return new RecordingChannel(fs, target, channel);
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
                                              FileAttribute<?>... attrs) throws IOException {
        return newFileChannel(path, options, attrs);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        DirectoryStream<Path> stream = real.newDirectoryStream(unwrap(dir), p -> filter.accept(fs.wrap(p)));
        return new DirectoryStream<>() {
            @Override
            public Iterator<Path> iterator() {
                Iterator<Path> paths = stream.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return paths.hasNext();
                    }

                    @Override
                    public Path next() {
                        return fs.wrap(paths.next());
                    }
                };
            }

            @Override
            public void close() throws IOException {
                stream.close();
            }
        };
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        real.createDirectory(unwrap(dir), attrs);
        fs.record("mkdir", unwrap(dir), null);
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        real.createSymbolicLink(unwrap(link), unwrap(target), attrs);
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        return fs.wrap(real.readSymbolicLink(unwrap(link)));
    }

    @Override
    public void delete(Path path) throws IOException {
        real.delete(unwrap(path));
        fs.record("delete", unwrap(path), null);
    }

    @Override
    public boolean deleteIfExists(Path path) throws IOException {
        boolean deleted = real.deleteIfExists(unwrap(path));
        if (deleted) {
            fs.record("delete", unwrap(path), null);
        }
        return deleted;
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        real.copy(unwrap(source), unwrap(target), options);
        fs.record("copy", unwrap(source), unwrap(target));
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        real.move(unwrap(source), unwrap(target), options);
        fs.record("move", unwrap(source), unwrap(target));
    }

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        return Files.isSameFile(unwrap(path), unwrap(path2));
    }

    @Override
    public boolean isHidden(Path path) throws IOException {
        return real.isHidden(unwrap(path));
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        return real.getFileStore(unwrap(path));
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        real.checkAccess(unwrap(path), modes);
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        return real.getFileAttributeView(unwrap(path), type, options);
    }

    @Override
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        return real.readAttributes(unwrap(path), type, options);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
            throws IOException {
        return real.readAttributes(unwrap(path), attributes, options);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        real.setAttribute(unwrap(path), attribute, value, options);
    }
}
