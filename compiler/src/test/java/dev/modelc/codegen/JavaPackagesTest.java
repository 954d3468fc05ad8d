package dev.modelc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.ModelCompiler;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A package is refused up front, with a reason, exactly when a class generated into it could
 * not be compiled and loaded: the JDK's packages, modelc's own, names with invisible characters.
 * Every package accepted here is compiled and loaded, so "accepted" means "works".
 */
class JavaPackagesTest {
    private static final String MODEL = "model %s\nparam w = 1.0\nloss L = w^2\n";

    @ParameterizedTest
    @ValueSource(strings = {"sun.misc", "javax.crypto", "java.util", "java", "jdk.internal.misc", "javax.swing",
        "com.sun.net.httpserver", "dev.modelc.runtime", "dev.modelc.runtime.data", "dev.modelc",
        "dev.modelc.testing", "a\u202Eb", "a\u200Bb", "pkg\u0000", "a.class", "1a", "a..b"})
    void refusedWithAReason(String name) {
        String problem = JavaPackages.problem(name).orElseThrow(() -> new AssertionError(name + " accepted"));
        assertTrue(problem.startsWith("`"), problem);
        assertTrue(problem.codePoints().noneMatch(c -> c == 0x202E || c == 0x200B || c == 0), problem);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "com.acme", "javax2.models", "dev.modelc.bench.generated", "dev.modelcx",
        "\u00fcn\u00ef.c\u00f4d\u00e9", "a.b$c", "sun2.misc"})
    void acceptedPackagesCompileAndLoad(String name) throws CompilationFailed {
        assertEquals(java.util.Optional.empty(), JavaPackages.problem(name));
        for (String model : List.of("Trainer", "Dataset", "Quadratic")) {
            ModelCompiler.Result result = ModelCompiler.compile(new SourceFile("m.model", MODEL.formatted(model)),
                    new ModelCompiler.Options(name, Dtype.F64));
            assertEquals(model, result.load().signature().name());
        }
    }

    @Test
    void everyPackageOfModelcIsItsOwn() throws IOException {
        Set<String> found = new TreeSet<>();
        try (Stream<Path> modules = Files.list(Path.of(".."))) {
            for (Path module : modules.toList()) {
                for (String kind : List.of("java", "antlr4")) {
                    found.addAll(packagesUnder(module.resolve("src/main/" + kind)));
                }
            }
        }
        assertTrue(found.contains("dev.modelc.runtime") && found.contains("dev.modelc.grammar"), found.toString());
        found.removeAll(JavaPackages.MODELC);
        assertEquals(Set.of(), found, "packages of modelc missing from JavaPackages.MODELC");
    }

    private static Set<String> packagesUnder(Path root) throws IOException {
        Set<String> packages = new TreeSet<>();
        if (!Files.isDirectory(root)) {
            return packages;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".g4"))
                    .forEach(f -> packages.add(root.relativize(f.getParent()).toString().replace('/', '.')));
        }
        return packages;
    }
}
