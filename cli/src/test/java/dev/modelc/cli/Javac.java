package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.runtime.TrainableModel;
import java.io.File;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles written Java files with javac, the runtime classes the only class path. */
final class Javac {
    private Javac() {
    }

    /** Compiles {@code source} into {@code classes}; fails with javac's messages if it rejects it. */
    static void compile(Path source, Path classes) throws URISyntaxException {
        compile(List.of(source), classes);
    }

    /** Compiles {@code sources} together into {@code classes}. */
    static void compile(List<Path> sources, Path classes) throws URISyntaxException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter messages = new StringWriter();
        // Without -classpath javac would use this JVM's, which holds the whole compiler.
        List<String> options = List.of("-classpath", runtimeLocation(), "-d", classes.toString(),
                "-proc:none", "-Xlint:all", "-Werror");
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, Locale.ROOT, null)) {
            boolean ok = javac.getTask(messages, files, null, options, null,
                    files.getJavaFileObjectsFromPaths(sources)).call();
            assertTrue(ok, "javac rejected " + sources + ":\n" + messages);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The jar or folder holding the runtime classes. */
    static String runtimeLocation() throws URISyntaxException {
        return new File(TrainableModel.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
    }
}
