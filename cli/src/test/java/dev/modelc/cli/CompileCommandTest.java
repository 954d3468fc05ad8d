package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.ModelCompiler;
import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.graph.IrPrinter;
import dev.modelc.runtime.TrainableModel;
import dev.modelc.runtime.Trainer;
import dev.modelc.runtime.TrainingSettings;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code modelc compile}: the written Java compiles with javac against the runtime alone. */
class CompileCommandTest {
    @TempDir
    Path temp;

    @Test
    void writesTheClassIntoTheOutputFolderAndJavacAcceptsIt() throws Exception {
        Path out = temp.resolve("out");
        CommandLineRun run = CommandLineRun.of("compile", CommandLineRun.quadratic(), "-o", out.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        Path written = out.resolve("Quadratic.java");
        assertEquals(List.of("wrote " + written), run.errLines());
        assertEquals(List.of(written), listFiles(out));
        assertTrue(Files.readString(written).contains("public final class Quadratic implements TrainableModel"));
        Javac.compile(written, Files.createDirectories(temp.resolve("classes")));
        assertTrue(Files.exists(temp.resolve("classes/Quadratic.class")));
    }

    @Test
    void aPackageAddsItsFolders() throws Exception {
        Path out = temp.resolve("out");
        CommandLineRun run = CommandLineRun.of("compile", CommandLineRun.quadratic(), "-o", out.toString(),
                "--package", "p.q");
        assertEquals(0, run.exitCode(), run.transcript());
        Path written = out.resolve("p/q/Quadratic.java");
        assertEquals(List.of(written), listFiles(out));
        assertTrue(Files.readString(written).contains("\npackage p.q;\n"));
        Javac.compile(written, Files.createDirectories(temp.resolve("classes")));
        assertTrue(Files.exists(temp.resolve("classes/p/q/Quadratic.class")));
    }

    /**
     * Run as its own process in an empty working folder, which must stay empty: run here, a
     * {@code Quadratic.java} left in the module's folder by anything would hide the write.
     */
    @Test
    void dumpsWithoutAnOutputFolderPrintBothStagesAndWriteNothing() throws Exception {
        Path working = Files.createDirectories(temp.resolve("working"));
        Path out = temp.resolve("out.txt");
        Path err = temp.resolve("err.txt");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "compile",
                Path.of(CommandLineRun.quadratic()).toAbsolutePath().toString(), "--dump", "ir,grad")
                .directory(working.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "still running");
        String printed = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), printed + Files.readString(err, StandardCharsets.UTF_8));
        assertEquals(List.of(), listFiles(working), "compile --dump wrote files");
        assertEquals("", Files.readString(err, StandardCharsets.UTF_8));
        ModelCompiler.Result result = ModelCompiler.compile(SourceFile.read(Path.of(CommandLineRun.quadratic())),
                ModelCompiler.Options.DEFAULT);
        String expected = "== ir\n" + IrPrinter.forward(result.lowered())
                + "== grad\n" + IrPrinter.withGradients(result.simplified());
        assertEquals(expected, printed);
        assertTrue(printed.startsWith("== ir\nmodel Quadratic\n%0 = param x : []\n"), printed);
        assertTrue(printed.contains("\n== grad\nmodel Quadratic\n"), printed);
    }

    @Test
    void f32OutputCompilesAndTrainsToTheSeedExamplesEnd() throws Exception {
        Path out = temp.resolve("out");
        Path classes = Files.createDirectories(temp.resolve("classes"));
        CommandLineRun run = CommandLineRun.of("compile", CommandLineRun.quadratic(), "-o", out.toString(),
                "--dtype", "f32");
        assertEquals(0, run.exitCode(), run.transcript());
        Path written = out.resolve("Quadratic.java");
        assertTrue(Files.readString(written).contains("private float x;"));
        Javac.compile(written, classes);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            TrainableModel model = (TrainableModel) loader.loadClass("Quadratic").getConstructor().newInstance();
            assertEquals("f32", model.signature().dtype());
            Trainer.Result result = Trainer.train(model, TrainingSettings.of(model.signature()), Trainer.Listener.NONE);
            assertEquals(Trainer.StopReason.CONDITION, result.reason());
            assertEquals(17, result.steps());
            // After 17 updates x = -3 * 0.8^17 and y = -3 * 0.6^17, to float precision.
            assertEquals(-3 * Math.pow(0.8, 17), model.param(0, 0), 1e-6);
            assertEquals(-3 * Math.pow(0.6, 17), model.param(1, 0), 1e-6);
        }
    }

    private static List<Path> listFiles(Path folder) throws java.io.IOException {
        try (var files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
