package dev.modelc.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing replaces the file whole and clears away what writers that died left, and nothing else. */
class AtomicFileTest {
    @TempDir
    Path temp;

    @Test
    void aWriteRemovesTheStraysOfDeadProcessesOnly() throws Exception {
        Process finished = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-version").redirectErrorStream(true).start();
        finished.getInputStream().readAllBytes();
        finished.waitFor();
        long live = ProcessHandle.current().pid();
        List<String> kept = List.of(".t.safetensors." + live + ".17.tmp", ".t.safetensors.x.17.tmp",
                ".t.safetensors.5." + finished.pid() + ".17.tmp", ".u.safetensors." + finished.pid() + ".17.tmp",
                "t.safetensors.bak", ".t.safetensors." + finished.pid() + ".17.tmp.old");
        for (String name : kept) {
            Files.writeString(temp.resolve(name), name);
        }
        Files.writeString(temp.resolve(".t.safetensors." + finished.pid() + ".-42.tmp"), "stray");
        Files.writeString(temp.resolve(".t.safetensors." + finished.pid() + ".42.tmp"), "stray");
        AtomicFile.write(temp.resolve("t.safetensors"), new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(temp.resolve("t.safetensors")));
        try (Stream<Path> files = Files.list(temp)) {
            List<String> left = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("t.safetensors"))
                    .sorted().toList();
            assertEquals(kept.stream().sorted().toList(), left);
        }
    }
}
