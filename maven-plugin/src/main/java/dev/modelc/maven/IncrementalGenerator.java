package dev.modelc.maven;

import dev.modelc.ModelCompiler;
import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Brings the classes generated from one folder of models up to date. A model is compiled again only when its
 * fingerprint (its text, the compiler, the package and the dtype) differs from the last run's or its class was
 * changed or lost since; a class whose model is gone is deleted. Every model is compiled before anything is
 * written, so a run with errors writes nothing; each file is written whole or not at all.
 */
final class IncrementalGenerator {
    /** Where models are read and classes written, and how they are compiled. */
    record Settings(Path sourceDirectory, Path outputDirectory, Path stateFile, String packageName,
                    String subpackage, Dtype dtype, String compilerFingerprint) {
    }

    /** What a run did about one class. */
    enum Action {
        GENERATED, UP_TO_DATE, REMOVED
    }

    /** One class and what happened to it; {@code model} and {@code output} are relative, slash-separated. */
    record Event(Action action, String model, String output) {
    }

    /** Everything a run did, in model order, and the compiler's warnings. */
    record Outcome(List<Event> events, List<String> warnings) {
        long count(Action action) {
            return events.stream().filter(e -> e.action() == action).count();
        }
    }

    /** A compiled class waiting until every model has compiled. */
    private record Pending(String model, String output, String source) {
    }

    private final Settings settings;
    private final GenerationState previous;
    private final Map<String, GenerationState.Entry> next = new TreeMap<>();
    private final List<Pending> pending = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();

    private IncrementalGenerator(Settings settings, GenerationState previous) {
        this.settings = settings;
        this.previous = previous;
    }

    /** Runs once over {@code settings.sourceDirectory()}. */
    static Outcome run(Settings settings) throws ModelErrors, IOException {
        IncrementalGenerator run = new IncrementalGenerator(settings, GenerationState.read(settings.stateFile()));
        for (Path model : findModels(settings.sourceDirectory(), run.warnings)) {
            run.consider(model);
        }
        run.checkClassesAreDistinct();
        if (!run.errors.isEmpty()) {
            throw new ModelErrors(run.errors);
        }
        run.writeAndRemove();
        List<Event> events = new ArrayList<>(run.events);
        events.sort(Comparator.comparing(Event::model).thenComparing(Event::action));
        return new Outcome(List.copyOf(events), List.copyOf(run.warnings));
    }

    /** The .model files under {@code root}, as {@link #findModels(Path, List)} finds them, its warnings left aside. */
    static List<Path> findModels(Path root) throws IOException {
        return findModels(root, new ArrayList<>());
    }

