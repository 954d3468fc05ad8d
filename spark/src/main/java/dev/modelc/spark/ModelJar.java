package dev.modelc.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * A generated model class compiled into a jar of its own, which a Spark session ships to its
 * executors (they load the class by name) and the driver loads the class from. Users who build
 * with the Maven plugin have the class in their application's jar already.
 *
 * @param jar the jar file
 * @param className the generated class's fully qualified name
 */
public record ModelJar(Path jar, String className) {

    /**
     * Compiles {@code javaSource}, the generated source of {@code className}, against the
     * runtime, and packs the classes into a jar in {@code folder}.
     */
    public static ModelJar compile(String className, String javaSource, Path folder) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in this runtime; run modelc on a JDK, not a JRE");
        }
        Path classes = Files.createTempDirectory(folder, "classes");
        Path source = classes.resolve(className.replace('.', '/') + ".java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, javaSource);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            files.setLocation(StandardLocation.CLASS_PATH, List.of(runtimeLocation().toFile()));
            files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(classes.toFile()));
            List<String> options = List.of("-g", "-proc:none", "-nowarn", "-Xlint:none");
            boolean ok = javac.getTask(null, files, diagnostics, options, null,
                    files.getJavaFileObjects(source.toFile())).call();
            if (!ok) {
                throw new IllegalStateException("javac rejected the generated code: " + diagnostics.getDiagnostics());
            }
        }
        Files.delete(source);
        // Named by its content too: a session keeps every jar it was given by its file name.
        Path jar = folder.resolve(className.replace('.', '-') + "-" + digest(javaSource) + ".jar");
        pack(classes, jar);
        deleteTree(classes);
        return new ModelJar(jar, className);
    }

    /**
     * Jars with modelc's own classes that executors need beside a model's: the runtime and this
     * module, as they are when they are jars, else their class folders packed into jars in
     * {@code folder}. An embedded session needs none (its executors are this JVM); a cluster's
     * executors have Spark alone.
     */
    public static List<Path> modelcJars(Path folder) throws IOException {
        List<Path> jars = new ArrayList<>();
        for (Class<?> type : List.of(dev.modelc.runtime.TrainableModel.class, ModelJar.class)) {
            Path location = location(type);
            Path jar = location;
            if (Files.isDirectory(location)) {
                jar = folder.resolve("modelc-" + type.getPackageName().replace('.', '-') + ".jar");
                pack(location, jar);
            }
            if (!jars.contains(jar)) {
                jars.add(jar);
            }
        }
        return jars;
    }

    /** Loads the class from the jar, in a loader whose parent is the one that loaded the runtime. */
    public Class<?> load() {
        try {
            URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                    ModelJar.class.getClassLoader());
            return Class.forName(className, true, loader);
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot load " + className + " from " + jar, e);
        }
    }

    private static String digest(String text) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pack(Path classes, Path jar) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(classes)) {
            walk.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).forEach(files::add);
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
            for (Path file : files) {
                JarEntry entry = new JarEntry(classes.relativize(file).toString().replace('\\', '/'));
                entry.setTime(0);
                zip.putNextEntry(entry);
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** The folder or jar that holds the runtime classes, for javac's class path. */
    private static Path runtimeLocation() {
        return location(dev.modelc.runtime.TrainableModel.class);
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + type.getName(), e);
        }
    }
}
