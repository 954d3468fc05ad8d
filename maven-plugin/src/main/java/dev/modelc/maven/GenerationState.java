package dev.modelc.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the last successful run generated: for each model (by its path under the source folder), the fingerprint
 * of everything that went into its class and the class file it produced, with that file's hash. Kept as a small
 * tab-separated text file, sorted by model path.
 */
final class GenerationState {
    private static final String HEADER = "# modelc generation state 1: model, fingerprint, generated file, its hash";

    /** One model's record. */
    record Entry(String model, String fingerprint, String output, String outputHash) {
    }

    private final Map<String, Entry> entries;

    GenerationState(Map<String, Entry> entries) {
        this.entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    static GenerationState empty() {
        return new GenerationState(Map.of());
    }

    /** Reads the state; a missing or unreadable file is an empty state, so everything is generated again. */
    static GenerationState read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return empty();
        }
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            return empty();
        }
        Map<String, Entry> entries = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split("\t", -1);
            if (fields.length != 4) {
                return empty();
            }
            entries.put(fields[0], new Entry(fields[0], fields[1], fields[2], fields[3]));
        }
        return new GenerationState(entries);
    }

    /** Writes the state atomically. */
    void write(Path file) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (Entry e : entries.values()) {
            text.append(e.model()).append('\t').append(e.fingerprint()).append('\t')
                    .append(e.output()).append('\t').append(e.outputHash()).append('\n');
        }
        OutputFiles.writeAtomically(file, text.toString());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GenerationState state && state.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    Entry get(String model) {
        return entries.get(model);
    }

    /** Every entry, sorted by model path. */
    Iterable<Entry> entries() {
        return entries.values();
    }
}