    /**
     * The .model files under {@code root}, in a stable order; hidden files (editor backups) are
     * left out. Links are followed, to folders as to files; a link that leads back into a folder
     * above it is not followed again, with a warning.
     */
    static List<Path> findModels(Path root, List<String> warnings) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        String name = file.getFileName().toString();
                        if (attributes.isRegularFile() && name.endsWith(".model") && !name.startsWith(".")) {
                            found.add(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                        if (e instanceof FileSystemLoopException) {
                            warnings.add(file.toAbsolutePath() + ": warning: a link back into a folder above it; "
                                    + "its models are read once, where the folder is\n");
                            return FileVisitResult.CONTINUE;
                        }
                        throw e;
                    }
                });
        found.sort((a, b) -> relative(root, a).compareTo(relative(root, b)));
        return found;
    }

    private void consider(Path model) {
        String relative = relative(settings.sourceDirectory(), model);
        String display = model.toAbsolutePath().toString();
        String packageName;
        try {
            packageName = PackageNames.packageFor(folderOf(relative), settings.packageName(), settings.subpackage());
        } catch (IllegalArgumentException e) {
            errors.add(display + ": error: " + e.getMessage() + "\n");
            return;
        }
        try {
            SourceFile source = SourceFile.read(model.toAbsolutePath());
            String fingerprint = OutputFiles.sha256(String.join("\n", settings.compilerFingerprint(),
                    settings.dtype().label(), packageName, source.text()));
            GenerationState.Entry old = previous.get(relative);
            if (old != null && old.fingerprint().equals(fingerprint) && outputIntact(old)) {
                next.put(relative, old);
                events.add(new Event(Action.UP_TO_DATE, relative, old.output()));
                return;
            }
            compile(relative, source, packageName, fingerprint);
        } catch (CompilationFailed e) {
            errors.add(e.diagnostics().render());
        } catch (SourceFile.NotUtf8 e) {
            errors.add(e.diagnostics().render());
        } catch (IOException e) {
            errors.add(readError(display, e));
        }
    }

    private void compile(String relative, SourceFile source, String packageName, String fingerprint)
            throws CompilationFailed {
        ModelCompiler.Result result;
        try {
            result = ModelCompiler.compile(source, new ModelCompiler.Options(packageName, settings.dtype()));
            // Only javac knows whether each method fits the JVM's 64 KiB: a model too large for one
            // gets its diagnostic here, at the loss, rather than javac's error in the user's build.
            result.load();
        } catch (RuntimeException e) {
            throw new IllegalStateException("modelc failed on " + source.displayName()
                    + " without a diagnostic; this is a bug in modelc: " + e, e);
        }
        String warningText = result.diagnostics().render();
        if (!warningText.isEmpty()) {
            warnings.add(warningText);
        }
        String simpleName = result.javaFile().typeSpec().name();
        String output = packageName.isEmpty() ? simpleName + ".java"
                : packageName.replace('.', '/') + "/" + simpleName + ".java";
        String text = result.javaSource();
        next.put(relative, new GenerationState.Entry(relative, fingerprint, output, OutputFiles.sha256(text)));
        pending.add(new Pending(relative, output, text));
    }

    /** {@link SourceFile#read} names the file in its message; keep one name, in the diagnostic position. */
    private static String readError(String display, IOException e) {
        String message = String.valueOf(e.getMessage());
        if (message.startsWith(display + ": ")) {
            message = message.substring(display.length() + 2);
        }
        return display + ": error: " + message + "\n";
    }

    private boolean outputIntact(GenerationState.Entry entry) throws IOException {
        return OutputFiles.hashOf(settings.outputDirectory().resolve(entry.output())).equals(entry.outputHash());
    }

    /** Two models that define the same class in the same package would overwrite each other. */
    private void checkClassesAreDistinct() {
        Map<String, String> modelByOutput = new LinkedHashMap<>();
        for (GenerationState.Entry entry : next.values()) {
            String first = modelByOutput.putIfAbsent(entry.output(), entry.model());
            if (first != null) {
                errors.add(settings.sourceDirectory().resolve(entry.model()).toAbsolutePath()
                        + ": error: generates " + entry.output() + ", as " + first
                        + " does; give the models different `model` names or packages\n");
            }
        }
    }

    private void writeAndRemove() throws IOException {
        for (Pending p : pending) {
            OutputFiles.writeAtomically(settings.outputDirectory().resolve(p.output()), p.source());
            events.add(new Event(Action.GENERATED, p.model(), p.output()));
        }
        Set<String> kept = next.values().stream().map(GenerationState.Entry::output)
                .collect(Collectors.toCollection(TreeSet::new));
        for (GenerationState.Entry old : previous.entries()) {
            if (!kept.contains(old.output())) {
                OutputFiles.deleteWithEmptyFolders(settings.outputDirectory().resolve(old.output()),
                        settings.outputDirectory());
                events.add(new Event(Action.REMOVED, old.model(), old.output()));
            }
        }
        GenerationState state = new GenerationState(next);
        if (!state.equals(previous)) {
            state.write(settings.stateFile());
        }
    }

    static String relative(Path root, Path file) {
        Path path = root.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize());
        List<String> names = new ArrayList<>();
        path.forEach(name -> names.add(name.toString()));
        return String.join("/", names);
    }

    private static String folderOf(String relative) {
        int slash = relative.lastIndexOf('/');
        return slash < 0 ? "" : relative.substring(0, slash);
    }
}
