package dev.modelc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelc.ModelCompiler;
import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.runtime.checkpoint.Checkpoint;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README's "Use from Java" code, taken from the README as it stands, compiles and runs beside the digits model. */
class UseFromJavaTest {
    @TempDir
    Path temp;

    /** The first Java block of README's section "Use from Java". */
    static String readmeCode() throws Exception {
        Path readme = Path.of(System.getProperty("modelc.samples")).resolve("../README.md");
        String text = Files.readString(readme);
        int section = text.indexOf("\n## Use from Java\n");
        assertTrue(section >= 0, "README has no section \"Use from Java\"");
        int start = text.indexOf("```java\n", section) + "```java\n".length();
        return text.substring(start, text.indexOf("```", start));
    }

    @Test
    void readmeCodeTrainsSavesLoadsAndPredicts() throws Exception {
        String code = readmeCode();
        Matcher name = Pattern.compile("public class (\\w+)").matcher(code);
        assertTrue(name.find(), code);
        Path sources = Files.createDirectory(temp.resolve("src"));
        Path classes = Files.createDirectory(temp.resolve("classes"));
        Path work = Files.createDirectory(temp.resolve("work"));
        Path model = Path.of(CommandLineRun.sample("digits_mlp.model"));
        String generated = ModelCompiler.compile(SourceFile.read(model), new ModelCompiler.Options("", Dtype.F64))
                .javaSource();
        Path modelSource = Files.writeString(sources.resolve("DigitsMlp.java"), generated);
        Path appSource = Files.writeString(sources.resolve(name.group(1) + ".java"), code);
        Javac.compile(List.of(modelSource, appSource), classes);
        Files.copy(model.resolveSibling("data/digits.csv.gz"), work.resolve("digits.csv.gz"));

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", classes + File.pathSeparator + Javac.runtimeLocation(),
                name.group(1)).directory(work.toFile()).redirectErrorStream(true).start();
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), "the README code ran for more than 300 s");
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), out);

        List<String> lines = out.lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("epoch 10/10")), out);
        String last = lines.get(lines.size() - 1);
        double sum = 0;
        for (String p : last.substring(1, last.length() - 1).split(", ")) {
            sum += Double.parseDouble(p);
        }
        assertEquals(1, sum, 1e-9, out);
        assertNotNull(Checkpoint.read(work.resolve("digits.safetensors")).preprocessing());
    }
}
