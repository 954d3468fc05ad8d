package dev.modelc.maven;

import static dev.modelc.maven.IncrementalGenerator.Action.GENERATED;
import static dev.modelc.maven.IncrementalGenerator.Action.REMOVED;
import static dev.modelc.maven.IncrementalGenerator.Action.UP_TO_DATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.codegen.Dtype;
import dev.modelc.maven.IncrementalGenerator.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncrementalGeneratorTest {
    static final String QUADRATIC = "model Quadratic\nparam x = -3.0\nparam y = -3.0\nloss J = x^2 + 2 * y^2\n";
    static final String LINE = "model Line\ninput x : [batch]\ninput y : [batch]\nparam w = 0\nparam b = 0\n"
            + "loss L = mse(w * x + b, y)\n";
    static final FileTime LONG_AGO = FileTime.fromMillis(1_000_000_000_000L);

    @TempDir
    Path project;
    Path models;
    Path output;

    @BeforeEach
    void layOutModels() throws IOException {
        models = project.resolve("src/main/model");
        output = project.resolve("target/generated-sources/modelc");
        write("demo/quadratic.model", QUADRATIC);
        write("demo/fit/line.model", LINE);
    }

    @Test
    void firstRunGeneratesEachModelIntoThePackageOfItsFolder() throws Exception {
        write("top.model", QUADRATIC.replace("Quadratic", "Top"));
        List<Event> events = run().events();

        assertEquals(List.of(new Event(GENERATED, "demo/fit/line.model", "demo/fit/Line.java"),
                new Event(GENERATED, "demo/quadratic.model", "demo/Quadratic.java"),
                new Event(GENERATED, "top.model", "Top.java")), events);
        assertTrue(read("demo/fit/Line.java").contains("package demo.fit;\n"));
        assertTrue(read("demo/Quadratic.java").contains("public final class Quadratic implements TrainableModel"));
        assertFalse(read("Top.java").contains("package "));
        assertEquals(List.of("Top.java", "demo/Quadratic.java", "demo/fit/Line.java"), outputFiles());
    }

    @Test
    void secondRunWithNothingChangedWritesNothing() throws Exception {
        run();
        ageEveryFile();
        List<Event> events = run().events();

        assertEquals(List.of(UP_TO_DATE, UP_TO_DATE), actions(events));
        for (Path file : everyFile()) {
            assertEquals(LONG_AGO, Files.getLastModifiedTime(file), file.toString());
        }
    }

    @Test
    void changingOneModelRegeneratesOnlyItsClass() throws Exception {
        run();
        ageEveryFile();
        write("demo/quadratic.model", QUADRATIC.replace("x = -3.0", "x = -5.0"));
        List<Event> events = run().events();

        assertEquals(List.of(new Event(UP_TO_DATE, "demo/fit/line.model", "demo/fit/Line.java"),
                new Event(GENERATED, "demo/quadratic.model", "demo/Quadratic.java")), events);
        assertTrue(read("demo/Quadratic.java").contains("-5.0"));
        assertEquals(LONG_AGO, Files.getLastModifiedTime(output.resolve("demo/fit/Line.java")));
    }

    @Test
    void deletingAModelDeletesItsClassAndTheFoldersItLeavesEmpty() throws Exception {
        run();
        Files.delete(models.resolve("demo/fit/line.model"));
        List<Event> events = run().events();

        assertEquals(List.of(new Event(REMOVED, "demo/fit/line.model", "demo/fit/Line.java"),
                new Event(UP_TO_DATE, "demo/quadratic.model", "demo/Quadratic.java")), events);
        assertEquals(List.of("demo/Quadratic.java"), outputFiles());
        assertFalse(Files.exists(output.resolve("demo/fit")));
    }

    @Test
    void deletingTheWholeModelFolderDeletesEveryClass() throws Exception {
        run();
        deleteTree(models);
        assertEquals(List.of(REMOVED, REMOVED), actions(run().events()));
        assertEquals(List.of(), outputFiles());
    }

    @Test
    void errorWritesNothingAndNamesTheLocation() throws Exception {
        write("demo/broken.model", "model Broken\n\nparam x = 1.0\nloss L = x^2 +\n");
        ModelErrors e = assertThrows(ModelErrors.class, this::run);

        assertEquals(1, e.rendered().size());
        String path = models.resolve("demo/broken.model").toAbsolutePath().toString();
        assertTrue(e.rendered().get(0).startsWith(path + ":4:14: error: `+` ends the line, but an operand "
                + "must follow it"),
                e.rendered().get(0));
        assertTrue(e.rendered().get(0).endsWith("1 error\n"));
        assertEquals(List.of(), outputFiles());
        assertFalse(Files.exists(stateFile()));
    }

    @Test
    void aModelTooLargeForOneJavaMethodIsAnErrorAtItsLoss() throws Exception {
        // 45 definitions of 100 nested sines: the checks of firstNonFinite() need more than 64 KiB of bytecode.
        StringBuilder text = new StringBuilder("model Deep\nparam x = 0.5\n");
        for (int i = 0; i < 45; i++) {
            text.append("h").append(i).append(" = ").append("sin(".repeat(100)).append("x + ").append(i)
                    .append(")".repeat(100)).append('\n');
        }
        text.append("loss L = h0");
        for (int i = 1; i < 45; i++) {
            text.append(" + h").append(i);
        }
        write("demo/deep.model", text.append('\n').toString());
        ModelErrors e = assertThrows(ModelErrors.class, this::run);

        assertEquals(1, e.rendered().size());
        String path = models.resolve("demo/deep.model").toAbsolutePath().toString();
        assertTrue(e.rendered().get(0).startsWith(path + ":48:6: error: model `Deep` is too large for one "
                + "generated Java method"), e.rendered().get(0));
        assertEquals(List.of(), outputFiles(), "no class of the run is written, the others' neither");
        assertFalse(Files.exists(stateFile()));
    }

    @Test
    void errorAfterASuccessKeepsTheEarlierClassesAndState() throws Exception {
        run();
        String before = read("demo/Quadratic.java");
        String lineBefore = read("demo/fit/Line.java");
        String state = Files.readString(stateFile());
        write("demo/quadratic.model", QUADRATIC + "loss K = z\n");
        write("demo/fit/line.model", LINE.replace("w = 0", "w = 1"));

        assertThrows(ModelErrors.class, this::run);
        assertEquals(before, read("demo/Quadratic.java"));
        assertEquals(lineBefore, read("demo/fit/Line.java"), "nothing of a failed run is written");
        assertEquals(state, Files.readString(stateFile()));

        write("demo/quadratic.model", QUADRATIC);
        assertEquals(List.of(GENERATED, UP_TO_DATE), actions(run().events()));
    }

    @Test
    void classEditedOrLostSinceIsGeneratedAgain() throws Exception {
        run();
        Files.writeString(output.resolve("demo/Quadratic.java"), "// edited\n");
        Files.delete(output.resolve("demo/fit/Line.java"));

        assertEquals(List.of(GENERATED, GENERATED), actions(run().events()));
        assertTrue(read("demo/Quadratic.java").contains("class Quadratic"));
        assertTrue(Files.exists(output.resolve("demo/fit/Line.java")));
    }

    @Test
    void newCompilerOrDtypeRegeneratesEverything() throws Exception {
        run();
        assertEquals(List.of(GENERATED, GENERATED), actions(run(Dtype.F64, "compiler-2").events()));
        assertFalse(read("demo/Quadratic.java").contains("float"));

        assertEquals(List.of(GENERATED, GENERATED), actions(run(Dtype.F32, "compiler-2").events()));
        assertTrue(read("demo/Quadratic.java").contains("float"));
    }

    @Test
    void renamingTheModelReplacesItsClass() throws Exception {
        run();
        write("demo/quadratic.model", QUADRATIC.replace("model Quadratic", "model Bowl"));

        assertEquals(List.of(new Event(UP_TO_DATE, "demo/fit/line.model", "demo/fit/Line.java"),
                new Event(GENERATED, "demo/quadratic.model", "demo/Bowl.java"),
                new Event(REMOVED, "demo/quadratic.model", "demo/Quadratic.java")), run().events());
        assertEquals(List.of("demo/Bowl.java", "demo/fit/Line.java"), outputFiles());
    }

    @Test
    void twoModelsDefiningOneClassIsAnError() throws Exception {
        write("demo/copy.model", QUADRATIC);
        ModelErrors e = assertThrows(ModelErrors.class, this::run);

        assertEquals(1, e.rendered().size());
        assertTrue(e.rendered().get(0).contains("quadratic.model: error: generates demo/Quadratic.java, as "
                + "demo/copy.model does"), e.rendered().get(0));
        assertEquals(List.of(), outputFiles());
    }

    @Test
    void folderThatIsNoPackageNameIsAnErrorAtTheFile() throws Exception {
        write("my-models/x.model", QUADRATIC);
        ModelErrors e = assertThrows(ModelErrors.class, this::run);

        String path = models.resolve("my-models/x.model").toAbsolutePath().toString();
        assertTrue(e.rendered().get(0).startsWith(path + ": error: folder `my-models` cannot be a Java package"),
                e.rendered().get(0));
    }

    @Test
    void hiddenAndOtherFilesAreNotModels() throws Exception {
        write("demo/.#quadratic.model", "not a model");
        write("demo/notes.txt", "not a model");
        assertEquals(2, run().events().size());
    }

    @Test
    void subpackageAndConfiguredPackageNameTheTestVariants() throws Exception {
        IncrementalGenerator.run(settings("com.example", "f64", Dtype.F64, "compiler-1"));
        assertEquals(List.of("com/example/f64/Line.java", "com/example/f64/Quadratic.java"), outputFiles());
        assertTrue(read("com/example/f64/Line.java").contains("package com.example.f64;\n"));
    }

    @Test
    void modelsInALinkedFolderAreGeneratedAsThoseInAnyOther() throws Exception {
        Path shared = Files.createDirectories(project.resolve("shared/models"));
        Files.writeString(shared.resolve("top.model"), QUADRATIC.replace("Quadratic", "Top"));
        Files.createSymbolicLink(models.resolve("linked"), shared);
        // A link back up would walk for ever: its models are read once, with a warning.
        Files.createSymbolicLink(shared.resolve("loop"), shared);
        IncrementalGenerator.Outcome outcome = run();

        assertTrue(outcome.events().contains(new Event(GENERATED, "linked/top.model", "linked/Top.java")),
                outcome.events().toString());
        assertTrue(read("linked/Top.java").contains("package linked;\n"));
        assertEquals(1, outcome.warnings().size(), outcome.warnings().toString());
        assertTrue(outcome.warnings().get(0).contains("a link back into a folder above it"), outcome.warnings().get(0));
    }

    @Test
    void aModelThatIsNotUtf8GetsADiagnosticAtItsFirstBadByte() throws Exception {
        Files.write(models.resolve("demo/latin1.model"), "model M\n// caf\u00e9\n".getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1));
        ModelErrors e = assertThrows(ModelErrors.class, this::run);
        assertTrue(String.join("", e.rendered()).contains(models.resolve("demo/latin1.model").toAbsolutePath()
                + ":2:7: error: not valid UTF-8 text\n  // caf\n        ^\n  help: save the file as UTF-8\n"),
                e.rendered().toString());
    }

    private IncrementalGenerator.Outcome run() throws ModelErrors, IOException {
        return run(Dtype.F64, "compiler-1");
    }

    private IncrementalGenerator.Outcome run(Dtype dtype, String compiler) throws ModelErrors, IOException {
        return IncrementalGenerator.run(settings(null, "", dtype, compiler));
    }

    private IncrementalGenerator.Settings settings(String packageName, String subpackage, Dtype dtype,
                                                   String compiler) {
        return new IncrementalGenerator.Settings(models, output, stateFile(), packageName, subpackage, dtype,
                compiler);
    }

    private Path stateFile() {
        return project.resolve("target/modelc-state/generate-default.state");
    }

    private void write(String relative, String text) throws IOException {
        Path file = models.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private String read(String relative) throws IOException {
        return Files.readString(output.resolve(relative));
    }

    private static List<IncrementalGenerator.Action> actions(List<Event> events) {
        return events.stream().map(Event::action).collect(Collectors.toList());
    }

    private List<String> outputFiles() throws IOException {
        if (!Files.isDirectory(output)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(output)) {
            return files.filter(Files::isRegularFile).map(f -> IncrementalGenerator.relative(output, f)).sorted()
                    .collect(Collectors.toList());
        }
    }

    private List<Path> everyFile() throws IOException {
        try (Stream<Path> files = Files.walk(project.resolve("target"))) {
            return files.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
    }

    private void ageEveryFile() throws IOException {
        for (Path file : everyFile()) {
            Files.setLastModifiedTime(file, LONG_AGO);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }
}
