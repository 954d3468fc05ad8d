package dev.modelc.maven;

import dev.modelc.ModelCompiler;
import dev.modelc.codegen.Dtype;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/** What both goals share: find the models, bring their classes up to date, report, add the source root. */
abstract class AbstractGenerateMojo extends AbstractMojo {
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    MojoExecution mojoExecution;

    /** The folder searched for {@code .model} files; its subfolders give the packages. */
    @Parameter(property = "modelc.sourceDirectory", defaultValue = "${project.basedir}/src/main/model")
    File sourceDirectory;

    /** The package of every generated class; when unset, a model's folder under the source folder names it. */
    @Parameter(property = "modelc.packageName")
    String packageName;

    /** Skips generation; the output folder is still added as a source root, so earlier output compiles. */
    @Parameter(property = "modelc.skip", defaultValue = "false")
    boolean skip;

    /** Where each execution records what it generated, for the next build's up-to-date checks. */
    @Parameter(defaultValue = "${project.build.directory}/modelc-state", readonly = true, required = true)
    File stateDirectory;

    /** The folder the classes go into. */
    abstract File outputDirectory();

    /** The element type of the generated arithmetic. */
    abstract Dtype dtype() throws MojoExecutionException;

    /** A package appended to every class's package, or "" for none. */
    abstract String subpackage();

    /** Makes the output folder part of the compilation this goal feeds. */
    abstract void addSourceRoot(MavenProject project, String folder);

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        addSourceRoot(project, outputDirectory().getAbsolutePath());
        if (skip) {
            getLog().info("modelc: skipped (modelc.skip)");
            return;
        }
        IncrementalGenerator.Outcome outcome;
        try {
            outcome = IncrementalGenerator.run(settings());
        } catch (ModelErrors e) {
            for (String rendered : e.rendered()) {
                rendered.lines().forEach(getLog()::error);
            }
            // The diagnostics above are the message; the failure only sums them up, so none is printed twice.
            throw new MojoFailureException("modelc: " + e.getMessage() + " (see the errors above)");
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            throw new MojoExecutionException("modelc: " + e.getMessage(), e);
        }
        report(outcome);
    }

    private IncrementalGenerator.Settings settings() throws MojoExecutionException {
        String execution = mojoExecution.getGoal() + "-" + mojoExecution.getExecutionId();
        Path stateFile = stateDirectory.toPath().resolve(execution + ".state");
        return new IncrementalGenerator.Settings(sourceDirectory.toPath(), outputDirectory().toPath(), stateFile,
                packageName, subpackage(), dtype(), CompilerFingerprint.of(ModelCompiler.class));
    }

    private void report(IncrementalGenerator.Outcome outcome) {
        for (String warning : outcome.warnings()) {
            warning.lines().forEach(getLog()::warn);
        }
        for (IncrementalGenerator.Event event : outcome.events()) {
            getLog().info("modelc: " + describe(event));
        }
        getLog().info(String.format("modelc: %d generated, %d up to date, %d removed in %s",
                outcome.count(IncrementalGenerator.Action.GENERATED),
                outcome.count(IncrementalGenerator.Action.UP_TO_DATE),
                outcome.count(IncrementalGenerator.Action.REMOVED), outputDirectory()));
    }

    private static String describe(IncrementalGenerator.Event event) {
        switch (event.action()) {
            case GENERATED:
                return "generated " + event.output() + " from " + event.model();
            case UP_TO_DATE:
                return "up to date: " + event.output() + " from " + event.model();
            default:
                return "removed " + event.output() + " (was generated from " + event.model() + ")";
        }
    }
}
