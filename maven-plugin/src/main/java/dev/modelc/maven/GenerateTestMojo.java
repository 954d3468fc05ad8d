package dev.modelc.maven;

import dev.modelc.codegen.Dtype;
import java.io.File;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Compiles the same models into f64 classes for tests, such as gradient checks against finite differences,
 * under {@code target/generated-test-sources/modelc}, a test source root. Each class goes into a subpackage
 * ({@code f64} by default) of its main package, so {@code demo/line.model} gives {@code demo.f64.Line} beside
 * the main build's {@code demo.Line}.
 */
@Mojo(name = "generate-test", defaultPhase = LifecyclePhase.GENERATE_TEST_SOURCES, threadSafe = true)
public final class GenerateTestMojo extends AbstractGenerateMojo {
    /** The folder the f64 test classes go into. */
    @Parameter(property = "modelc.testOutputDirectory",
            defaultValue = "${project.build.directory}/generated-test-sources/modelc")
    File testOutputDirectory;

    /** The subpackage the test classes go into, so they never clash with the main build's classes. */
    @Parameter(property = "modelc.testSubpackage", defaultValue = "f64")
    String testSubpackage;

    @Override
    File outputDirectory() {
        return testOutputDirectory;
    }

    @Override
    Dtype dtype() {
        return Dtype.F64;
    }

    @Override
    String subpackage() {
        return testSubpackage == null ? "" : testSubpackage;
    }

    @Override
    void addSourceRoot(MavenProject project, String folder) {
        project.addTestCompileSourceRoot(folder);
    }
}
