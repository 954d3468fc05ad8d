package dev.modelc.maven;

import dev.modelc.codegen.Dtype;
import java.io.File;
import java.util.Locale;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Compiles every {@code .model} file under {@code src/main/model} into a Java class under
 * {@code target/generated-sources/modelc}, which becomes a compile source root. The classes need only
 * modelc-runtime at run time.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractGenerateMojo {
    /** The folder the generated classes go into. */
    @Parameter(property = "modelc.outputDirectory",
            defaultValue = "${project.build.directory}/generated-sources/modelc")
    File outputDirectory;

    /**
     * The element type of the generated arithmetic: {@code f64} (double, the default: gradients and small losses
     * keep their precision) or {@code f32} (float: half the memory, faster on large models).
     */
    @Parameter(property = "modelc.dtype", defaultValue = "f64")
    String dtype;

    @Override
    File outputDirectory() {
        return outputDirectory;
    }

    @Override
    Dtype dtype() throws MojoExecutionException {
        try {
            return Dtype.parse(dtype.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("modelc: <dtype>: " + e.getMessage());
        }
    }

    @Override
    String subpackage() {
        return "";
    }

    @Override
    void addSourceRoot(MavenProject project, String folder) {
        project.addCompileSourceRoot(folder);
    }
}
