package dev.modelc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JVM without the Vector API module is told once, on System.Logger, which flag enables the fast kernels. */
class VectorNoticeTest {
    private static final String NOTICE = "the Vector API module is not in this JVM";

    @TempDir
    Path temp;

    @Test
    void withoutTheModuleTheNoticeComesOnceNamingTheFlag() throws Exception {
        String log = run("without");
        assertEquals(1, count(log, NOTICE), log);
        assertTrue(log.contains("start the JVM with --add-modules jdk.incubator.vector for the fast kernels"), log);
        assertTrue(log.contains("<argLine>--add-modules jdk.incubator.vector</argLine>"), log);
        assertTrue(log.contains("done, vectorized false"), log);
    }

    @Test
    void withTheModuleNothingIsSaid() throws Exception {
        String log = run("with", "--add-modules", "jdk.incubator.vector");
        assertEquals(0, count(log, NOTICE), log);
        assertTrue(log.contains("done, vectorized true"), log);
    }

    @Test
    void plainJavaAskedForIsNotReported() throws Exception {
        String log = run("plain", "-Dmodelc.vector=false");
        assertEquals(0, count(log, NOTICE), log);
        assertTrue(log.contains("done, vectorized false"), log);
    }

    /** Runs {@link VectorNoticeProcess} in a JVM with {@code options}; its output and log, together. */
    private String run(String name, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(List.of(options));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), VectorNoticeProcess.class.getName()));
        Path output = temp.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        // Options from the environment would decide the module instead of this test.
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        int exit = builder.start().waitFor();
        String log = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, exit, log);
        return log;
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
