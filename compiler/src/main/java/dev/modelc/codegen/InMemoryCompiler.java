package dev.modelc.codegen;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles generated sources with javac in memory and loads the classes, with the runtime
 * on the class path: how the command line runs a model without writing files.
 */
public final class InMemoryCompiler {
    private InMemoryCompiler() {
    }

    /** Thrown when javac rejects generated code: a compiler bug, never a user error. */
    public static class GeneratedCodeRejected extends RuntimeException {
        public GeneratedCodeRejected(String message) {
            super(message);
        }
    }

    /**
     * Thrown when javac rejects generated code only for a limit of the class file format, such as
     * 64 KiB of bytecode in one method: the model is too large, the code is not wrong.
     */
    public static final class GeneratedCodeTooLarge extends GeneratedCodeRejected {
        private final String method;
        private final String reason;

        GeneratedCodeTooLarge(String message, String method, String reason) {
            super(message);
            this.method = method;
            this.reason = reason;
        }

        /** The generated method javac refused, such as {@code backward}, or empty when javac named none. */
        public Optional<String> method() {
            return Optional.ofNullable(method);
        }

        /** javac's words for the limit, such as "code too large". */
        public String reason() {
            return reason;
        }
    }

    /** javac's codes for the class file format's limits: code size, constant pool, locals and the like. */
    private static final String LIMIT_CODE_PREFIX = "compiler.err.limit.";

    /** The name before the first parenthesis of a line: the method a declaration line declares. */
    private static final Pattern METHOD_NAME = Pattern.compile("([\\p{L}_$][\\p{L}\\p{N}_$]*)\\s*\\(");

    /** javac's options: debugging information, no annotation processing, no warnings. */
    private static final List<String> OPTIONS = List.of("-g", "-proc:none", "-Xlint:none", "-nowarn");

    /**
     * Compiles {@code sources} (fully qualified class name to source text) and returns a
     * loader that defines the resulting classes.
     */
    public static ClassLoader compile(Map<String, String> sources) {
        return compile(sources, ClassCache.NONE);
    }

    /** The same, taking the classes from {@code cache} when it has them, and keeping them there when not. */
    public static ClassLoader compile(Map<String, String> sources, ClassCache cache) {
        return loader(classes(sources, cache));
    }

    /** The class files of {@code sources}: from {@code cache} when it has them, else javac's (kept there). */
    public static Map<String, byte[]> classes(Map<String, String> sources, ClassCache cache) {
        if (cache.folder().isEmpty()) {
            return javac(sources);
        }
        String key = cache.key(sources, OPTIONS);
        Map<String, byte[]> classes = cache.get(key).orElse(null);
        if (classes == null) {
            classes = javac(sources);
            cache.put(key, classes);
        }
        return classes;
    }

    /** A loader that defines {@code classes} (binary name to class file), with the runtime's classes visible. */
    public static ClassLoader loader(Map<String, byte[]> classes) {
        return new MemoryClassLoader(Map.copyOf(classes), InMemoryCompiler.class.getClassLoader());
    }

    private static Map<String, byte[]> javac(Map<String, String> sources) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in this runtime; run modelc on a JDK, not a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ROOT, null);
        Map<String, ByteArrayOutputStream> classes = new HashMap<>();
        try (JavaFileManager files = new MemoryFileManager(standard, classes)) {
            standard.setLocation(StandardLocation.CLASS_PATH, List.of(runtimeLocation()));
            List<JavaFileObject> units = new ArrayList<>();
            sources.forEach((name, text) -> units.add(new Source(name, text)));
            boolean ok = javac.getTask(null, files, diagnostics, OPTIONS, null, units).call();
            if (!ok) {
                throw rejection(diagnostics.getDiagnostics(), sources);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, byte[]> bytes = new HashMap<>();
        classes.forEach((name, out) -> bytes.put(name, out.toByteArray()));
        return bytes;
    }

    private static GeneratedCodeRejected rejection(List<Diagnostic<? extends JavaFileObject>> found,
                                                   Map<String, String> sources) {
        StringBuilder message = new StringBuilder("javac rejected the generated code:\n");
        for (Diagnostic<? extends JavaFileObject> d : found) {
            message.append(d.getLineNumber()).append(": ").append(d.getMessage(Locale.ROOT)).append('\n');
        }
        Diagnostic<? extends JavaFileObject> first = found.stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR).findFirst().orElse(null);
        if (first == null || first.getCode() == null || !first.getCode().startsWith(LIMIT_CODE_PREFIX)) {
            return new GeneratedCodeRejected(message.toString());
        }
        return new GeneratedCodeTooLarge(message.toString(), methodAt(first, sources),
                first.getMessage(Locale.ROOT));
    }

    /** The method declared on the line javac reported, or null when that line declares none. */
    private static String methodAt(Diagnostic<? extends JavaFileObject> d, Map<String, String> sources) {
        if (d.getSource() == null || d.getLineNumber() < 1) {
            return null;
        }
        String path = d.getSource().toUri().getPath();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            if (path.equals("/" + source.getKey().replace('.', '/') + JavaFileObject.Kind.SOURCE.extension)) {
                List<String> lines = source.getValue().lines().toList();
                if (d.getLineNumber() > lines.size()) {
                    return null;
                }
                Matcher name = METHOD_NAME.matcher(lines.get((int) d.getLineNumber() - 1));
                return name.find() ? name.group(1) : null;
            }
        }
        return null;
    }

    /** The folder or jar that holds the runtime classes, for javac's class path. */
    static File runtimeLocation() {
        try {
            URI location = dev.modelc.runtime.TrainableModel.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI();
            return Path.of(location).toFile();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the modelc runtime", e);
        }
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String className, String text) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }

    private static final class MemoryFileManager extends ForwardingJavaFileManager<JavaFileManager> {
        private final Map<String, ByteArrayOutputStream> classes;

        MemoryFileManager(JavaFileManager delegate, Map<String, ByteArrayOutputStream> classes) {
            super(delegate);
            this.classes = classes;
        }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                                   FileObject sibling) {
            return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                @Override
                public OutputStream openOutputStream() {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    classes.put(className, out);
                    return out;
                }
            };
        }
    }

    private static final class MemoryClassLoader extends ClassLoader {
        private final Map<String, byte[]> classes;

        MemoryClassLoader(Map<String, byte[]> classes, ClassLoader parent) {
            super(parent);
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name);
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
