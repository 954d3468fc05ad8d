package dev.modelc;

import dev.modelc.testing.property.Gen;
import dev.modelc.testing.property.RandomSource;
import dev.modelc.testing.property.Shrinks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Fuzzed .model files: programs written from the grammar, valid models from the gradient
 * property generators, and mutations of all of these and of the samples and the bad models of
 * the diagnostic goldens. Shrinks by dropping runs of lines, then runs of bytes.
 */
final class FuzzCaseGen implements Gen<FuzzCase> {
    /** Byte-level shrinking tries this many bytes at most; lines have made the case small by then. */
    private static final int MAX_BYTES_TO_SHRINK = 4000;

    /** A file the mutations start from, and its tokens. */
    record Seed(String name, String text, List<String> tokens) {
        Seed(String name, String text) {
            this(name, text, TextMutations.tokens(text));
        }
    }

    private final List<Seed> corpus;
    private final GradientCaseGen scalarModels = new GradientCaseGen();
    private final TensorCaseGen tensorModels = new TensorCaseGen();

    FuzzCaseGen(List<Seed> corpus) {
        if (corpus.isEmpty()) {
            throw new IllegalArgumentException("no files to mutate");
        }
        this.corpus = List.copyOf(corpus);
    }

    /** Every {@code .model} file directly inside each folder, sorted by path. */
    static List<Seed> modelsIn(Path... folders) {
        List<Seed> seeds = new ArrayList<>();
        for (Path folder : folders) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".model")).sorted().toList()) {
                    seeds.add(new Seed(folder.getFileName() + "/" + file.getFileName(),
                            Files.readString(file, StandardCharsets.UTF_8)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return seeds;
    }

    /**
     * Three in ten are grammar programs as written; one in ten a valid model, half of them
     * mutated; the rest mutations of a grammar program or of a file of the corpus.
     */
    @Override
    public FuzzCase generate(RandomSource random) {
        double draw = random.nextDouble();
        if (draw < 0.3) {
            return new FuzzCase("written from the grammar", utf8(GrammarTextGen.program(random)));
        }
        Seed seed;
        if (draw < 0.4) {
            seed = random.chance(0.5)
                    ? new Seed("a scalar gradient model", scalarModels.generate(random).modelText("S"))
                    : new Seed("a tensor gradient model", tensorModels.generate(random).modelText("T"));
            if (random.chance(0.5)) {
                return new FuzzCase(seed.name(), utf8(seed.text()));
            }
        } else if (draw < 0.5) {
            seed = new Seed("a grammar program", GrammarTextGen.program(random));
        } else {
            seed = random.pick(corpus);
        }
        TextMutations.Mutated mutated = new TextMutations(random).mutate(seed.tokens(), random.pick(corpus).tokens());
        return new FuzzCase(seed.name() + " after " + mutated.description(), mutated.bytes());
    }

    @Override
    public Stream<FuzzCase> shrink(FuzzCase value) {
        List<byte[]> lines = lines(value.bytes());
        Stream<FuzzCase> fewerLines = Shrinks.removals(lines, 0).map(kept -> value.withBytes(join(kept)));
        if (value.bytes().length > MAX_BYTES_TO_SHRINK) {
            return fewerLines;
        }
        return Stream.concat(fewerLines, fewerBytes(value.bytes()).map(value::withBytes));
    }

    /** Without each run of half the bytes, then a quarter, down to single bytes; made as they are asked for. */
    private static Stream<byte[]> fewerBytes(byte[] bytes) {
        int n = bytes.length;
        return IntStream.iterate(n / 2, length -> length > 0, length -> length / 2).boxed()
                .flatMap(length -> IntStream.iterate(0, start -> start + length <= n, start -> start + length)
                        .mapToObj(start -> {
                            byte[] shorter = new byte[n - length];
                            System.arraycopy(bytes, 0, shorter, 0, start);
                            System.arraycopy(bytes, start + length, shorter, start, n - start - length);
                            return shorter;
                        }));
    }

    /** The lines of the bytes, each with its newline. */
    private static List<byte[]> lines(byte[] bytes) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                lines.add(Arrays.copyOfRange(bytes, start, i + 1));
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            lines.add(Arrays.copyOfRange(bytes, start, bytes.length));
        }
        return lines;
    }

    private static byte[] join(List<byte[]> parts) {
        int size = parts.stream().mapToInt(p -> p.length).sum();
        byte[] joined = new byte[size];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, joined, at, part.length);
            at += part.length;
        }
        return joined;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
