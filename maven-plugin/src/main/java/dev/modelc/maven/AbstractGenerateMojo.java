package dev.modelc.maven;

import dev.modelc.ModelCompiler;
import dev.modelc.codegen.Dtype;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/** What both goals share: find the models, bring their classes up to date, report, add the source root. */
abstract class AbstractGenerateMojo extends AbstractMojo {
    /** Where models are looked for when {@code sourceDirectory} is not set. */
    static final String DEFAULT_SOURCE_DIRECTORY = "src/main/model";

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    MojoExecution mojoExecution;

    /**
     * The folder searched for {@code .model} files; its subfolders give the packages. When unset,
     * {@code src/main/model}, which may be absent. Set, it must exist and hold a {@code .model} file, so that a typo
     * fails the build instead of removing every class generated before.
     */
    @Parameter(property = "modelc.sourceDirectory")
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
        Path models = sourceDirectory();
        IncrementalGenerator.Outcome outcome;
        try {
            outcome = IncrementalGenerator.run(settings(models));
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

    /** The folder of the models: the default, or one configured that exists and holds models. */
    private Path sourceDirectory() throws MojoFailureException {
        if (sourceDirectory == null) {
            return project.getBasedir().toPath().resolve(DEFAULT_SOURCE_DIRECTORY);
        }
        Path folder = sourceDirectory.toPath();
        String configured = "modelc: <sourceDirectory> (or -Dmodelc.sourceDirectory) is " + folder;
        if (!Files.isDirectory(folder)) {
            throw new MojoFailureException(configured + ", which " + (Files.exists(folder) ? "is not a folder"
                    : "does not exist") + "; set it to the folder of your .model files, or leave it unset for "
                    + DEFAULT_SOURCE_DIRECTORY + ". Nothing was generated or removed.");
        }
        try {
            if (IncrementalGenerator.findModels(folder).isEmpty()) {
                throw new MojoFailureException(configured + ", which holds no .model file; set it to the folder"
                        + " of your .model files, or leave it unset for " + DEFAULT_SOURCE_DIRECTORY
                        + ". Nothing was generated or removed.");
            }
        } catch (IOException | UncheckedIOException e) {
            throw new MojoFailureException("modelc: cannot list " + folder + ": " + e.getMessage(), e);
        }
        return folder;
    }

    private IncrementalGenerator.Settings settings(Path models) throws MojoExecutionException {
        String execution = mojoExecution.getGoal() + "-" + mojoExecution.getExecutionId();
        Path stateFile = stateDirectory.toPath().resolve(execution + ".state");
        return new IncrementalGenerator.Settings(models, outputDirectory().toPath(), stateFile,
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
