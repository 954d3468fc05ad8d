package dev.modelc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationStateTest {
    @TempDir
    Path folder;

    @Test
    void writtenStateReadsBackEqualAndSorted() throws IOException {
        GenerationState.Entry b = new GenerationState.Entry("b dir/b.model", "f2", "b/B.java", "h2");
        GenerationState.Entry a = new GenerationState.Entry("a.model", "f1", "A.java", "h1");
        Path file = folder.resolve("state/generate-default.state");
        new GenerationState(Map.of(b.model(), b, a.model(), a)).write(file);

        GenerationState read = GenerationState.read(file);
        assertEquals(a, read.get("a.model"));
        assertEquals(b, read.get("b dir/b.model"));
        assertEquals(List.of(a, b), List.copyOf(toList(read)));
    }

    @Test
    void missingOrForeignFileIsAnEmptyState() throws IOException {
        assertEquals(GenerationState.empty(), GenerationState.read(folder.resolve("none.state")));
        Path foreign = folder.resolve("foreign.state");
        Files.writeString(foreign, "something else\n");
        assertEquals(GenerationState.empty(), GenerationState.read(foreign));
    }

    @Test
    void truncatedLineMakesTheWholeStateEmpty() throws IOException {
        Path file = folder.resolve("x.state");
        new GenerationState(Map.of("a.model", new GenerationState.Entry("a.model", "f", "A.java", "h"))).write(file);
        Files.writeString(file, Files.readString(file) + "b.model\tf\n");
        assertNull(GenerationState.read(file).get("a.model"));
    }

    private static List<GenerationState.Entry> toList(GenerationState state) {
        List<GenerationState.Entry> list = new java.util.ArrayList<>();
        state.entries().forEach(list::add);
        return list;
    }
}
